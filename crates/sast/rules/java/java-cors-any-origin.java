class Api {
    // ruleid: java-cors-any-origin
    @CrossOrigin(origins = "*")
    @GetMapping("/a")
    public String a() { return "a"; }

    // ok: java-cors-any-origin
    @CrossOrigin(origins = "https://app.example.com")
    @GetMapping("/b")
    public String b() { return "b"; }

    void cfg(CorsRegistry registry, javax.servlet.http.HttpServletResponse resp) {
        // ruleid: java-cors-any-origin
        registry.addMapping("/**").allowedOrigins("*");
        // ruleid: java-cors-any-origin
        resp.setHeader("Access-Control-Allow-Origin", "*");
    }
}
