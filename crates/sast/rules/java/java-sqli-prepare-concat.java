class Repo {
    void find(java.sql.Connection c, String table, String id) throws Exception {
        // ruleid: java-sqli-prepare-concat
        c.prepareStatement("SELECT * FROM " + table + " WHERE id = ?");
        // ok: java-sqli-prepare-concat
        c.prepareStatement("SELECT * FROM items WHERE id = ?");
    }
}
