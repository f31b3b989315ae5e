app.get("/login/done", (req, res) => {
  // ruleid: js-open-redirect
  res.redirect(req.query.next);
  // ruleid: js-open-redirect
  res.redirect(302, "https://" + req.query.host);
  // ok: js-open-redirect
  res.redirect("/home");
});
