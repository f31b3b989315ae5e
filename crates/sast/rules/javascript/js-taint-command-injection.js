const { exec, execFile } = require('child_process');

function ping(host) {
  // ruleid: js-taint-command-injection
  exec('ping -c 1 ' + host);
}

app.get('/ping', (req, res) => {
  const host = req.query.host;
  ping(host);
  // ruleid: js-taint-command-injection
  exec(`nslookup ${host}`, (err, out) => res.send(out));
  // ok: js-taint-command-injection
  execFile('nslookup', [host]);
  // ok: js-taint-command-injection
  exec('uptime');
});
