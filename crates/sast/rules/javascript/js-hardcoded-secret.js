// ruleid: js-hardcoded-secret
const jwtSecret = "s3cr3t-signing-key";
// ruleid: js-hardcoded-secret
const config = { user: "app", password: "Pr0d-Passw0rd" };
// ok: js-hardcoded-secret
const password = process.env.DB_PASSWORD;
// ok: js-hardcoded-secret
const apiKey = "changeme";
