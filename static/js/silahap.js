// Shared behaviour: a form marked data-once disables its buttons after the first submit, so a
// double tap sends one request; the server's client ids make any repeat harmless anyway.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once") || form.hasAttribute("data-outbox")) return;
    if (form.dataset.sending === "1") { event.preventDefault(); return; }
    form.dataset.sending = "1";
    setTimeout(function () { form.dataset.sending = ""; }, 8000);
  }, true);
  // Choosing a photo uploads it: the caption, if any, is typed first.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type === "file" && input.hasAttribute("data-autosubmit") && input.files.length) {
      input.form.requestSubmit();
    }
  });
})();
