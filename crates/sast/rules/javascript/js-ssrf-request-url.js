const axios = require("axios");

app.get("/proxy", async (req, res) => {
  // ruleid: js-ssrf-request-url
  const r = await axios.get(req.query.url);
  // ruleid: js-ssrf-request-url
  const s = await fetch(`https://${req.body.host}/status`);
  // ok: js-ssrf-request-url
  const t = await fetch("https://api.example.com/status");
  res.send(r.data);
});
