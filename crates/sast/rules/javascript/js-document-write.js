// ruleid: js-document-write
document.write("<p>" + location.search + "</p>");
// ok: js-document-write
document.write("<p>hello</p>");
