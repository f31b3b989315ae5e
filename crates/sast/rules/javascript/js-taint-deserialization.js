const express = require("express");
const serialize = require("node-serialize");
const app = express();

function restore(blob) {
  // ruleid: js-taint-deserialization
  return serialize.unserialize(blob);
}

app.get("/profile", (req, res) => {
  const raw = Buffer.from(req.cookies.profile, "base64").toString();
  // ruleid: js-taint-deserialization
  const profile = serialize.unserialize(raw);
  restore(req.body.state);
  // ok: js-taint-deserialization
  const parsed = JSON.parse(raw);
  // ok: js-taint-deserialization
  const defaults = serialize.unserialize('{"theme":"dark"}');
  res.json({ profile, parsed, defaults });
});
