import javax.crypto.spec.PBEKeySpec;

class Kdf {
    void k(char[] pw, byte[] salt) {
        // ruleid: java-pbkdf2-low-iterations
        PBEKeySpec a = new PBEKeySpec(pw, salt, 1000, 256);
        // ok: java-pbkdf2-low-iterations
        PBEKeySpec b = new PBEKeySpec(pw, salt, 600000, 256);
    }
}
