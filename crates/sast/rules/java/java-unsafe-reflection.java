class Plugins {
    Object load(javax.servlet.http.HttpServletRequest req) throws Exception {
        // ruleid: java-unsafe-reflection
        Class<?> c = Class.forName(req.getParameter("type"));
        // ok: java-unsafe-reflection
        Class<?> d = Class.forName("com.example.Plugin");
        return c.getDeclaredConstructor().newInstance();
    }
}
