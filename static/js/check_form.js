// The check form: search the registry as you type, or add a new person, filled from a pasted MRZ.
(function () {
  "use strict";
  var form = document.getElementById("check-form");
  if (!form) return;
  form.querySelectorAll("select[data-options-from]").forEach(function (select) {
    var source = document.getElementById(select.dataset.optionsFrom);
    var current = select.value;
    select.textContent = "";
    Array.prototype.forEach.call(source.children, function (option) {
      select.appendChild(option.cloneNode(true));
    });
    select.value = current;
    // Most passports are issued by the holder's own country: follow the nationality until changed.
    var followed = !current;
    source.addEventListener("change", function () { if (followed) select.value = source.value; });
    select.addEventListener("change", function () { followed = false; });
  });
  var personInput = form.querySelector("[name=person]");
  var mode = document.getElementById("person_mode");
  var results = document.getElementById("person-results");
  var chosen = document.getElementById("person-chosen");
  var timer = null;

  function showNew(isNew) {
    mode.value = isNew ? "new" : "existing";
    document.getElementById("person-new").hidden = !isNew;
    document.getElementById("person-existing").hidden = isNew;
    if (isNew) personInput.value = "";
    if (note) proposeFor(isNew && permitUntil ? permitUntil.value : "");
  }
  document.getElementById("person-new-button").addEventListener("click", function () { showNew(true); });

  // An expired stay permit proposes the overstay finding on the form itself: the result is set
  // to Finding (unless chosen by hand) and the ticked "record the proposed finding" box says why.
  var note = document.getElementById("proposed-finding-note");
  var resultByHand = false, resultSetHere = false;
  form.querySelectorAll("[name=result]").forEach(function (radio) {
    radio.addEventListener("change", function () { resultByHand = true; });
  });
  function setResult(value) {
    var radio = form.querySelector("[name=result][value=" + value + "]");
    if (radio) radio.checked = true;
  }
  function proposeFor(validUntil) {
    var report = Date.parse(form.dataset.reportDate), until = Date.parse(validUntil || "");
    var days = isNaN(report) || isNaN(until) ? 0 : Math.round((report - until) / 86400000);
    note.hidden = days <= 0;
    note.textContent = days > 0 ? form.dataset.msgExpired.replace("{days}", days) : "";
    if (resultByHand) return;
    if (days > 0) { setResult("finding"); resultSetHere = true; }
    else if (resultSetHere) { setResult("compliant"); resultSetHere = false; }
  }
  var permitUntil = form.querySelector("[name='person-permit_valid_until']");
  if (permitUntil) {
    ["input", "change"].forEach(function (type) {
      permitUntil.addEventListener(type, function () { if (mode.value === "new") proposeFor(permitUntil.value); });
    });
  }

  function choose(person) {
    proposeFor(person.permit_expiry);
    personInput.value = person.id;
    results.textContent = "";
    chosen.hidden = false;
    chosen.textContent = person.full_name + " · " + person.nationality +
      (person.document_number ? " · " + person.document_number : "") +
      (person.permit_type ? " · " + person.permit_type + (person.permit_expiry ? " " + person.permit_expiry : "") : "");
  }

  document.getElementById("person-search").addEventListener("input", function (event) {
    clearTimeout(timer);
    var query = event.target.value.trim();
    if (query.length < 3) { results.textContent = ""; return; }
    timer = setTimeout(function () {
      fetch(form.dataset.lookupUrl + "?limit=8&q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (people) {
          results.textContent = "";
          if (!people.length) {
            var empty = document.createElement("li");
            empty.className = "muted";
            empty.textContent = form.dataset.msgNone;
            results.appendChild(empty);
            return;
          }
          people.forEach(function (person) {
            var item = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.className = "secondary outline";
            button.dataset.testid = "person-result";
            button.textContent = person.full_name + " · " + person.nationality +
              (person.birth_date ? " · " + person.birth_date : "") +
              (person.document_number ? " · " + person.document_number : "");
            button.addEventListener("click", function () { choose(person); });
            item.appendChild(button);
            results.appendChild(item);
          });
        })
        .catch(function () {});
    }, 250);
  });

  var fieldNames = {
    full_name: "person-full_name", sex: "person-sex", birth_date: "person-birth_date",
    nationality: "person-nationality", document_number: "person-document_number",
    document_country: "person-document_country", document_expiry: "person-document_expiry",
    document_kind: "person-document_kind"
  };
  var mrzFieldToInput = {
    document_number: "person-document_number", birth_date: "person-birth_date",
    nationality: "person-nationality", issuing_country: "person-document_country",
    sex: "person-sex", names: "person-full_name"
  };
  var status = document.getElementById("mrz-status");
  function clearMrzErrors() {
    form.querySelectorAll(".mrz-error").forEach(function (node) { node.remove(); });
  }
  // A full zone pasted (2×44 or 3×30 characters) is read at once: one step fewer on the phone.
  var lastRead = "";
  document.getElementById("mrz").addEventListener("input", function (event) {
    var compact = event.target.value.replace(/\s+/g, "");
    if ((compact.length === 88 || compact.length === 90) && compact !== lastRead) {
      lastRead = compact;
      document.getElementById("mrz-read").click();
    }
  });
  document.getElementById("mrz-read").addEventListener("click", function () {
    clearMrzErrors();
    var body = new FormData();
    body.append("mrz", document.getElementById("mrz").value);
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    fetch(form.dataset.mrzUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
      .then(function (pair) {
        var ok = pair[0], data = pair[1];
        if (!ok) {
          status.className = "field-error";
          status.textContent = data.error;
          var target = form.querySelector("[name='" + (mrzFieldToInput[data.field] || "") + "']");
          if (target) {
            var note = document.createElement("p");
            note.className = "field-error mrz-error";
            note.dataset.testid = "mrz-field-error";
            note.textContent = data.error;
            target.insertAdjacentElement("afterend", note);
          }
          return;
        }
        Object.keys(fieldNames).forEach(function (key) {
          var input = form.querySelector("[name='" + fieldNames[key] + "']");
          if (input && data[key] !== undefined && data[key] !== null) input.value = data[key];
        });
        status.className = "muted";
        status.textContent = form.dataset.msgMrzOk;
        showNew(true);  // the zone names someone: their fields open, filled
        proposeFor(permitUntil ? permitUntil.value : "");
      })
      .catch(function () {});
  });
})();
