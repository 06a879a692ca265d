// The live board: a map of today's points and new activities as they arrive, without reloading.
// Polls the feed; the server answers 204 when nothing is new. No inline script (CSP-ready).
(function () {
  "use strict";
  var list = document.getElementById("board-activities");
  if (!list) return;
  var feed = list.getAttribute("data-feed");
  var seconds = parseInt(list.getAttribute("data-poll-seconds"), 10) || 5;
  var cursor = list.getAttribute("data-cursor") || "0";
  var count = document.querySelector("[data-testid=board-count]");
  var map = null;
  var cluster = null;
  var bounds = [];
  var timer = null;
  var busy = false;

  function setUpMap() {
    var holder = document.getElementById("board-map");
    var data = document.getElementById("board-points");
    if (!holder || !window.L) return;
    // The cluster plugin spreads markers at one spot when they are opened at the deepest zoom.
    map = SiLAHAP.map(holder, { minZoom: 3 }).setView([-2.5, 118], 4);
    cluster = L.markerClusterGroup ? L.markerClusterGroup() : L.layerGroup();
    map.addLayer(cluster);
    (data ? JSON.parse(data.textContent) : []).forEach(addPoint);
    fit();
  }

  function addPoint(point) {
    if (!cluster || !SiLAHAP.spots([point]).length) return;
    L.marker([point.lat, point.lng]).bindTooltip(SiLAHAP.textElement("span", point.label)).addTo(cluster);
    bounds.push([point.lat, point.lng]);
  }

  function fit() {
    if (map) SiLAHAP.showAll(map, bounds.map(function (b) { return { lat: b[0], lng: b[1] }; }), 15);
  }

  // The rows are the feed's HTML, rendered by the same escaping template as the page's first
  // rows (supervision/_board_activities.html), parsed inert; a row's label reaches the map as text.
  function addRows(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var rows = Array.prototype.slice.call(template.content.querySelectorAll("li[data-activity]"));
    // The feed sends newest first; insert oldest first at the top so the order stays.
    rows.reverse().forEach(function (row) {
      if (list.querySelector('li[data-activity="' + CSS.escape(row.getAttribute("data-activity")) + '"]')) return;
      row.classList.add("is-new");
      list.insertBefore(row, list.firstChild);
      if (row.hasAttribute("data-lat")) {
        addPoint({
          lat: parseFloat(row.getAttribute("data-lat")),
          lng: parseFloat(row.getAttribute("data-lng")),
          label: row.getAttribute("data-label") || "",
        });
      }
    });
    var empty = document.getElementById("board-empty");
    if (empty && list.children.length) empty.hidden = true;
    if (count) count.textContent = String(list.querySelectorAll("li[data-activity]").length);
    fit();
  }

  function poll() {
    if (busy) return;
    if (document.hidden) return schedule();
    busy = true;
    fetch(feed + "?after=" + encodeURIComponent(cursor), {
      credentials: "same-origin",
      headers: { Accept: "text/html", "X-Silahap-Poll": "1" },
      cache: "no-store",
    })
      .then(function (response) {
        if (response.status === 204) return null;
        if (!response.ok || response.redirected) throw new Error("feed " + response.status);
        cursor = response.headers.get("X-Board-Cursor") || cursor;
        return response.text();
      })
      .then(function (html) {
        if (html) addRows(html);
      })
      .catch(function () {})
      .then(function () {
        busy = false;
        schedule();
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, seconds * 1000);
  }

  try {
    setUpMap();
  } catch (error) {
    map = null; // the list still updates without a map
  }
  schedule();
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) poll();
  });
})();
