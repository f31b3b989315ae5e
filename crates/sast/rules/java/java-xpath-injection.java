import javax.servlet.http.*;
import javax.xml.xpath.*;

public class Find extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
        XPath xp = XPathFactory.newInstance().newXPath();
        String name = request.getParameter("name");
        // ruleid: java-xpath-injection
        xp.evaluate("/users/user[@name='" + name + "']", doc);
        // ok: java-xpath-injection
        xp.evaluate("/users/user[@name='guest']", doc);
    }
}
