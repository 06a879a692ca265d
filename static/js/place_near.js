// Places near a point: "Use my location" fills the point and asks again; the map shows the
// point, the radius and each place (a tap opens it). Data from json_script (CSP: no inline
// script). Usable without map tiles.
(function () {
  "use strict";
  var form = document.getElementById("places-near-form");
  var button = document.getElementById("near-use-location");
  var status = document.getElementById("near-location-status");
  if (form && button && navigator.geolocation) {
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "…";
      navigator.geolocation.getCurrentPosition(function (position) {
        form.querySelector("[name=lat]").value = position.coords.latitude.toFixed(6);
        form.querySelector("[name=lng]").value = position.coords.longitude.toFixed(6);
        form.submit();
      }, function (error) {
        status.textContent = error.message;
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }
  var holder = document.getElementById("near-map");
  var data = document.getElementById("near-points");
  if (!holder || !data || !window.L) return;
  var near = JSON.parse(data.textContent);
  var center = [near.center.lat, near.center.lng];
  var map = SiLAHAP.map(holder);
  // The view first: a circle cannot be drawn on a map that has none yet.
  map.fitBounds(L.latLng(center).toBounds(Math.max(near.radius, 50) * 2), { padding: [10, 10] });
  L.circle(center, { radius: near.radius }).addTo(map);
  L.circleMarker(center, { radius: 6 }).addTo(map);
  // Places at one spot share a marker; a tap opens the place when it is the only one there.
  SiLAHAP.spots(near.places.filter(Boolean)).forEach(function (spot) {
    var label = spot.labels.join(" · ");
    var marker = L.marker([spot.lat, spot.lng], { title: label, alt: label })
      .addTo(map)
      .bindTooltip(SiLAHAP.textElement("span", label));
    var target = spot.points.length === 1 ? SiLAHAP.sameOriginUrl(spot.points[0].url) : null;
    if (target) marker.on("click", function () { window.location.assign(target); });
  });
})();
