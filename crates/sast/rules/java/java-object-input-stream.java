import java.io.*;

class Load {
    Object load(InputStream in) throws Exception {
        ObjectInputStream ois = new ObjectInputStream(in);
        // ruleid: java-object-input-stream
        return ois.readObject();
    }
    Object filtered(InputStream in) throws Exception {
        ObjectInputStream ois = new ObjectInputStream(in);
        ois.setObjectInputFilter(ObjectInputFilter.Config.createFilter("com.example.*;!*"));
        // ok: java-object-input-stream
        return ois.readObject();
    }
}
