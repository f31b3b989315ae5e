class LoginController {
    @GetMapping("/done")
    public String done(@RequestParam String next) {
        // ruleid: java-spring-redirect-param
        return "redirect:" + next;
    }
    @GetMapping("/home")
    public String home(@RequestParam String tab) {
        // ok: java-spring-redirect-param
        return "redirect:/home";
    }
}
