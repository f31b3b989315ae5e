function calc(expr) {
  // ruleid: js-eval-injection
  return eval(expr);
}
// ruleid: js-eval-injection
eval("var x = " + req.query.x);
// ok: js-eval-injection
eval("1 + 1");
