app.post("/login", (req, res) => {
  // ruleid: js-cookie-secure-false
  res.cookie("sid", sid, { httpOnly: true, secure: true });
  // ok: js-cookie-secure-false
  res.cookie("sid", sid, { httpOnly: true, secure: true });
});
