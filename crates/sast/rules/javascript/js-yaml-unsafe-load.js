const yaml = require("js-yaml");

// ruleid: js-yaml-unsafe-load
const cfg = yaml.load(text, { schema: yaml.DEFAULT_FULL_SCHEMA });
// ok: js-yaml-unsafe-load
const cfg2 = yaml.load(text);
