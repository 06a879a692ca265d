// Tutorial page: report what the player actually played (video.played), never the position
// reached, so seeking to the end counts for nothing. The server merges and checks the ranges.
(function () {
  "use strict";
  var video = document.querySelector("[data-progress-url]");
  if (!video) { return; }
  var form = document.getElementById("progress-form");
  var token = form ? form.querySelector("[name=csrfmiddlewaretoken]").value : "";
  var status = document.querySelector("[data-testid=watch-status]");
  var started = false;
  var timer = null;

  function ranges() {
    var out = [];
    for (var i = 0; i < video.played.length; i++) {
      out.push([video.played.start(i), video.played.end(i)]);
    }
    return out;
  }

  // A report that fails (no signal, a server hiccup) is sent again a little later with what has
  // been played by then: the server merges ranges, so a repeat is harmless.
  function send(list, retries) {
    return fetch(video.dataset.progressUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ ranges: list })
    }).then(function (response) {
      if (!response.ok) { throw new Error("progress not recorded: " + response.status); }
      return response.json();
    }).then(function (answer) {
      if (!answer || !status) { return; }
      if (answer.watched) {
        status.textContent = video.dataset.msgWatched;
        status.dataset.watched = "1";
      } else {
        var percent = Math.round(100 * answer.covered / (answer.duration || 1));
        status.textContent = video.dataset.msgCovered + ": " + percent + " %";
      }
    }).catch(function () {
      if (retries > 0) {
        window.setTimeout(function () { send(ranges(), retries - 1); }, 3000);
      }
    });
  }

  video.addEventListener("play", function () {
    if (!started) { started = true; send([], 0); }
    if (!timer) { timer = window.setInterval(function () { send(ranges(), 0); }, 5000); }
  });
  ["pause", "ended"].forEach(function (name) {
    video.addEventListener(name, function () {
      window.clearInterval(timer);
      timer = null;
      send(ranges(), 3);
    });
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && started) { send(ranges(), 1); }
  });
  // Captions in Indonesian are shown by default (the track is marked default; some browsers
  // still start with it hidden).
  if (video.textTracks && video.textTracks.length) { video.textTracks[0].mode = "showing"; }
})();
