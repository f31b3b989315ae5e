const crypto = require("crypto");

// ruleid: js-weak-hash
const etag = crypto.createHash("md5").update(body).digest("hex");
// ruleid: js-weak-hash
const sig = crypto.createHash('sha1').update(body).digest("hex");
// ok: js-weak-hash
const ok = crypto.createHash("sha256").update(body).digest("hex");
