class Json {
    void configure(com.fasterxml.jackson.databind.ObjectMapper mapper) {
        // ruleid: java-jackson-default-typing
        mapper.enableDefaultTyping();
        // ok: java-jackson-default-typing
        mapper.findAndRegisterModules();
    }
}
