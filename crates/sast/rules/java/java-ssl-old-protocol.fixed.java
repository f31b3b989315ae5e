import javax.net.ssl.SSLContext;

class Tls {
    void t() throws Exception {
        // ruleid: java-ssl-old-protocol
        SSLContext a = SSLContext.getInstance("TLSv1.3");
        // ok: java-ssl-old-protocol
        SSLContext b = SSLContext.getInstance("TLSv1.3");
    }
}
