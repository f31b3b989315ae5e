const jwt = require("jsonwebtoken");

function user(req) {
  // ruleid: js-jwt-decode-without-verify
  const claims = jwt.decode(req.headers.authorization.split(" ")[1]);
  return claims.sub;
}
function user2(req) {
  // ok: js-jwt-decode-without-verify
  const claims = jwt.verify(token, process.env.JWT_SECRET, { algorithms: ["HS256"] });
  return claims.sub;
}
