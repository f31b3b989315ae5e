app.get("/hello", (req, res) => {
  // ruleid: js-express-response-xss
  res.send("<h1>Hello " + req.query.name + "</h1>");
  // ok: js-express-response-xss
  res.send("<h1>Hello " + escape(req.query.name) + "</h1>");
  // ok: js-express-response-xss
  res.json({ name: req.query.name });
});
