const fs = require("fs");
const path = require("path");

app.get("/file", (req, res) => {
  // ruleid: js-path-traversal-fs
  fs.readFile(path.join(__dirname, "files", req.query.name), (e, d) => res.send(d));
  // ruleid: js-path-traversal-fs
  const s = fs.createReadStream("uploads/" + req.params.file);
  // ok: js-path-traversal-fs
  fs.readFile(path.join(__dirname, "files", "index.html"), (e, d) => res.send(d));
});
