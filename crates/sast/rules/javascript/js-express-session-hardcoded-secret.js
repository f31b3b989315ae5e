const session = require("express-session");

// ruleid: js-express-session-hardcoded-secret
app.use(session({ secret: "keyboard cat", resave: false }));
// ok: js-express-session-hardcoded-secret
app.use(session({ secret: process.env.SESSION_SECRET, resave: false }));
