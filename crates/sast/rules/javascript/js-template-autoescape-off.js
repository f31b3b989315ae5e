const nunjucks = require("nunjucks");
const Handlebars = require("handlebars");

// ruleid: js-template-autoescape-off
nunjucks.configure("views", { autoescape: false });
// ruleid: js-template-autoescape-off
const t = Handlebars.compile(src, { noEscape: true });
// ok: js-template-autoescape-off
nunjucks.configure("views", { autoescape: true });
