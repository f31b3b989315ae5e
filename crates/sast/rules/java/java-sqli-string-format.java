class Orders {
    void find(java.sql.Connection c, String id) throws Exception {
        // ruleid: java-sqli-string-format
        c.createStatement().executeQuery(String.format("SELECT * FROM o WHERE id = '%s'", id));
        // ok: java-sqli-string-format
        c.prepareStatement("SELECT * FROM o WHERE id = ?");
    }
}
