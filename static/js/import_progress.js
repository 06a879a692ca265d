// The import job page: polls the job's progress and reloads the page once the run is over.
// No inline script (CSP).
(function () {
  "use strict";
  var bar = document.getElementById("import-progress");
  if (!bar) return;
  var url = bar.getAttribute("data-url");
  var seconds = parseInt(bar.getAttribute("data-poll-seconds"), 10) || 2;
  var text = document.getElementById("import-progress-text");
  var template = text ? text.textContent : "";

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        bar.max = data.total || 1;
        bar.value = data.processed;
        if (text) text.textContent = data.processed + " / " + data.total + " (" + data.percent + "%)";
        if (!data.running) window.location.reload();
        else window.setTimeout(poll, seconds * 1000);
      })
      .catch(function () {
        if (text) text.textContent = template;
        window.setTimeout(poll, seconds * 4000);
      });
  }

  window.setTimeout(poll, seconds * 1000);
})();
