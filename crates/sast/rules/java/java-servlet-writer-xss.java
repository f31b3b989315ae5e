class Hello extends javax.servlet.http.HttpServlet {
    protected void doGet(javax.servlet.http.HttpServletRequest req, javax.servlet.http.HttpServletResponse resp) throws java.io.IOException {
        // ruleid: java-servlet-writer-xss
        resp.getWriter().write("<h1>Hello " + req.getParameter("name") + "</h1>");
        // ok: java-servlet-writer-xss
        resp.getWriter().write("<h1>Hello " + Encode.forHtml(req.getParameter("name")) + "</h1>");
    }
}
