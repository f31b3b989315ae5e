const cors = require("cors");

// ruleid: js-cors-wildcard-origin
app.use(cors({ origin: "*" }));
// ruleid: js-cors-wildcard-origin
app.use(cors({ origin: true, credentials: true }));
app.use((req, res, next) => {
  // ruleid: js-cors-wildcard-origin
  res.setHeader("Access-Control-Allow-Origin", "*");
  next();
});
// ok: js-cors-wildcard-origin
app.use(cors({ origin: ["https://app.example.com"] }));
