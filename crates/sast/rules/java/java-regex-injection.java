import java.util.regex.Pattern;

class Search {
    boolean find(javax.servlet.http.HttpServletRequest req, String text) {
        // ruleid: java-regex-injection
        Pattern p = Pattern.compile(req.getParameter("q"));
        // ok: java-regex-injection
        Pattern q = Pattern.compile(Pattern.quote(req.getParameter("q")));
        return p.matcher(text).find();
    }
}
