import java.util.logging.Logger;
import javax.servlet.http.*;

public class Login extends HttpServlet {
    private static final Logger log = Logger.getLogger("login");

    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String user = request.getParameter("user");
        // ruleid: java-taint-log-injection
        log.info("login attempt for " + user);
        // ok: java-taint-log-injection
        log.info("login attempt for " + user.replaceAll("[\\r\\n]", "_"));
        // ok: java-taint-log-injection
        log.info("login attempt");
    }
}
