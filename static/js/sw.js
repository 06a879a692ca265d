// SiLAHAP's service worker. It keeps the offline shell and the static files, and only the pages
// the server marks as the officer's own field screens (header X-Silahap-Offline: keep; the rule
// is silahap/accounts/offline.py), so a reload in a dead spot shows the form and its outbox.
// Kept pages belong to one session: every response names its session, and the pages of any
// other (a logout here or in another tab, a password change, a timeout, another person's login)
// are deleted. Offline, pages of a session past its end are not shown.
var STATIC = "silahap-static-v2";
var PAGES = "silahap-pages-";
var SHELL = "/offline/";

self.addEventListener("install", function (event) {
  self.skipWaiting();
  event.waitUntil(caches.open(STATIC).then(function (cache) { return cache.add(SHELL); }).catch(function () {}));
});
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    // The first worker kept every page in "silahap-v1": none of it survives.
    return Promise.all(keys.filter(function (key) {
      return key !== STATIC && key.indexOf(PAGES) !== 0;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

// The cache of the session a response was made for; every other session's pages go.
function adopt(token) {
  var mine = token && token !== "none" ? PAGES + token : null;
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf(PAGES) === 0 && key !== mine;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return mine; });
}

function keptPages() {
  return caches.keys().then(function (keys) {
    var name = keys.filter(function (key) { return key.indexOf(PAGES) === 0; })[0];
    return name ? caches.open(name) : null;
  });
}

function shell() {
  return caches.match(SHELL).then(function (page) {
    return page || new Response("", { status: 503, statusText: "offline" });
  });
}

function remember(request, response) {
  var token = response.headers.get("X-Silahap-Session");
  if (token === null) return Promise.resolve();
  var keep = response.ok && !response.redirected && response.headers.get("X-Silahap-Offline") === "keep";
  var copy = keep ? response.clone() : null;
  return adopt(token).then(function (name) {
    if (!name) return;
    return caches.open(name).then(function (cache) {
      if (!keep) return cache.delete(request);
      // When the session ends, by the server's clocks, for pages shown without a signal.
      var headers = new Headers(copy.headers);
      headers.set("X-Silahap-Kept-At", String(Date.now()));
      return copy.blob().then(function (body) {
        return cache.put(request, new Response(body, { status: copy.status, statusText: copy.statusText, headers: headers }));
      });
    });
  });
}

function fromKept(request) {
  return keptPages().then(function (cache) {
    if (!cache) return shell();
    return cache.match(request).then(function (page) {
      if (!page) return shell();
      var ends = Number(page.headers.get("X-Silahap-Session-Ends") || 0) * 1000;
      if (ends && Date.now() > ends) {
        // The session has ended by now: nothing of it is shown any more.
        return adopt("none").then(shell);
      }
      return page;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.open(STATIC).then(function (cache) {
      return cache.match(request).then(function (cached) {
        var fresh = fetch(request).then(function (response) {
          if (response.ok) cache.put(request, response.clone());
          return response;
        });
        return cached || fresh;
      });
    }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      event.waitUntil(remember(request, response));
      return response;
    }).catch(function () { return fromKept(request); }));
  }
});
