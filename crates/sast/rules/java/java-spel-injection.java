import org.springframework.expression.spel.standard.SpelExpressionParser;

class Eval {
    Object eval(String input) {
        SpelExpressionParser parser = new SpelExpressionParser();
        // ruleid: java-spel-injection
        return parser.parseExpression(input).getValue();
    }
    Object ok() {
        SpelExpressionParser parser = new SpelExpressionParser();
        // ok: java-spel-injection
        return parser.parseExpression("1 + 1").getValue();
    }
}
