const crypto = require("crypto");

// ruleid: js-ecb-mode
const c = crypto.createCipheriv("aes-128-ecb", key, null);
// ok: js-ecb-mode
const g = crypto.createCipheriv("aes-128-gcm", key, iv);
