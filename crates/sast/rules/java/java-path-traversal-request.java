import java.io.File;
import java.nio.file.Paths;

class Download {
    void get(javax.servlet.http.HttpServletRequest request) throws Exception {
        // ruleid: java-path-traversal-request
        File f = new File("/srv/files", request.getParameter("name"));
        // ruleid: java-path-traversal-request
        Object p = Paths.get("/srv/files/" + request.getParameter("name"));
        // ok: java-path-traversal-request
        File g = new File("/srv/files", "index.html");
    }
}
