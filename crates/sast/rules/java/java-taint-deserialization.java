import java.beans.XMLDecoder;
import java.io.*;
import javax.servlet.http.*;

public class Restore extends HttpServlet {
    private Object read(InputStream in) throws Exception {
        // ruleid: java-taint-deserialization
        return new ObjectInputStream(in).readObject();
    }

    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws Exception {
        InputStream body = request.getInputStream();
        // ruleid: java-taint-deserialization
        ObjectInputStream ois = new ObjectInputStream(body);
        read(request.getInputStream());
        // ruleid: java-taint-deserialization
        XMLDecoder decoder = new XMLDecoder(request.getInputStream());
        // ok: java-taint-deserialization
        ObjectInputStream local = new ObjectInputStream(new FileInputStream("/var/lib/app/cache.bin"));
    }
}
