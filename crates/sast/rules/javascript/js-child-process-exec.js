const cp = require("child_process");
const { exec } = require("child_process");

function ping(host) {
  // ruleid: js-child-process-exec
  cp.exec("ping -c 1 " + host);
  // ruleid: js-child-process-exec
  exec(`nslookup ${host}`, (err, out) => {});
  // ok: js-child-process-exec
  cp.execFile("ping", ["-c", "1", host]);
  // ok: js-child-process-exec
  exec("uptime");
}
