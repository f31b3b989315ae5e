import javax.script.*;
import javax.servlet.http.*;
import org.springframework.expression.spel.standard.SpelExpressionParser;

public class Calc extends HttpServlet {
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String expr = request.getParameter("expr");
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("js");
        // ruleid: java-taint-code-injection
        engine.eval("var x = " + expr);
        SpelExpressionParser parser = new SpelExpressionParser();
        // ruleid: java-taint-code-injection
        parser.parseExpression(expr).getValue();
        // ok: java-taint-code-injection
        engine.eval("1 + 1");
        // ok: java-taint-code-injection
        parser.parseExpression("T(java.lang.Math).random()").getValue();
    }
}
