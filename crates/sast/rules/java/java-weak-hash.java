import java.security.MessageDigest;

class H {
    byte[] h(byte[] data) throws Exception {
        // ruleid: java-weak-hash
        MessageDigest md = MessageDigest.getInstance("MD5");
        // ruleid: java-weak-hash
        MessageDigest sha = MessageDigest.getInstance("SHA-1");
        // ok: java-weak-hash
        MessageDigest ok = MessageDigest.getInstance("SHA-256");
        return md.digest(data);
    }
}
