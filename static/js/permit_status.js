// The official status of the document typed on the check form, shown beside it. The lookup runs
// in the background with its own timeout: the officer never waits for it to save the check.
(function () {
  "use strict";
  var box = document.getElementById("official-permit-status");
  var number = document.getElementById("id_person-document_number");
  var country = document.getElementById("id_person-document_country");
  var nationality = document.getElementById("id_person-nationality");
  if (!box || !number) {
    return;
  }
  var timer = null;
  var controller = null;
  var timeoutMs = parseInt(box.dataset.timeoutMs || "5000", 10);

  function show(text) {
    box.textContent = text;
    box.hidden = !text;
  }

  function lookup() {
    var code = (country && country.value) || (nationality && nationality.value) || "";
    var value = number.value.trim();
    if (value.length < 5 || code.length !== 2) {
      show("");
      return;
    }
    if (controller) {
      controller.abort();
    }
    controller = new AbortController();
    var mine = controller;
    var expire = setTimeout(function () { mine.abort(); }, timeoutMs);
    show(box.dataset.msgLooking);
    var url = box.dataset.url + "?" + new URLSearchParams({ document_number: value, issuing_country: code });
    fetch(url, { credentials: "same-origin", signal: mine.signal, headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.status === "found") {
          show(box.dataset.msgFound + " " + data.permit_type + (data.permit_number ? " " + data.permit_number : "") +
            (data.valid_until ? " · " + box.dataset.msgUntil + " " + data.valid_until : "") +
            (data.sponsor ? " · " + data.sponsor : ""));
        } else if (data.status === "not_found") {
          show(box.dataset.msgNotFound);
        } else if (data.status === "unavailable") {
          show(box.dataset.msgUnavailable);
        } else {
          show("");
        }
      })
      .catch(function () {
        if (mine === controller) {
          show(box.dataset.msgUnavailable);
        }
      })
      .finally(function () { clearTimeout(expire); });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(lookup, 500);
  }
  number.addEventListener("input", later);
  [country, nationality].forEach(function (select) {
    if (select) {
      select.addEventListener("change", later);
    }
  });
})();
