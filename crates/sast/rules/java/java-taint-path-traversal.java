import java.io.*;
import java.nio.file.*;
import javax.servlet.http.*;
import org.apache.commons.io.FilenameUtils;

public class Download extends HttpServlet {
    private static final String ROOT = "/srv/files/";

    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String name = request.getParameter("file");
        // ruleid: java-taint-path-traversal
        File f = new File(ROOT + name);
        // ruleid: java-taint-path-traversal
        byte[] data = Files.readAllBytes(Paths.get(ROOT, name));
        // ok: java-taint-path-traversal
        File safe = new File(ROOT + FilenameUtils.getName(name));
        // ok: java-taint-path-traversal
        File fixed = new File(ROOT + "index.html");
    }
}
