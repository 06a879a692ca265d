// The export job page: asks how far the worker got and reloads the page (which then offers
// the file, or says it failed) once the job is over. No inline script (CSP); without script
// the page's "Check again" link does the same by hand.
(function () {
  "use strict";
  var bar = document.getElementById("export-progress");
  if (!bar) return;
  var url = bar.getAttribute("data-url");
  var seconds = parseInt(bar.getAttribute("data-poll-seconds"), 10) || 2;
  var text = document.getElementById("export-progress-text");
  var counting = text ? text.getAttribute("data-msg-counting") : "";
  var of = text ? text.getAttribute("data-msg-of") : "";

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data.running) {
          window.location.reload();
          return;
        }
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        if (text) {
          text.textContent = data.rows_total
            ? of.replace("%(done)s", data.rows_done).replace("%(total)s", data.rows_total)
            : counting;
        }
        window.setTimeout(poll, seconds * 1000);
      })
      .catch(function () {
        window.setTimeout(poll, seconds * 4000);
      });
  }

  window.setTimeout(poll, seconds * 1000);
})();
