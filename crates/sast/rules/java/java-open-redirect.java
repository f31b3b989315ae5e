class Login {
    void done(javax.servlet.http.HttpServletRequest req, javax.servlet.http.HttpServletResponse resp) throws Exception {
        // ruleid: java-open-redirect
        resp.sendRedirect(req.getParameter("next"));
        // ok: java-open-redirect
        resp.sendRedirect("/home");
    }
}
