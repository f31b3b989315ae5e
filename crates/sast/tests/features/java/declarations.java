class Decls {
    // ruleid: hardcoded-password-field
    private static final String PASSWORD = "hunter2";
    // ok: hardcoded-password-field
    private final String name = "x";

    // ruleid: request-mapping
    @RequestMapping("/a")
    public String a(String x) {
        return x;
    }

    // ok: request-mapping
    public String b() {
        return "b";
    }

    void c() {
        // ruleid: catch-ignore
        try {
            run();
        } catch (Exception e) {
        }
        // ok: catch-ignore
        try {
            run();
        } catch (Exception e) {
            log(e);
        }
    }
}
