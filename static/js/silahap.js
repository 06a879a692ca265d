// Shared helpers and behaviour. A form marked data-once disables its buttons after the first
// submit, so a double tap sends one request; the server's client ids make any repeat harmless.
(function () {
  "use strict";
  // Text from the database never becomes markup in a script: a label is an element whose
  // textContent is set (Leaflet's bindTooltip/bindPopup insert a string as HTML, an element as is),
  // and a link target from data is followed only when it stays on this site.
  window.SiLAHAP = {
    textElement: function (tag, text) {
      var node = document.createElement(tag);
      node.textContent = text == null ? "" : String(text);
      return node;
    },
    // This site's own URL, absolute; null for javascript:, data: and any other origin.
    sameOriginUrl: function (value) {
      var url;
      try { url = new URL(String(value), window.location.href); } catch (error) { return null; }
      return url.origin === window.location.origin ? url.href : null;
    },
    // A part of a page rendered by this site's own templates (which escape every value), parsed
    // inert in a <template>; refused unless it is a plain 200 from here (not an error or login page).
    fetchFragment: function (url) {
      return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok || response.redirected) throw new Error("fragment " + response.status);
          return response.text();
        })
        .then(function (html) {
          var template = document.createElement("template");
          template.innerHTML = html;
          return template.content;
        });
    },
    replaceContent: function (holder, fragment) {
      holder.textContent = "";
      holder.appendChild(fragment);
    }
  };

  // A form that came back with errors: the title says so first (read when the page loads), and
  // focus goes to the first field to fix, whose error is tied to it with aria-describedby.
  document.addEventListener("DOMContentLoaded", function () {
    var main = document.querySelector("main");
    if (!main) return;
    var field = main.querySelector("[aria-invalid=true]");
    var summary = main.querySelector("[data-testid=form-errors], .errorlist");
    if (!field && !summary) return;
    document.title = document.documentElement.dataset.msgError + ": " + document.title;
    var target = field || summary;
    if (!field) target.setAttribute("tabindex", "-1");
    target.focus();
  });

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
