// The live board: a map of today's points and new activities as they arrive, without reloading.
// One poll brings the new activity rows, each officer's state and activity count, and the review
// queue's count, so they move together; a poll with nothing new is answered 304 (its ETag sent
// back). No inline script (CSP-ready); data becomes DOM as text.
(function () {
  "use strict";
  var list = document.getElementById("board-activities");
  if (!list) return;
  var feed = list.getAttribute("data-feed");
  var seconds = parseInt(list.getAttribute("data-poll-seconds"), 10) || 5;
  var cursor = list.getAttribute("data-cursor") || "0";
  var count = document.querySelector("[data-testid=board-count]");
  var queueCount = document.querySelector("[data-testid=board-queue-count]");
  var officers = document.getElementById("board-officers");
  var map = null;
  var cluster = null;
  var bounds = [];
  var timer = null;
  var busy = false;
  // The last full answer's ETag, sent back so that a poll with nothing new is a bare 304. The
  // fetch below keeps nothing in the browser's cache (no-store), so it adds no condition of its
  // own: the header is set here, and a 304 reaches this script as it is.
  var label = null;

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

  // An officer's row: the state's badges and the activity count, from the poll's data.
  function updateOfficers(states) {
    if (!officers || !states) return;
    var word = officers.getAttribute("data-msg-activities") || "";
    Array.prototype.forEach.call(officers.querySelectorAll("tr[data-officer]"), function (row) {
      var state = states[row.getAttribute("data-officer")];
      if (!state) return;
      row.setAttribute("data-state", state.state);
      var cell = row.querySelector("[data-field=state]");
      if (cell) {
        while (cell.firstChild) cell.removeChild(cell.firstChild);
        state.badges.forEach(function (badge, index) {
          if (index) cell.appendChild(document.createTextNode(" "));
          var span = SiLAHAP.textElement("span", badge.text);
          span.className = ("badge " + badge["class"]).trim();
          cell.appendChild(span);
        });
      }
      var activities = row.querySelector("[data-field=activities]");
      if (activities) activities.textContent = state.activities + " " + word;
    });
  }

  function apply(data) {
    if (!data) return;
    cursor = data.cursor || cursor;
    if (data.rows) addRows(data.rows);
    updateOfficers(data.officers);
    if (queueCount && typeof data.queue_count === "number") queueCount.textContent = String(data.queue_count);
  }

  function poll() {
    if (busy) return;
    if (document.hidden) return schedule();
    busy = true;
    var headers = { Accept: "application/json", "X-Silahap-Poll": "1" };
    if (label) headers["If-None-Match"] = label;
    fetch(feed + "?after=" + encodeURIComponent(cursor), {
      credentials: "same-origin",
      headers: headers,
      cache: "no-store",
    })
      .then(function (response) {
        if (response.status === 304 && !response.redirected) return null; // nothing new
        if (!response.ok || response.redirected) throw new Error("feed " + response.status);
        label = response.headers.get("ETag");
        return response.json();
      })
      .then(apply)
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
