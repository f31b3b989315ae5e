import javax.servlet.http.Cookie;

class Login {
    void bad(javax.servlet.http.HttpServletResponse resp, String sid) {
        Cookie c = new Cookie("sid", sid);
        c.setSecure(true);
        // ruleid: java-cookie-missing-httponly
        resp.addCookie(c);
    }
    void good(javax.servlet.http.HttpServletResponse resp, String sid) {
        Cookie c = new Cookie("sid", sid);
        c.setHttpOnly(true);
        // ok: java-cookie-missing-httponly
        resp.addCookie(c);
    }
}
