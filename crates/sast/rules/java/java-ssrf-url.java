import java.net.URL;

class Proxy {
    Object fetch(javax.servlet.http.HttpServletRequest req, org.springframework.web.client.RestTemplate rest) throws Exception {
        // ruleid: java-ssrf-url
        URL u = new URL(req.getParameter("url"));
        // ruleid: java-ssrf-url
        Object body = rest.getForObject("http://" + req.getParameter("host") + "/status", String.class);
        // ok: java-ssrf-url
        Object ok = rest.getForObject("https://api.example.com/status", String.class);
        return body;
    }
}
