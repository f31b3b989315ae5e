const escapeHtml = require('escape-html');

function greet(name) {
  return '<h1>Hello ' + name + '</h1>';
}

app.get('/hello', (req, res) => {
  const name = req.query.name;
  // ruleid: js-express-response-xss
  res.send(greet(name));
  // ok: js-express-response-xss
  res.send(greet(escapeHtml(name)));
  // ok: js-express-response-xss
  res.json({ name });
  // ruleid: js-express-response-xss
  res.write('<p>' + req.body.comment + '</p>');
});
