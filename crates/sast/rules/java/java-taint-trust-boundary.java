import javax.servlet.http.*;

public class Prefs extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String theme = request.getParameter("theme");
        // ruleid: java-taint-trust-boundary
        request.getSession().setAttribute("theme", theme);
        HttpSession session = request.getSession();
        // ruleid: java-taint-trust-boundary
        session.setAttribute(request.getParameter("key"), "on");
        // ok: java-taint-trust-boundary
        session.setAttribute("visited", "true");
        int page = Integer.parseInt(request.getParameter("page"));
        // ok: java-taint-trust-boundary
        session.setAttribute("page", page);
    }
}
