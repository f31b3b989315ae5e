import javax.servlet.http.*;
import java.sql.*;
import java.util.*;

public class Flows extends HttpServlet {
    private static final String BASE = "SELECT * FROM users WHERE id = ";

    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String id = request.getParameter("id");
        Statement st = conn.createStatement();
        st.executeQuery("SELECT * FROM t WHERE id = " + id); // bad
        StringBuilder sb = new StringBuilder();
        sb.append(BASE);
        sb.append(id);
        st.execute(sb.toString()); // bad
        st.execute(build(id)); // bad
        int n = Integer.parseInt(id);
        st.execute(BASE + n); // ok
        Map<String, String> map = new HashMap<>();
        map.put("keyA", "safe");
        map.put("keyB", id);
        st.execute(map.get("keyA")); // ok
        st.execute(map.get("keyB")); // bad
        String bar = (7 * 42) - 86 > 200 ? "constant" : id;
        st.execute(bar); // ok
        String other = id;
        other = "fixed";
        st.execute(other); // ok
        PreparedStatement ps = conn.prepareStatement("SELECT * FROM t WHERE id = ?");
        ps.setString(1, id); // ok
        run(st, id);
    }

    private String build(String v) {
        return BASE + v;
    }

    private void run(Statement st, String q) throws Exception {
        st.execute(q); // bad
    }
}
