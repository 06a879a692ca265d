// Nothing typed or attached is lost on a bad connection.
//
// Forms marked data-outbox keep what is typed in localStorage (restored after a reload or a
// closed tab, including the form's client id, so a later send is recognised as the same write).
// Submitting puts the request, files included, in an IndexedDB outbox first, then sends it;
// if the network fails it stays there and is sent again when the connection returns. The
// server's client ids make every resend harmless: it creates exactly one of everything.
//
// Entries and typed drafts belong to the person who made them (the page's data-user-key): they
// stay on the phone when a session ends, are sent only while that person is signed in again,
// and another person signing in on the phone never sees, restores or sends them.
(function () {
  "use strict";
  var DB_NAME = "silahap-outbox", STORE = "requests";
  var banner = null;
  var owner = document.documentElement.dataset.userKey || "";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "id" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function allEntries() { return withStore("readonly", function (store) { return store.getAll(); }); }
  function ownEntries() {
    if (!owner) return Promise.resolve([]);
    return allEntries().then(function (entries) {
      return entries.filter(function (entry) { return entry.owner === owner; });
    });
  }
  function putEntry(entry) { return withStore("readwrite", function (store) { store.put(entry); }); }
  function deleteEntry(id) { return withStore("readwrite", function (store) { store.delete(id); }); }

  function formKey(form) { return "silahap-form:" + owner + ":" + location.pathname + "#" + (form.id || form.getAttribute("action")); }

  function saveFields(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.type === "file" || field.type === "password" || field.name === "csrfmiddlewaretoken") return;
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) return;
      if (field.type === "checkbox") { values[field.name] = "on"; return; }
      values[field.name] = field.value;
    });
    try { localStorage.setItem(formKey(form), JSON.stringify(values)); } catch (error) { /* storage full */ }
  }
  function restoreFields(form) {
    var raw = localStorage.getItem(formKey(form));
    if (!raw || form.dataset.fresh === "1") return;
    var values = JSON.parse(raw);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || !(field.name in values) || field.type === "file" || field.name === "csrfmiddlewaretoken") return;
      if (field.type === "radio") field.checked = field.value === values[field.name];
      else if (field.type === "checkbox") field.checked = true;
      else field.value = values[field.name];
    });
    form.dispatchEvent(new Event("restored"));
  }
  function clearFields(form) { localStorage.removeItem(formKey(form)); }

  function showBanner(text, tone) {
    if (!banner) {
      banner = document.createElement("p");
      banner.setAttribute("role", "status");
      banner.dataset.testid = "outbox-status";
      var main = document.querySelector("main");
      main.insertBefore(banner, main.firstChild);
    }
    banner.className = "notice " + (tone || "info");
    banner.textContent = text;
  }
  var messages = document.documentElement.dataset;

  function send(entry) {
    // A form without files goes as the browser itself would post it (urlencoded): fewer bytes
    // on a weak signal than multipart's boundaries, and less for the server to parse.
    var body = entry.files.length ? new FormData() : new URLSearchParams();
    entry.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    entry.files.forEach(function (file) { body.append(file.name, file.blob, file.filename); });
    var token = document.querySelector("[name=csrfmiddlewaretoken]");
    if (token) body.set("csrfmiddlewaretoken", token.value);
    return fetch(entry.url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-Outbox": "1" } });
  }

  // Open the page the server sent us to (only on this site: never a javascript: or foreign URL);
  // the same page with another #fragment needs a reload.
  function go(target) {
    target = target ? SiLAHAP.sameOriginUrl(target) : null;
    if (!target) { location.reload(); return; }
    var next = new URL(target);
    var here = new URL(location.href);
    if (next.pathname + next.search === here.pathname + here.search) {
      history.replaceState(null, "", next.href);
      location.reload();
    } else {
      location.assign(next.href);
    }
  }

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    return ownEntries().then(function (entries) {
      if (!entries.length) return;
      showBanner(messages.msgSending, "info");
      var last = null, refused = null;
      return entries.reduce(function (chain, entry) {
        return chain.then(function () {
          var accepted = true;
          return send(entry).then(function (response) {
            // Kept for later unless the server took it: a lost login or a stale token is no loss.
            if (response.status === 401 || response.status === 403 || response.redirected) {
              throw new Error("not accepted: " + response.status);
            }
            var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
            if (!json && response.status === 422) {
              // The server answered with the form and its errors beside the fields (say, a
              // document photo that could not be read filled nothing): shown, as a submit
              // online shows it, with what was typed kept; never dropped without a word.
              accepted = false;
              return response.text().then(function (html) { refused = html; });
            }
            return (json ? response.json() : Promise.resolve({})).then(function (data) {
              last = data.redirect ? SiLAHAP.sameOriginUrl(data.redirect) : null;
            });
          }).then(function () {
            return deleteEntry(entry.id).then(function () {
              if (accepted) localStorage.removeItem(entry.formKey);
            });
          });
        });
      }, Promise.resolve()).then(function () {
        if (refused !== null) {
          document.open(); document.write(refused); document.close();
          return;
        }
        showBanner(messages.msgSent, "info");
        // Where the server sent the last write (its new page), else this page, freshly loaded.
        go(last);
      });
    }).catch(function () {
      showBanner(messages.msgWaiting, "returned");
    }).then(function () { flushing = false; });
  }

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-outbox")) saveFields(form);
  });
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-outbox")) saveFields(form);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-outbox") || !window.indexedDB || !window.fetch) return;
    event.preventDefault();
    if (form.dataset.sending === "1") return;
    form.dataset.sending = "1";
    saveFields(form);
    var fields = [], files = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled) return;
      if (field.type === "file") {
        Array.prototype.forEach.call(field.files, function (file) {
          files.push({ name: field.name, blob: file, filename: file.name });
        });
        return;
      }
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) return;
      fields.push([field.name, field.value]);
    });
    if (event.submitter && event.submitter.name) fields.push([event.submitter.name, event.submitter.value]);
    var entry = {
      id: Date.now() + "-" + Math.random().toString(16).slice(2), owner: owner,
      url: form.action, fields: fields, files: files, formKey: formKey(form), createdAt: new Date().toISOString()
    };
    putEntry(entry).then(function () {
      return send(entry).then(function (response) {
        return deleteEntry(entry.id).then(function () { return response; });
      });
    }).then(function (response) {
      if ((response.headers.get("Content-Type") || "").indexOf("application/json") === 0) {
        return response.json().then(function (data) {
          clearFields(form);
          go(data.redirect);
        });
      }
      return response.text().then(function (html) {
        if (response.ok) clearFields(form);
        // The server answered (with errors beside the fields): show its page; typing is kept.
        // This is the site's own whole page for the form's POST, as a navigation would show it.
        document.open(); document.write(html); document.close();
      });
    }).catch(function () {
      form.dataset.sending = "";
      showBanner(messages.msgWaiting, "returned");
    });
  }, false);

  // Originals of photos sent resized (evidence_photo.js keeps them in "silahap-originals"):
  // sent by themselves once no form is waiting, on a good connection or within the office's
  // hours, each to its own address; the server keeps one only if its SHA-256 is the one sent
  // with the copy. A refused one stays on the phone, marked, with the server's reason shown.
  function originalsStore(mode, work) {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("silahap-originals", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore("originals", { keyPath: "id" }); };
      request.onerror = function () { reject(request.error); };
      request.onsuccess = function () {
        var tx = request.result.transaction("originals", mode);
        var result = work(tx.objectStore("originals"));
        tx.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
      };
    });
  }
  function goodConnection() {
    var connection = navigator.connection;
    return !!connection && !connection.saveData && connection.effectiveType === "4g";
  }
  function withinHours(hours, zone) {
    var match = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(hours || "");
    if (!match) return false;
    var now;
    try {
      now = new Intl.DateTimeFormat("en-GB", { timeZone: zone || undefined, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date());
    } catch (error) { return false; }
    return match[1] <= match[2] ? (now >= match[1] && now < match[2]) : (now >= match[1] || now < match[2]);
  }
  var sendingOriginals = false;
  function flushOriginals() {
    if (sendingOriginals || !navigator.onLine || !owner || !window.indexedDB) return Promise.resolve();
    var token = document.querySelector("[name=csrfmiddlewaretoken]");
    if (!token) return Promise.resolve();
    sendingOriginals = true;
    return ownEntries().then(function (waitingForms) {
      if (waitingForms.length) return;  // the copies go first
      return originalsStore("readonly", function (store) { return store.getAll(); }).then(function (all) {
        var due = all.filter(function (entry) {
          return entry.owner === owner && entry.state === "waiting" && (goodConnection() || withinHours(entry.hours, entry.zone));
        });
        return due.reduce(function (chain, entry) {
          return chain.then(function () {
            var body = new FormData();
            body.append("csrfmiddlewaretoken", token.value);
            body.append("original", entry.blob, entry.filename);
            return fetch(entry.url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-Outbox": "1", "Accept": "application/json" } })
              .then(function (response) {
                if (response.status === 200) return originalsStore("readwrite", function (store) { store.delete(entry.id); });
                if (response.status === 422) {
                  return response.json().catch(function () { return {}; }).then(function (data) {
                    entry.state = "refused";
                    entry.message = (data.errors || []).join(" ");
                    showBanner(entry.message, "returned");
                    return originalsStore("readwrite", function (store) { store.put(entry); });
                  });
                }
                if (response.status === 404) {
                  // The copy is not there yet (or the photo was removed): try a few more times.
                  entry.attempts = (entry.attempts || 0) + 1;
                  return originalsStore("readwrite", function (store) {
                    if (entry.attempts > 40) store.delete(entry.id); else store.put(entry);
                  });
                }
                // Signed out, a stale token, a server error: kept for later.
              });
          });
        }, Promise.resolve());
      });
    }).catch(function () {}).then(function () { sendingOriginals = false; });
  }
  if (window.indexedDB) {
    setTimeout(flushOriginals, 1500);
    setInterval(flushOriginals, 15000);
    if (navigator.connection && navigator.connection.addEventListener) {
      navigator.connection.addEventListener("change", flushOriginals);
    }
  }

  window.addEventListener("online", flush);
  window.addEventListener("online", flushOriginals);
  // Drafts typed before they had an owner cannot be told apart: nobody gets them.
  Object.keys(localStorage).forEach(function (key) { if (key.indexOf("silahap-form:/") === 0) localStorage.removeItem(key); });
  document.querySelectorAll("form[data-outbox]").forEach(restoreFields);
  if (window.indexedDB) {
    ownEntries().then(function (entries) {
      if (entries.length) { showBanner(messages.msgWaiting, "returned"); flush(); }
    }).catch(function () {});
    setInterval(flush, 15000);
  }
  if ("serviceWorker" in navigator && document.documentElement.dataset.serviceWorker) {
    navigator.serviceWorker.register(document.documentElement.dataset.serviceWorker).catch(function () {});
  }
  document.addEventListener("submit", function (event) {
    // Logging out: the pages this phone kept go now (the service worker also drops them at the
    // next answer naming no session); unsent entries stay for this person's next login.
    if (event.target.dataset.logout === "1" && window.caches) {
      caches.keys().then(function (keys) {
        keys.forEach(function (key) { if (key.indexOf("silahap-pages-") === 0) caches.delete(key); });
      });
    }
  }, true);
})();
