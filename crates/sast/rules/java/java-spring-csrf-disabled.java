class Security {
    Object chain(HttpSecurity http) throws Exception {
        // ruleid: java-spring-csrf-disabled
        http.csrf().disable();
        // ruleid: java-spring-csrf-disabled
        http.csrf(csrf -> csrf.disable());
        // ok: java-spring-csrf-disabled
        http.csrf(Customizer.withDefaults());
        return http.build();
    }
}
