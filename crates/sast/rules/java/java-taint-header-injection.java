import java.net.URLEncoder;
import javax.servlet.http.*;

public class Lang extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String lang = request.getParameter("lang");
        // ruleid: java-taint-header-injection
        response.setHeader("Content-Language", lang);
        // ok: java-taint-header-injection
        response.addHeader("X-Lang", URLEncoder.encode(lang, "UTF-8"));
        // ok: java-taint-header-injection
        response.setHeader("Content-Language", "en");
    }
}
