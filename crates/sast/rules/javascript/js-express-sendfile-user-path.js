app.get("/download", (req, res) => {
  // ruleid: js-express-sendfile-user-path
  res.sendFile(__dirname + "/files/" + req.query.name);
  // ok: js-express-sendfile-user-path
  res.sendFile(req.query.name, { root: "public" });
});
