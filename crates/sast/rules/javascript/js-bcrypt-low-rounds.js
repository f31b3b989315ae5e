const bcrypt = require("bcrypt");

// ruleid: js-bcrypt-low-rounds
const h = await bcrypt.hash(password, 4);
// ok: js-bcrypt-low-rounds
const h2 = await bcrypt.hash(password, 12);
