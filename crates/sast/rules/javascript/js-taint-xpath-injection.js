const express = require("express");
const xpath = require("xpath");
const app = express();

function find(doc, name) {
  // ruleid: js-taint-xpath-injection
  return xpath.select("//user[name='" + name + "']", doc);
}

app.get("/user", (req, res) => {
  const name = req.query.name;
  // ruleid: js-taint-xpath-injection
  const nodes = xpath.select(`//user[name='${name}']/email`, doc);
  find(doc, req.query.other);
  // ok: js-taint-xpath-injection
  const all = xpath.select("//user/name", doc);
  // ok: js-taint-xpath-injection
  const byId = xpath.select("//user[@id=" + parseInt(req.query.id, 10) + "]", doc);
  res.json({ nodes, all, byId });
});
