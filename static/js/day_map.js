// The map of a report's day (and of a place's visits): one marker per spot, with the times of
// the activities there. Drawn on a plain background unless the operator set map tiles.
(function () {
  "use strict";
  var holder = document.getElementById("day-map");
  var data = document.getElementById("day-points");
  if (!holder || !data || !window.L) return;
  var spots = SiLAHAP.spots(JSON.parse(data.textContent));
  if (!spots.length) return;
  var map = SiLAHAP.map(holder);
  spots.forEach(function (spot) {
    L.marker([spot.lat, spot.lng], { title: spot.labels.join(" · "), alt: spot.labels.join(" · ") })
      .addTo(map)
      .bindTooltip(SiLAHAP.textElement("span", spot.labels.join(" · ")), { permanent: true });
  });
  SiLAHAP.showAll(map, spots, 17);
})();
