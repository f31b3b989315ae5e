import java.sql.*;
import java.util.*;
import javax.servlet.http.*;

public class Users extends HttpServlet {
    private static final String BASE = "SELECT * FROM users WHERE name = '";

    private String where(String v) {
        return BASE + v + "'";
    }

    private void run(Statement st, String sql) throws SQLException {
        // ruleid: java-taint-sqli
        st.executeQuery(sql);
    }

    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String name = request.getParameter("name");
        Statement st = conn.createStatement();
        // ruleid: java-taint-sqli
        st.executeQuery(BASE + name + "'");
        // ruleid: java-taint-sqli
        st.execute(where(name));
        run(st, request.getHeader("X-Filter"));
        StringBuilder sb = new StringBuilder("SELECT * FROM t WHERE a = ");
        sb.append(name);
        // ruleid: java-taint-sqli
        conn.prepareStatement(sb.toString());
        // ok: java-taint-sqli
        PreparedStatement ps = conn.prepareStatement("SELECT * FROM users WHERE name = ?");
        ps.setString(1, name);
        // ok: java-taint-sqli
        st.executeQuery("SELECT * FROM users WHERE id = " + Integer.parseInt(name));
        Map<String, String> m = new HashMap<>();
        m.put("safe", "users");
        m.put("tainted", name);
        // ok: java-taint-sqli
        st.executeQuery("SELECT * FROM " + m.get("safe"));
        String bar = (7 * 42) - 86 > 200 ? "constant" : name;
        // ok: java-taint-sqli
        st.executeQuery("SELECT * FROM users WHERE name = '" + bar + "'");
    }
}

@RestController
class UserController {
    @GetMapping("/users")
    public List<Map<String, Object>> find(@RequestParam("name") String name, @RequestParam int limit) {
        // ruleid: java-taint-sqli
        jdbc.queryForList("SELECT * FROM users WHERE name = '" + name + "'");
        // ok: java-taint-sqli
        return jdbc.queryForList("SELECT * FROM users WHERE name = ?", name);
    }
}
