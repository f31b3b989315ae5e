function show(msg) {
  // ruleid: js-innerhtml-assignment
  document.getElementById("out").innerHTML = msg;
  // ruleid: js-innerhtml-assignment
  el.outerHTML = "<b>" + location.hash + "</b>";
  // ok: js-innerhtml-assignment
  el.innerHTML = "<b>loading</b>";
  // ok: js-innerhtml-assignment
  el.innerHTML = DOMPurify.sanitize(msg);
  // ok: js-innerhtml-assignment
  el.textContent = msg;
}
