// Where a person was seen: one marker per check whose details the reader may see, the latest
// drawn last. Points come from a json_script element; no inline script (CSP). No map tiles.
(function () {
  "use strict";
  var holder = document.getElementById("person-map");
  var data = document.getElementById("person-points");
  if (!holder || !data || !window.L) return;
  var points = JSON.parse(data.textContent);
  if (!points.length) return;
  var map = L.map(holder, { attributionControl: false });
  var bounds = [];
  points.slice().reverse().forEach(function (point) {
    L.marker([point.lat, point.lng], { title: point.label }).addTo(map).bindTooltip(SiLAHAP.textElement("span", point.label));
    bounds.push([point.lat, point.lng]);
  });
  if (bounds.length === 1) map.setView(bounds[0], 15); else map.fitBounds(bounds, { padding: [30, 30] });
  L.control.scale({ imperial: false }).addTo(map);
})();
