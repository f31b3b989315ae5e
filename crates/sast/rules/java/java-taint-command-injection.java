import javax.servlet.http.*;

public class Ping extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String host = request.getParameter("host");
        // ruleid: java-taint-command-injection
        Runtime.getRuntime().exec("ping -c 1 " + host);
        String[] args = {"sh", "-c", "nslookup " + host};
        // ruleid: java-taint-command-injection
        Runtime.getRuntime().exec(args);
        // ok: java-taint-command-injection
        Runtime.getRuntime().exec("uptime");
        int count = Integer.parseInt(request.getParameter("n"));
        // ok: java-taint-command-injection
        new ProcessBuilder("ping", "-c", String.valueOf(count), "localhost").start();
    }
}
