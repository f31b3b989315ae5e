const errorhandler = require("errorhandler");

// ruleid: js-express-error-handler-in-production
app.use(errorhandler());
if (process.env.NODE_ENV === "development") {
  // ok: js-express-error-handler-in-production
  app.use(errorhandler());
}
