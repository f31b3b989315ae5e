const xpath = require("xpath");

function user(doc, name) {
  // ruleid: js-xpath-injection
  return xpath.select(`//user[@name='${name}']`, doc);
}
function user2(doc, name) {
  // ruleid: js-xpath-injection
  return doc.evaluate("//user[@name='" + name + "']", doc, null, 0, null);
}
// ok: js-xpath-injection
xpath.select("//user", doc);
