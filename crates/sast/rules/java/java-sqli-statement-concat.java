import java.sql.*;

class Users {
    ResultSet find(Connection c, String name) throws SQLException {
        Statement st = c.createStatement();
        // ruleid: java-sqli-statement-concat
        st.executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
        // ruleid: java-sqli-statement-concat
        String q = "DELETE FROM users WHERE id = " + name;
        st.executeUpdate(q);
        // ok: java-sqli-statement-concat
        return st.executeQuery("SELECT * FROM users");
    }
}
