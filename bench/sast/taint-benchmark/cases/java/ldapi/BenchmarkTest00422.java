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

public class BenchmarkTest00422 extends HttpServlet {
    private Connection conn;
    private DirContext ctx;
    private XPath xp;
    private Object doc;

    private String stored;

    private void keep(String v) {
        this.stored = v;
    }

    private void use(HttpServletRequest request, HttpServletResponse response) throws Exception {
        ctx.search("ou=users,dc=example,dc=com", "(uid=" + this.stored + ")", new SearchControls());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        try {
            keep(request.getParameter("p"));
            use(request, response);
        } catch (Exception e) {
            throw new ServletException(e);
        }
    }
}
