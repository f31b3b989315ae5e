import javax.script.*;

class Calc {
    Object calc(String expr) throws Exception {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("js");
        // ruleid: java-script-engine-eval
        return engine.eval(expr);
    }
    Object two() throws Exception {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("js");
        // ok: java-script-engine-eval
        return engine.eval("1 + 1");
    }
}
