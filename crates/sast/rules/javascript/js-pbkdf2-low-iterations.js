const crypto = require("crypto");

// ruleid: js-pbkdf2-low-iterations
const key = crypto.pbkdf2Sync(password, salt, 1000, 32, "sha256");
// ok: js-pbkdf2-low-iterations
const key2 = crypto.pbkdf2Sync(password, salt, 600000, 32, "sha256");
