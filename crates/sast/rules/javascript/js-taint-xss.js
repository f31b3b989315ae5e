const escapeHtml = require('escape-html');

function greet(name) {
  return '<h1>Hello ' + name + '</h1>';
}

app.get('/hello', (req, res) => {
  const name = req.query.name;
  // ruleid: js-taint-xss
  res.send(greet(name));
  // ok: js-taint-xss
  res.send(greet(escapeHtml(name)));
  // ok: js-taint-xss
  res.json({ name });
  // ruleid: js-taint-xss
  res.write('<p>' + req.body.comment + '</p>');
});
