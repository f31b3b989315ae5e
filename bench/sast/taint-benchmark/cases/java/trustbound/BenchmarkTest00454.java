import java.io.*;
import java.sql.*;
import java.util.*;
import javax.naming.directory.*;
import javax.servlet.ServletException;
import javax.servlet.http.*;
import javax.xml.xpath.*;
import org.apache.commons.io.FilenameUtils;
import org.owasp.encoder.Encode;
import org.springframework.ldap.support.LdapEncoder;

public class BenchmarkTest00454 extends HttpServlet {
    private Connection conn;
    private DirContext ctx;
    private XPath xp;
    private Object doc;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        try {
            String value = request.getParameter("p");
            String text = String.format("%s", value);
            request.getSession().setAttribute("user", text);
        } catch (Exception e) {
            throw new ServletException(e);
        }
    }
}
