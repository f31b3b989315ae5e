import java.io.*;
import java.nio.file.*;
import javax.servlet.http.*;
import org.apache.commons.io.FilenameUtils;

public class Download extends HttpServlet {
    private static final String ROOT = "/srv/files/";

    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String name = request.getParameter("file");
        // ruleid: java-path-traversal-request
        File f = new File(ROOT + name);
        // ruleid: java-path-traversal-request
        byte[] data = Files.readAllBytes(Paths.get(ROOT, name));
        // ok: java-path-traversal-request
        File safe = new File(ROOT + FilenameUtils.getName(name));
        // ok: java-path-traversal-request
        File fixed = new File(ROOT + "index.html");
    }
}
