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

public class BenchmarkTest00407 extends HttpServlet {
    private Connection conn;
    private DirContext ctx;
    private XPath xp;
    private Object doc;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        try {
            String value = request.getParameter("p");
            String guess = "ABC";
            String chosen = guess.equals("ABC") ? "safe" : value;
            response.getWriter().println("<p>" + chosen + "</p>");
        } catch (Exception e) {
            throw new ServletException(e);
        }
    }
}
