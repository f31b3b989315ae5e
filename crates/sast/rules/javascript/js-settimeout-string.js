// ruleid: js-settimeout-string
setTimeout("update(" + id + ")", 100);
// ok: js-settimeout-string
setTimeout(() => update(id), 100);
