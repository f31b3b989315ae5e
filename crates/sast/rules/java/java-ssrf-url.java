import java.net.URL;
import javax.servlet.http.*;

public class Fetch extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String target = request.getParameter("url");
        // ruleid: java-ssrf-url
        URL u = new URL(target);
        // ok: java-ssrf-url
        URL fixed = new URL("https://api.example.com/status");
    }
}
