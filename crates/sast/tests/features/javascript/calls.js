const cp = require('child_process');
const { exec } = require('child_process');
import * as proc from 'child_process';

// ruleid: child-process-exec
cp.exec(userInput);
// ruleid: child-process-exec
exec("ls " + dir, opts);
// ruleid: child-process-exec
proc.exec(cmd);
// ok: child-process-exec
cp.execFile("ls", [dir]);
// ruleid: last-arg-callback
fs.readFile(path, "utf8", function (err, data) { console.log(data); });
// ok: last-arg-callback
fs.readFile(path, "utf8");
// ruleid: eval-concat
eval("return " + input);
// ok: eval-concat
eval(input);
