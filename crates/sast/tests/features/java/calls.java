import java.security.MessageDigest;
import java.io.File;

class Calls {
    void run(String id, String cmd, Statement st) throws Exception {
        // ruleid: weak-digest
        MessageDigest md = MessageDigest.getInstance("MD5");
        // ok: weak-digest
        MessageDigest ok = MessageDigest.getInstance("SHA-256");
        // ruleid: runtime-exec
        Runtime.getRuntime().exec(cmd);
        // ruleid: sql-concat
        st.executeQuery("SELECT * FROM t WHERE id = " + id);
        // ok: sql-concat
        st.executeQuery("SELECT * FROM t");
        // ruleid: new-file
        File f = new File("/tmp", id);
        // ok: new-file
        File g = new File(id);
    }
}
