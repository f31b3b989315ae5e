// ruleid: js-new-function-injection
const f = new Function("a", "return a + " + req.query.n);
// ok: js-new-function-injection
const g = new Function("a", "return a + 1");
