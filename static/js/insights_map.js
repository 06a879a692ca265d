// The supervision map: grid cells counted on the server when zoomed out, clustered points of
// the view box when zoomed in. Drawn on a plain background unless the operator set map tiles.
(function () {
  "use strict";
  var holder = document.getElementById("supervision-map");
  if (!holder || !window.L) return;
  var map = SiLAHAP.map(holder).setView([-2.5, 118], 5);
  var layer = L.layerGroup().addTo(map);
  var request = 0;
  // A click on a cell or a cluster lists what it holds, on the list page (paged).
  function listLink(south, west, north, east, count) {
    var link = document.createElement("a");
    link.href = holder.dataset.list + "&south=" + south.toFixed(5) + "&west=" + west.toFixed(5) +
      "&north=" + north.toFixed(5) + "&east=" + east.toFixed(5);
    link.textContent = holder.dataset.msgList + " (" + count + ")";
    link.className = "map-list-link";
    return link;
  }
  function draw(answer) {
    layer.clearLayers();
    if (answer.kind === "cells") {
      answer.cells.forEach(function (cell) {
        var radius = 6 + Math.min(24, Math.sqrt(cell.activities) * 2);
        L.circleMarker([cell.lat, cell.lng], { radius: radius, weight: 1 })
          .bindTooltip(SiLAHAP.textElement("span", String(cell.activities)), { permanent: true, direction: "center", className: "cell-count" })
          .bindPopup(listLink(cell.south, cell.west, cell.north, cell.east, cell.activities))
          .addTo(layer);
      });
      return;
    }
    var group = L.markerClusterGroup ? L.markerClusterGroup({ zoomToBoundsOnClick: false }) : L.layerGroup();
    group.on("clusterclick", function (event) {
      var box = event.layer.getBounds();
      L.popup().setLatLng(event.layer.getLatLng())
        .setContent(listLink(box.getSouth(), box.getWest(), box.getNorth(), box.getEast(), event.layer.getChildCount()))
        .openOn(map);
    });
    // Points at one spot share one position; a click on their cluster lists them.
    SiLAHAP.spots(answer.points).forEach(function (spot) {
      spot.points.forEach(function (point) {
        L.marker([spot.lat, spot.lng]).bindPopup(SiLAHAP.textElement("span", point.label)).addTo(group);
      });
    });
    group.addTo(layer);
  }
  function load() {
    var bounds = map.getBounds();
    var url = holder.dataset.feed + "&zoom=" + map.getZoom() +
      "&south=" + bounds.getSouth().toFixed(5) + "&north=" + bounds.getNorth().toFixed(5) +
      "&west=" + bounds.getWest().toFixed(5) + "&east=" + bounds.getEast().toFixed(5);
    var mine = ++request;
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (answer) {
      if (answer && mine === request) draw(answer);
    });
  }
  map.on("moveend", load);
  load();
})();
