// The place form: each area select refills the one below it from registry:area_options, and
// "Use my location" fills the point from the phone's GPS. Without JavaScript the server lists
// the areas inside the ones chosen when the form is shown again.
(function () {
  "use strict";
  var form = document.getElementById("place-form");
  if (!form) return;
  function select(name) { return form.querySelector("select[name=" + name + "]"); }
  function clearBelow(name) {
    var child = select(name);
    while (child) {
      SiLAHAP.replaceContent(child, new Option("—", ""));
      child = child.dataset.child ? select(child.dataset.child) : null;
    }
  }
  form.querySelectorAll("select[data-child]").forEach(function (parent) {
    parent.addEventListener("change", function () {
      var child = select(parent.dataset.child);
      clearBelow(parent.dataset.child);
      if (!parent.value) return;
      var url = form.dataset.areaUrl.replace("LEVEL", child.dataset.level) +
        "?parent=" + encodeURIComponent(parent.value);
      SiLAHAP.fetchFragment(url)
        .then(function (fragment) { SiLAHAP.replaceContent(child, fragment); })
        .catch(function () {});
    });
  });
  var button = document.getElementById("place-use-location");
  var status = document.getElementById("place-location-status");
  if (!button || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = "…";
    navigator.geolocation.getCurrentPosition(function (position) {
      form.querySelector("[name=latitude]").value = position.coords.latitude.toFixed(6);
      form.querySelector("[name=longitude]").value = position.coords.longitude.toFixed(6);
      status.textContent = "± " + Math.round(position.coords.accuracy) + " m";
    }, function (error) {
      status.textContent = error.message;
    }, { enableHighAccuracy: true, timeout: 15000 });
  });
})();
