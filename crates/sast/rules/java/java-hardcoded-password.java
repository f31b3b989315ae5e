class Config {
    // ruleid: java-hardcoded-password
    private static final String DB_PASSWORD = "Pr0d-Passw0rd!";
    // ok: java-hardcoded-password
    private static final String DB_USER = "app";
    // ok: java-hardcoded-password
    private final String apiKey = System.getenv("API_KEY");
}
