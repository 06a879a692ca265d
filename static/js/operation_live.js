// The live operation page: new visits, checks, findings and partner actions as they arrive,
// without reloading. Polls the feed (204 when nothing is new), like the leaders' board.
(function () {
  "use strict";
  var list = document.getElementById("live-feed");
  if (!list) return;
  var feed = list.getAttribute("data-feed");
  var zone = list.getAttribute("data-zone");
  var seconds = parseInt(list.getAttribute("data-poll-seconds"), 10) || 5;
  var kinds = ["visit", "check", "finding", "action"];
  var cursors = {};
  kinds.forEach(function (kind) { cursors[kind] = list.getAttribute("data-cursor-" + kind) || "0"; });
  var busy = false;

  function clock(iso) {
    try {
      return new Date(iso).toLocaleTimeString("id-ID", { timeZone: zone, hour: "2-digit", minute: "2-digit" });
    } catch (error) {
      return "";
    }
  }

  function add(item) {
    if (list.querySelector('li[data-kind="' + item.kind + '"][data-id="' + item.id + '"]')) return;
    var row = document.createElement("li");
    row.setAttribute("data-kind", item.kind);
    row.setAttribute("data-id", String(item.id));
    var time = document.createElement("time");
    time.textContent = clock(item.at);
    var label = document.createElement("strong");
    label.textContent = list.getAttribute("data-msg-" + item.kind) || item.kind;
    var text = document.createElement("span");
    text.textContent = item.text;
    row.append(time, " ", label, " ", text);
    row.classList.add("is-new");
    list.insertBefore(row, list.firstChild);
    if (item.kind === "visit") {
      document.querySelectorAll("[data-testid=live-targets] li[data-place]").forEach(function (target) {
        if (target.getAttribute("data-place") === item.text) target.classList.add("visited");
      });
    }
    var empty = document.getElementById("live-empty");
    if (empty) empty.remove();
  }

  function poll() {
    if (busy || document.hidden) return;
    busy = true;
    var query = kinds.map(function (kind) { return kind + "=" + encodeURIComponent(cursors[kind]); }).join("&");
    fetch(feed + "?" + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status !== 200) return null;
        return response.json();
      })
      .then(function (data) {
        if (!data) return;
        data.items.slice().reverse().forEach(add);
        kinds.forEach(function (kind) { if (data.cursors[kind] !== undefined) cursors[kind] = String(data.cursors[kind]); });
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }

  window.setInterval(poll, seconds * 1000);
})();
