app.post('/calc', (req, res) => {
  const expr = req.body.expr;
  // ruleid: js-eval-injection
  const out = eval('(' + expr + ')');
  // ok: js-eval-injection
  const n = eval(String(parseInt(expr, 10)));
  // ok: js-eval-injection
  const data = JSON.parse(expr);
  res.json({ out });
});
