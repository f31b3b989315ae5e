const fs = require('fs');
const path = require('path');
const ROOT = '/srv/files';

app.get('/file', (req, res) => {
  const name = req.query.name;
  // ruleid: js-path-traversal-fs
  fs.readFile(path.join(ROOT, name), (e, d) => res.send(d));
  // ruleid: js-path-traversal-fs
  res.sendFile(ROOT + '/' + req.params.file);
  // ok: js-path-traversal-fs
  fs.readFileSync(path.join(ROOT, path.basename(name)));
  const full = path.resolve(ROOT, name);
  if (!full.startsWith(ROOT)) {
    return res.status(400).end();
  }
  // ok: js-path-traversal-fs
  fs.createReadStream(full).pipe(res);
});
