function a(req) {
  // ruleid: var-then-eval
  const code = req.query.code;
  if (code) {
    eval(code);
  }
}

function b(req) {
  // ok: var-then-eval
  const code = req.query.code;
  eval(other);
}

// ruleid: arrow-handler
app.get("/x", (req, res) => {
  res.send("x");
});
// ok: arrow-handler
app.get("/y", handler);
