import java.util.Set;
import javax.servlet.http.*;

public class Go extends HttpServlet {
    private static final Set<String> ALLOWED = Set.of("/home", "/account");

    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String next = request.getParameter("next");
        if (ALLOWED.contains(next)) {
            // ok: java-open-redirect
            response.sendRedirect(next);
        } else {
            // ruleid: java-open-redirect
            response.sendRedirect(next);
        }
    }
}
