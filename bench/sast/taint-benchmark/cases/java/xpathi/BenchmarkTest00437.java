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

public class BenchmarkTest00437 extends HttpServlet {
    private Connection conn;
    private DirContext ctx;
    private XPath xp;
    private Object doc;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        try {
            Map<String, String> m = new HashMap<>();
            m.put("key", request.getParameter("p"));
            xp.evaluate("/users/user[@name='" + m.get("key") + "']", doc);
        } catch (Exception e) {
            throw new ServletException(e);
        }
    }
}
