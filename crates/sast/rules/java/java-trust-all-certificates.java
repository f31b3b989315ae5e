class TrustAll implements javax.net.ssl.X509TrustManager {
    public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}
    // ruleid: java-trust-all-certificates
    public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}
    public java.security.cert.X509Certificate[] getAcceptedIssuers() { return null; }
}
class Strict implements javax.net.ssl.X509TrustManager {
    // ok: java-trust-all-certificates
    public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) throws java.security.cert.CertificateException { delegate.checkServerTrusted(c, a); }
}
