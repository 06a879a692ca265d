// The activity form: location from GPS or a tap on the map, nearby places, and the cascading
// official area codes for a new place. Works without map tiles: the map is a tap target.
(function () {
  "use strict";
  var form = document.getElementById("activity-form");
  if (!form) return;
  var lat = form.querySelector("[name=latitude]");
  var lng = form.querySelector("[name=longitude]");
  var accuracy = form.querySelector("[name=location_accuracy_m]");
  var source = form.querySelector("[name=location_source]");
  var status = document.getElementById("location-status");
  var placeInput = form.querySelector("[name=place]");
  var options = document.getElementById("place-options");
  var map = null, marker = null;

  function say(text) { status.textContent = text; }

  function loadPlaces(query) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    if (lat.value && lng.value) { params.set("lat", lat.value); params.set("lng", lng.value); }
    if (placeInput.value) params.set("selected", placeInput.value);
    if (!query && !(lat.value && lng.value)) return;
    SiLAHAP.fetchFragment(form.dataset.placeOptionsUrl + "?" + params.toString())
      .then(function (fragment) { SiLAHAP.replaceContent(options, fragment); })
      .catch(function () {});
  }

  function setPoint(latitude, longitude, how, meters) {
    lat.value = Number(latitude).toFixed(6);
    lng.value = Number(longitude).toFixed(6);
    source.value = how;
    accuracy.value = meters == null ? "" : Math.round(meters);
    if (map) {
      var point = [Number(lat.value), Number(lng.value)];
      if (marker) marker.setLatLng(point); else marker = L.marker(point).addTo(map);
      map.setView(point, Math.max(map.getZoom(), 15));
    }
    loadPlaces(document.getElementById("place-search").value.trim());
    document.dispatchEvent(new Event("silahap:point"));
  }

  if (window.L) {
    var start = lat.value && lng.value ? [Number(lat.value), Number(lng.value)] : [-6.178, 106.63];
    map = SiLAHAP.map(document.getElementById("map")).setView(start, lat.value ? 15 : 11);
    if (lat.value && lng.value) marker = L.marker(start).addTo(map);
    map.on("click", function (event) {
      setPoint(event.latlng.lat, event.latlng.lng, "map", null);
      say(form.dataset.msgTapped);
    });
  }

  function locate() {
    if (!navigator.geolocation) { say(form.dataset.msgDenied); return; }
    say(form.dataset.msgLocating);
    navigator.geolocation.getCurrentPosition(function (position) {
      setPoint(position.coords.latitude, position.coords.longitude, "gps", position.coords.accuracy);
      say(form.dataset.msgLocated.replace("%s", Math.round(position.coords.accuracy)));
    }, function () { say(form.dataset.msgDenied); }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }
  document.getElementById("locate").addEventListener("click", locate);
  if (!lat.value) locate(); else loadPlaces("");

  var searchTimer = null;
  document.getElementById("place-search").addEventListener("input", function (event) {
    clearTimeout(searchTimer);
    var query = event.target.value.trim();
    searchTimer = setTimeout(function () { loadPlaces(query.length >= 3 ? query : ""); }, 250);
  });
  options.addEventListener("change", function (event) {
    if (event.target.name === "place") placeInput.value = event.target.value;
  });

  var mode = document.getElementById("place_mode");
  form.querySelectorAll("[data-place-tab]").forEach(function (tab) {
    tab.addEventListener("click", function () {
      mode.value = tab.dataset.placeTab;
      form.querySelectorAll("[data-place-tab]").forEach(function (other) {
        other.setAttribute("aria-pressed", other === tab ? "true" : "false");
      });
      document.getElementById("place-existing").hidden = mode.value === "new";
      document.getElementById("place-new").hidden = mode.value !== "new";
      document.getElementById("new-place-hint").hidden = mode.value === "new";
      if (mode.value === "new") placeInput.value = "";
    });
  });
  function showTab(which) {
    if (mode.value !== which) form.querySelector("[data-place-tab=" + which + "]").click();
  }
  // A name typed for a new place opens its fields; choosing a listed place goes back to the list.
  form.querySelector("[name='new_place-name']").addEventListener("input", function (event) {
    if (event.target.value.trim()) showTab("new");
  });
  options.addEventListener("change", function (event) {
    if (event.target.name === "place") showTab("existing");
  });

  function fillChildren(select, parentCode, thenSelect) {
    var level = select.dataset.level;
    var url = form.dataset.areaUrl.replace("LEVEL", level) + "?parent=" + encodeURIComponent(parentCode);
    return SiLAHAP.fetchFragment(url)
      .then(function (fragment) {
        SiLAHAP.replaceContent(select, fragment);
        if (thenSelect) select.value = thenSelect;
        select.dispatchEvent(new Event("filled"));
      });
  }
  form.querySelectorAll("select[data-cascade]").forEach(function (select) {
    select.addEventListener("change", function () {
      var child = document.getElementById("id_new_place-" + select.dataset.cascade);
      var next = child;
      while (next) {
        SiLAHAP.replaceContent(next, new Option("—", ""));
        next = next.dataset.cascade ? document.getElementById("id_new_place-" + next.dataset.cascade) : null;
      }
      if (select.value) fillChildren(child, select.value, null).catch(function () {});
    });
  });
  // After a failed submit the server echoes the chosen codes, and a GPS point proposes them:
  // rebuild the cascade from the codes in data-initial.
  var province = document.getElementById("id_new_place-province");
  var regency = document.getElementById("id_new_place-regency");
  var district = document.getElementById("id_new_place-district");
  var village = document.getElementById("id_new_place-village");
  function rebuild() {
    if (!province || !province.value) return;
    fillChildren(regency, province.value, regency.dataset.initial).then(function () {
      if (!regency.value) return;
      return fillChildren(district, regency.value, district.dataset.initial).then(function () {
        if (district.value) return fillChildren(village, district.value, village.dataset.initial);
      });
    }).catch(function () {});
  }
  rebuild();

  // The area of a new place, proposed from the point (the server says how); the officer only
  // confirms. A choice the officer made by hand is never overwritten.
  var areaChosenByHand = false;
  [province, regency, district, village].forEach(function (select) {
    // Only a person's choice fires "change" here: the proposal and the cascade set values quietly.
    if (select) select.addEventListener("change", function () { areaChosenByHand = true; });
  });
  var proposedFor = "";
  function proposeArea() {
    if (!province || mode.value !== "new" || areaChosenByHand || !lat.value) return;
    var point = lat.value + "," + lng.value;
    if (point === proposedFor) return;
    proposedFor = point;
    var url = form.dataset.areaProposalUrl + "?lat=" + encodeURIComponent(lat.value) + "&lng=" + encodeURIComponent(lng.value);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (proposal) {
        if (!proposal || areaChosenByHand) return;
        var note = document.getElementById("area-note");
        note.textContent = proposal.note;
        note.hidden = false;
        if (!proposal.province) return;
        province.value = proposal.province;
        regency.dataset.initial = proposal.regency || "";
        district.dataset.initial = proposal.district || "";
        village.dataset.initial = proposal.village || "";
        rebuild();
      })
      .catch(function () {});
  }
  document.addEventListener("silahap:point", proposeArea);
  form.querySelectorAll("[data-place-tab]").forEach(function (tab) {
    tab.addEventListener("click", proposeArea);
  });
  form.querySelectorAll(".area-filter").forEach(function (filter) {
    filter.addEventListener("input", function () {
      var needle = filter.value.trim().toLowerCase();
      var select = document.getElementById(filter.dataset.filterFor);
      var firstMatch = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var show = !option.value || option.text.toLowerCase().indexOf(needle) !== -1;
        option.hidden = !show;
        if (show && option.value && !firstMatch) firstMatch = option;
      });
      if (firstMatch && needle) { select.value = firstMatch.value; select.dispatchEvent(new Event("change")); }
    });
  });

  var toFollow = form.querySelector("[name=warrant_to_follow]");
  function warrantState() {
    form.querySelector("[name=warrant_number]").disabled = toFollow.checked;
    form.querySelector("[name=warrant_date]").disabled = toFollow.checked;
  }
  toFollow.addEventListener("change", warrantState);
  warrantState();
})();
