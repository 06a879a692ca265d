// The map of a report's day: one marker per activity with a point. Usable without map tiles.
(function () {
  "use strict";
  var holder = document.getElementById("day-map");
  var data = document.getElementById("day-points");
  if (!holder || !data || !window.L) return;
  var points = JSON.parse(data.textContent);
  var map = L.map(holder, { attributionControl: false });
  var bounds = [];
  points.forEach(function (point) {
    L.marker([point.lat, point.lng]).addTo(map).bindTooltip(SiLAHAP.textElement("span", point.label), { permanent: true });
    bounds.push([point.lat, point.lng]);
  });
  if (bounds.length === 1) map.setView(bounds[0], 15); else map.fitBounds(bounds, { padding: [30, 30] });
  L.control.scale({ imperial: false }).addTo(map);
})();
