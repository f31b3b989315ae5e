const ALLOWED = ['/home', '/account'];

app.get('/go', (req, res) => {
  const next = req.query.next;
  if (ALLOWED.includes(next)) {
    // ok: js-open-redirect
    return res.redirect(next);
  }
  // ruleid: js-open-redirect
  res.redirect(302, next);
});
