const crypto = require("crypto");

// ruleid: js-weak-cipher
const c = crypto.createCipheriv("des-ede3-cbc", key, iv);
// ruleid: js-weak-cipher
const d = crypto.createCipheriv("rc4", key, null);
// ok: js-weak-cipher
const e = crypto.createCipheriv("aes-256-gcm", key, iv);
