const express = require("express");
const app = express();

app.get("/download", (req, res) => {
  const name = req.query.name;
  // ruleid: js-taint-header-injection
  res.setHeader("Content-Disposition", "attachment; filename=" + name);
  // ruleid: js-taint-header-injection
  res.set("X-Requested", name);
  // ok: js-taint-header-injection
  res.setHeader("Content-Disposition", "attachment; filename=" + encodeURIComponent(name));
  // ok: js-taint-header-injection
  res.setHeader("X-Frame-Options", "DENY");
  res.send("ok");
});
