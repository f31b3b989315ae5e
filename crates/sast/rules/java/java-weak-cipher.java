import javax.crypto.Cipher;

class C {
    void c() throws Exception {
        // ruleid: java-weak-cipher
        Cipher a = Cipher.getInstance("DES/CBC/PKCS5Padding");
        // ruleid: java-weak-cipher
        Cipher b = Cipher.getInstance("RC4");
        // ok: java-weak-cipher
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    }
}
