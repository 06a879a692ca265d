// Shared helpers and behaviour. A form marked data-once disables its buttons after the first
// submit, so a double tap sends one request; the server's client ids make any repeat harmless.
(function () {
  "use strict";
  // Text from the database never becomes markup in a script: a label is an element whose
  // textContent is set (Leaflet's bindTooltip/bindPopup insert a string as HTML, an element as is),
  // and a link target from data is followed only when it stays on this site.
  window.SiLAHAP = {
    textElement: function (tag, text) {
      var node = document.createElement(tag);
      node.textContent = text == null ? "" : String(text);
      return node;
    },
    // This site's own URL, absolute; null for javascript:, data: and any other origin.
    sameOriginUrl: function (value) {
      var url;
      try { url = new URL(String(value), window.location.href); } catch (error) { return null; }
      return url.origin === window.location.origin ? url.href : null;
    },
    // A part of a page rendered by this site's own templates (which escape every value), parsed
    // inert in a <template>; refused unless it is a plain 200 from here (not an error or login page).
    fetchFragment: function (url) {
      return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok || response.redirected) throw new Error("fragment " + response.status);
          return response.text();
        })
        .then(function (html) {
          var template = document.createElement("template");
          template.innerHTML = html;
          return template.content;
        });
    },
    replaceContent: function (holder, fragment) {
      holder.textContent = "";
      holder.appendChild(fragment);
    },
    // A map on the operator's tiles (SILAHAP_MAP_TILE_URL), or on a plain background with a
    // scale when none are set, so no location leaves for a tile server nobody chose. The zoom
    // range is always stated: without tiles Leaflet has none, and fitting one spot then asks
    // for an infinite zoom (the NaN positions of "Invalid LatLng").
    map: function (holder, options) {
      var page = document.documentElement.dataset;
      var settings = Object.assign({ minZoom: 2, maxZoom: 18, attributionControl: Boolean(page.mapTiles) }, options);
      var map = L.map(holder, settings);
      if (page.mapTiles) {
        map.attributionControl.setPrefix(false);
        L.tileLayer(page.mapTiles, { maxZoom: settings.maxZoom, attribution: "" }).addTo(map);
        if (page.mapCredit) map.attributionControl.addAttribution(SiLAHAP.escapeText(page.mapCredit));
      } else {
        holder.classList.add("map-plain");
      }
      L.control.scale({ imperial: false }).addTo(map);
      return map;
    },
    // Leaflet's attribution takes markup: the operator's credit line goes in as plain text.
    escapeText: function (text) {
      var holder = document.createElement("span");
      holder.textContent = text;
      return holder.innerHTML;
    },
    // Points that have a position, grouped by spot: a missing one (null would be read as 0, 0)
    // is left out, and several at one spot become one marker carrying all their labels, since
    // markers on one spot hide each other.
    spots: function (points) {
      var byKey = {};
      var spots = [];
      points.forEach(function (point) {
        var lat = point.lat, lng = point.lng;
        if (typeof lat !== "number" || typeof lng !== "number" || !isFinite(lat) || !isFinite(lng)) return;
        if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return;
        var key = lat.toFixed(6) + "," + lng.toFixed(6);
        if (!byKey[key]) {
          byKey[key] = { lat: lat, lng: lng, labels: [], points: [] };
          spots.push(byKey[key]);
        }
        if (point.label) byKey[key].labels.push(point.label);
        byKey[key].points.push(point);
      });
      return spots;
    },
    // Shows every spot: one spot is centred at a street's zoom (bounds of no size cannot be
    // fitted), several are fitted with a margin.
    showAll: function (map, spots, zoom) {
      if (!spots.length) return false;
      var bounds = L.latLngBounds(spots.map(function (spot) { return [spot.lat, spot.lng]; }));
      if (bounds.getSouthWest().equals(bounds.getNorthEast())) map.setView(bounds.getCenter(), zoom || 15);
      else map.fitBounds(bounds, { padding: [30, 30], maxZoom: zoom || 15 });
      return true;
    }
  };

  // A form that came back with errors: the title says so first (read when the page loads), and
  // focus goes to the first field to fix, whose error is tied to it with aria-describedby.
  document.addEventListener("DOMContentLoaded", function () {
    var main = document.querySelector("main");
    if (!main) return;
    var field = main.querySelector("[aria-invalid=true]");
    var summary = main.querySelector("[data-testid=form-errors], .errorlist");
    if (!field && !summary) return;
    document.title = document.documentElement.dataset.msgError + ": " + document.title;
    var target = field || summary;
    if (!field) target.setAttribute("tabindex", "-1");
    target.focus();
  });

  // Leaflet names its zoom buttons in English; the maps are made by deferred scripts, which
  // have all run when the document is ready.
  document.addEventListener("DOMContentLoaded", function () {
    var messages = document.documentElement.dataset;
    [["zoom-in", messages.msgZoomIn], ["zoom-out", messages.msgZoomOut]].forEach(function (pair) {
      document.querySelectorAll(".leaflet-control-" + pair[0]).forEach(function (button) {
        button.setAttribute("title", pair[1]);
        button.setAttribute("aria-label", pair[1]);
      });
    });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once") || form.hasAttribute("data-outbox")) return;
    if (form.dataset.sending === "1") { event.preventDefault(); return; }
    form.dataset.sending = "1";
    setTimeout(function () { form.dataset.sending = ""; }, 8000);
  }, true);
  // Choosing a photo uploads it: the caption, if any, is typed first.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type === "file" && input.hasAttribute("data-autosubmit") && input.files.length) {
      input.form.requestSubmit();
    }
  });
})();
