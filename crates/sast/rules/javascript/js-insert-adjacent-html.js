// ruleid: js-insert-adjacent-html
list.insertAdjacentHTML("beforeend", "<li>" + item + "</li>");
// ok: js-insert-adjacent-html
list.insertAdjacentHTML("beforeend", "<li>static</li>");
