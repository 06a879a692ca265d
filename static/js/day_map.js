// The map of a report's day: one marker per place the officer was, with the times of the
// activities there. Usable without map tiles.
(function () {
  "use strict";
  var holder = document.getElementById("day-map");
  var data = document.getElementById("day-points");
  if (!holder || !data || !window.L) return;
  // Activities at the same point share one marker: two markers on one spot would hide each
  // other, and bounds of a single spot have no size to fit.
  var spots = {};
  var order = [];
  JSON.parse(data.textContent).forEach(function (point) {
    if (!isFinite(point.lat) || !isFinite(point.lng)) return;
    var key = point.lat.toFixed(6) + "," + point.lng.toFixed(6);
    if (!spots[key]) {
      spots[key] = { lat: point.lat, lng: point.lng, labels: [] };
      order.push(key);
    }
    spots[key].labels.push(point.label);
  });
  if (!order.length) return;
  var map = L.map(holder, { attributionControl: false });
  var bounds = L.latLngBounds([]);
  order.forEach(function (key) {
    var spot = spots[key];
    L.marker([spot.lat, spot.lng])
      .addTo(map)
      .bindTooltip(SiLAHAP.textElement("span", spot.labels.join(" · ")), { permanent: true });
    bounds.extend([spot.lat, spot.lng]);
  });
  if (order.length === 1) map.setView(bounds.getCenter(), 15);
  else map.fitBounds(bounds, { padding: [30, 30], maxZoom: 17 });
  L.control.scale({ imperial: false }).addTo(map);
})();
