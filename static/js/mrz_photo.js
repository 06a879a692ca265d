// The camera button (issue #22): photograph a passport page or stay permit card, shrink it on the
// phone, have the server read its machine-readable zone, and fill the form for the officer to
// confirm. A field the check digits could not confirm is left empty and named; names, nationality
// and sex come with the reader's certainty. An existing registry person is offered first.
(function () {
  "use strict";
  // The MRZ band needs no more than ~1200 px: the page fills 55-75 % of a photo this wide.
  var MAX_WIDTH = 1600;
  var MAX_BYTES = 150 * 1024;

  function shrink(file) {
    if (!window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_WIDTH / bitmap.width);
      function encode(scaleNow, quality) {
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scaleNow);
        canvas.height = Math.round(bitmap.height * scaleNow);
        var context = canvas.getContext("2d");
        // Grey is all the reader uses, and it halves the bytes.
        context.filter = "grayscale(1)";
        context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality); })
          .then(function (blob) {
            if (!blob) return file;
            if (blob.size <= MAX_BYTES) return blob;
            if (quality > 0.45) return encode(scaleNow, quality - 0.1);
            if (scaleNow > 0.5) return encode(scaleNow * 0.85, 0.6);
            return blob;
          });
      }
      return encode(scale, 0.75);
    }, function () { return file; });  // not a picture: the server says so in the officer's words
  }

  function setUp(box) {
    var form = box.closest("form");
    var input = box.querySelector("[data-mrz-photo-input]");
    var status = box.querySelector("[data-mrz-photo-status]");
    var result = box.querySelector("[data-mrz-photo-result]");
    var crop = box.querySelector("[data-mrz-photo-crop]");
    var values = box.querySelector("[data-mrz-photo-values]");
    // "reading_key:input-name" pairs, space separated.
    var fields = {};
    box.dataset.fields.trim().split(/\s+/).forEach(function (pair) {
      var parts = pair.split(":");
      fields[parts[0]] = parts[1];
    });

    box.querySelector("[data-mrz-photo-button]").addEventListener("click", function () { input.click(); });

    function field(key) { return fields[key] ? form.querySelector("[name='" + fields[key] + "']") : null; }

    function clearNotes() {
      form.querySelectorAll(".mrz-unsure").forEach(function (node) { node.remove(); });
    }

    function fill(data) {
      clearNotes();
      Object.keys(fields).forEach(function (key) {
        var target = field(key);
        if (!target) return;
        if (data.unsure.indexOf(key) !== -1) {
          if (target.dataset.mrzFilled) { target.value = ""; delete target.dataset.mrzFilled; }
          var note = document.createElement("p");
          note.className = "field-error mrz-unsure";
          note.dataset.testid = "mrz-unsure";
          note.textContent = box.dataset.msgUnsure;
          (target.type === "hidden" ? box : target).insertAdjacentElement("afterend", note);
          return;
        }
        if (data[key] === undefined || data[key] === null || data[key] === "") return;
        // What the officer typed stays; what an earlier photo filled is replaced.
        if (target.value && !target.dataset.mrzFilled) return;
        target.value = data[key];
        target.dataset.mrzFilled = "1";
        target.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }

    function describe(data) {
      values.textContent = "";
      var rows = [
        [field("full_name"), data.full_name, data.confidence.names],
        [field("nationality"), data.nationality_as_read, data.confidence.nationality],
        [field("sex"), data.sex, data.confidence.sex]
      ];
      rows.forEach(function (row) {
        var label = row[0] && row[0].labels && row[0].labels[0];
        var term = document.createElement("dt");
        term.textContent = label ? label.textContent : "";
        var detail = document.createElement("dd");
        detail.textContent = row[1] + " · " +
          box.dataset.msgConfidence.replace("%(percent)s", String(Math.round((row[2] || 0) * 100))).replace("%%", "%");
        detail.dataset.testid = "mrz-photo-value";
        values.appendChild(term);
        values.appendChild(detail);
      });
      if (/^data:image\/jpeg;base64,[A-Za-z0-9+\/=]+$/.test(data.crop)) crop.src = data.crop;
      result.hidden = false;
    }

    function offerKnown(data) {
      var query = data.document_number || data.surname || "";
      var search = document.getElementById("person-search");
      var newButton = document.getElementById("person-new-button");
      // The registry's own person form sends a known document to its person when saved.
      if (!search) return Promise.resolve();
      if (query.length < 3 || !box.dataset.lookupUrl) {
        if (newButton) newButton.click();
        return Promise.resolve();
      }
      return fetch(box.dataset.lookupUrl + "?limit=8&q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (people) {
          var panel = document.getElementById("person-new");
          if (people.length && search) {
            // The check form's own search lists them; choosing one links the check to that person.
            if (panel && !panel.hidden) document.getElementById("person-existing").hidden = false;
            search.value = query;
            search.dispatchEvent(new Event("input", { bubbles: true }));
            status.textContent = box.dataset.msgRead + " " + box.dataset.msgKnown;
          } else if (newButton && panel && panel.hidden) {
            newButton.click();
          }
        })
        .catch(function () {});
    }

    // Offline (issue #22 item 4): the shrunk photo goes into the form's own file field, so the
    // outbox keeps it with the check; the server reads it when the phone is back online, fills
    // only the fields still empty and marks the check "identity pending" for the officer.
    var waiting = box.dataset.offlineInput ? form.querySelector("[name='" + box.dataset.offlineInput + "']") : null;
    var sexInput = field("sex"), sexTouched = false;
    if (sexInput) sexInput.addEventListener("change", function (event) { if (event.isTrusted) sexTouched = true; });
    function keepForLater(blob) {
      if (!waiting || !blob || !window.DataTransfer) return false;
      try {
        var transfer = new DataTransfer();
        transfer.items.add(new File([blob], "document.jpg", { type: blob.type || "image/jpeg" }));
        waiting.files = transfer.files;
      } catch (error) { return false; }
      // "Unspecified" is what the server fills from the document; what the officer chose stays.
      if (sexInput && !sexTouched) sexInput.value = "X";
      var panel = document.getElementById("person-new");
      var newButton = document.getElementById("person-new-button");
      if (panel && panel.hidden && newButton) newButton.click();
      status.className = "notice returned";
      status.textContent = box.dataset.msgWaiting;
      return true;
    }
    function dropWaiting() { if (waiting) waiting.value = ""; }

    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) return;
      status.className = "muted";
      status.textContent = box.dataset.msgReading;
      result.hidden = true;
      var shrunk = null;
      shrink(file).then(function (blob) {
        shrunk = blob;
        if (navigator.onLine === false && waiting) throw new Error("offline");
        var body = new FormData();
        body.append("photo", blob, "document.jpg");
        body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
        box.dataset.sentBytes = String(blob.size);
        return fetch(box.dataset.url, { method: "POST", body: body, credentials: "same-origin" });
      }).then(function (response) {
        return response.json().then(function (data) { return [response.ok, data]; });
      }).then(function (pair) {
        if (!pair[0]) {
          status.className = "field-error";
          status.textContent = pair[1].error || box.dataset.msgUnreadable;
          return;
        }
        var data = pair[1];
        dropWaiting();  // read now: nothing waits for later
        fill(data);
        describe(data);
        status.className = "notice info";
        status.textContent = box.dataset.msgRead;
        return offerKnown(data);
      }).catch(function () {
        // No answer at all: the network, not the photo. Kept with the check where the form can.
        if (keepForLater(shrunk)) return;
        status.className = "field-error";
        status.textContent = navigator.onLine === false ? box.dataset.msgOffline : box.dataset.msgUnreadable;
      }).then(function () { input.value = ""; });
    });
  }

  document.querySelectorAll("[data-mrz-photo]").forEach(setUp);
})();
