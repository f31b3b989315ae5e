import javax.net.ssl.*;

class AnyHost implements HostnameVerifier {
    // ruleid: java-hostname-verifier-accepts-all
    public boolean verify(String host, SSLSession session) { return true; }
}
class Setup {
    void setup() {
        // ruleid: java-hostname-verifier-accepts-all
        HttpsURLConnection.setDefaultHostnameVerifier((h, s) -> true);
        // ok: java-hostname-verifier-accepts-all
        HttpsURLConnection.setDefaultHostnameVerifier((h, s) -> h.equals("api.example.com"));
    }
}
