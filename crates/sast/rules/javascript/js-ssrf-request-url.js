const axios = require('axios');
const HOSTS = ['https://a.example.com', 'https://b.example.com'];

app.get('/proxy', async (req, res) => {
  const url = req.query.url;
  // ruleid: js-ssrf-request-url
  const r = await axios.get(url);
  if (HOSTS.includes(url)) {
    // ok: js-ssrf-request-url
    await fetch(url);
  }
  // ok: js-ssrf-request-url
  await fetch('https://api.example.com/status?q=' + encodeURIComponent(url));
  res.send('ok');
});
