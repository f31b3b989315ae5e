const express = require("express");
const app = express();
const logger = require("./logger");

function audit(user) {
  // ruleid: js-taint-log-injection
  logger.info("login attempt for " + user);
}

app.post("/login", (req, res) => {
  const user = req.body.user;
  // ruleid: js-taint-log-injection
  console.log(`failed login for ${user}`);
  audit(user);
  // ok: js-taint-log-injection
  console.log("failed login for " + JSON.stringify(user));
  // ok: js-taint-log-injection
  console.log("login form submitted");
  res.send("no");
});
