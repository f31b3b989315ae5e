const jwt = require("jsonwebtoken");

// ruleid: js-jwt-hardcoded-secret
const token = jwt.sign({ sub: user.id }, "super-secret", { expiresIn: "1h" });
// ok: js-jwt-hardcoded-secret
const token2 = jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: "1h" });
