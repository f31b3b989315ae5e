const serialize = require("node-serialize");

function load(cookie) {
  // ruleid: js-node-serialize-unserialize
  return serialize.unserialize(Buffer.from(cookie, "base64").toString());
}
function save(obj) {
  // ok: js-node-serialize-unserialize
  return serialize.serialize(obj);
}
