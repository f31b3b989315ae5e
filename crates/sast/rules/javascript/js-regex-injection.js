app.get("/search", (req, res) => {
  // ruleid: js-regex-injection
  const re = new RegExp(req.query.q, "i");
  // ok: js-regex-injection
  const re2 = new RegExp(escapeRegExp(q), "i");
  res.json(items.filter((i) => re.test(i)));
});
