class Repo {
    org.springframework.jdbc.core.JdbcTemplate jdbcTemplate;
    java.util.List<?> list(String sort) {
        // ruleid: java-spring-jdbc-concat
        return jdbcTemplate.queryForList("SELECT * FROM items ORDER BY " + sort);
    }
    java.util.List<?> list2(String id) {
        // ok: java-spring-jdbc-concat
        return jdbcTemplate.queryForList("SELECT * FROM items WHERE id = ?", id);
    }
}
