const session = require("express-session");

// ruleid: js-cookie-httponly-false
app.use(session({ secret: process.env.S, cookie: { httpOnly: true } }));
// ok: js-cookie-httponly-false
app.use(session({ secret: process.env.S, cookie: { httpOnly: true, secure: true } }));
