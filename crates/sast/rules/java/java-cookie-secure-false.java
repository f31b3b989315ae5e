class Login {
    void login(javax.servlet.http.HttpServletResponse resp, String sid) {
        javax.servlet.http.Cookie c = new javax.servlet.http.Cookie("sid", sid);
        // ruleid: java-cookie-secure-false
        c.setSecure(false);
        // ok: java-cookie-secure-false
        c.setHttpOnly(true);
        resp.addCookie(c);
    }
}
