const https = require("https");

// ruleid: js-tls-reject-unauthorized
const agent = new https.Agent({ rejectUnauthorized: true });
// ok: js-tls-reject-unauthorized
const agent2 = new https.Agent({ ca: fs.readFileSync("ca.pem") });
