import javax.naming.directory.*;
import javax.servlet.http.*;

public class Lookup extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
        DirContext ctx = new InitialDirContext();
        String user = request.getParameter("user");
        String filter = "(&(objectclass=person)(uid=" + user + "))";
        // ruleid: java-ldap-injection
        ctx.search("ou=users,dc=example,dc=com", filter, new SearchControls());
        // ok: java-ldap-injection
        ctx.search("ou=users,dc=example,dc=com", "(uid={0})", new Object[]{user}, new SearchControls());
        String fixed = user;
        fixed = "(uid=admin)";
        // ok: java-ldap-injection
        ctx.search("ou=users,dc=example,dc=com", fixed, new SearchControls());
    }
}
