import java.security.KeyPairGenerator;

class Keys {
    void k() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        // ruleid: java-rsa-small-key
        g.initialize(1024);
    }
    void k2() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        // ok: java-rsa-small-key
        g.initialize(3072);
    }
}
