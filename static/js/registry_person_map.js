// Where a person was seen: one marker per spot of the checks whose details the reader may see,
// with every date seen there. Points come from a json_script element; no inline script (CSP).
// Loaded by reports' section inside the page, so before the site's own script in the document:
// it draws once every deferred script has run (DOMContentLoaded comes after all of them).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var holder = document.getElementById("person-map");
  var data = document.getElementById("person-points");
  if (!holder || !data || !window.L) return;
  // The latest first in the data; the latest is drawn last, on top.
  var spots = SiLAHAP.spots(JSON.parse(data.textContent)).reverse();
  if (!spots.length) return;
  var map = SiLAHAP.map(holder);
  spots.forEach(function (spot) {
    var label = spot.labels.join(" · ");
    L.marker([spot.lat, spot.lng], { title: label, alt: label }).addTo(map).bindTooltip(SiLAHAP.textElement("span", label));
  });
  SiLAHAP.showAll(map, spots, 15);
});
