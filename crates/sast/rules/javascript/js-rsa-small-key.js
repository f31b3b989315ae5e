const crypto = require("crypto");

// ruleid: js-rsa-small-key
const pair = crypto.generateKeyPairSync("rsa", { modulusLength: 1024 });
// ok: js-rsa-small-key
const pair2 = crypto.generateKeyPairSync("rsa", { modulusLength: 3072 });
