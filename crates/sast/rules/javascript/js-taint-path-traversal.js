const fs = require('fs');
const path = require('path');
const ROOT = '/srv/files';

app.get('/file', (req, res) => {
  const name = req.query.name;
  // ruleid: js-taint-path-traversal
  fs.readFile(path.join(ROOT, name), (e, d) => res.send(d));
  // ruleid: js-taint-path-traversal
  res.sendFile(ROOT + '/' + req.params.file);
  // ok: js-taint-path-traversal
  fs.readFileSync(path.join(ROOT, path.basename(name)));
  const full = path.resolve(ROOT, name);
  if (!full.startsWith(ROOT)) {
    return res.status(400).end();
  }
  // ok: js-taint-path-traversal
  fs.createReadStream(full).pipe(res);
});
