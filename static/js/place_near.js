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
  var map = L.map(holder, { attributionControl: false });
  // The view first: a circle cannot be drawn on a map that has none yet.
  map.fitBounds(L.latLng(center).toBounds(near.radius * 2), { padding: [10, 10] });
  L.circle(center, { radius: near.radius }).addTo(map);
  L.circleMarker(center, { radius: 6 }).addTo(map);
  near.places.forEach(function (place) {
    if (!place) return;
    var marker = L.marker([place.lat, place.lng], { title: place.label })
      .addTo(map)
      .bindTooltip(SiLAHAP.textElement("span", place.label));
    var target = SiLAHAP.sameOriginUrl(place.url);
    if (target) marker.on("click", function () { window.location.assign(target); });
  });
  L.control.scale({ imperial: false }).addTo(map);
})();
