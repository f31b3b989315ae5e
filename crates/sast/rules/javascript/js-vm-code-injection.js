const vm = require("vm");

// ruleid: js-vm-code-injection
vm.runInNewContext(req.body.code, {});
// ruleid: js-vm-code-injection
const s = new vm.Script(source);
// ok: js-vm-code-injection
vm.runInNewContext("1 + 1", {});
