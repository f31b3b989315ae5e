const { spawn } = require("child_process");

function run(cmd, args) {
  // ruleid: js-spawn-shell-true
  spawn(cmd, args, { shell: true });
  // ok: js-spawn-shell-true
  spawn(cmd, args);
}
