app.post("/login", async (req, res) => {
  // ruleid: js-nosql-request-object-query
  const user = await User.findOne({ name: req.body.name, password: req.body.password });
  // ruleid: js-nosql-request-object-query
  const rows = await Item.find(req.query);
  // ok: js-nosql-request-object-query
  const safe = await User.findOne({ name: String(req.body.name) });
});
