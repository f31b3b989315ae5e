const libxmljs = require("libxmljs");

// ruleid: js-xxe-libxmljs-noent
const doc = libxmljs.parseXml(body, { noent: true });
// ok: js-xxe-libxmljs-noent
const doc2 = libxmljs.parseXml(body);
