import javax.servlet.http.*;
import org.owasp.encoder.Encode;

public class Hello extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String name = request.getParameter("name");
        // ruleid: java-servlet-writer-xss
        response.getWriter().println("<h1>Hello " + name + "</h1>");
        // ok: java-servlet-writer-xss
        response.getWriter().println("<h1>Hello " + Encode.forHtml(name) + "</h1>");
        // ok: java-servlet-writer-xss
        response.getWriter().println("<h1>Hello</h1>");
    }
}
