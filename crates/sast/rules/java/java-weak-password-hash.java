import java.security.MessageDigest;

class Users {
    byte[] hash(String password) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        // ruleid: java-weak-password-hash
        return md.digest(password.getBytes());
    }
    String hash2(String password) {
        // ok: java-weak-password-hash
        return new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder().encode(password);
    }
}
