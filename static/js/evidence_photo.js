// A photo leaves the phone small and stays trustworthy (issue 15 item 3). Before anything is
// resized, the original's SHA-256 (Web Crypto) and its EXIF time and GPS point are read; the
// upload carries a copy of at most 1600 px and 250 KB, upright (the EXIF orientation applied by
// createImageBitmap), with that description of the original in the form's "originals" field.
// The original itself waits in this phone's "silahap-originals" store until outbox.js sends it
// (on a good connection, or within the office's hours) and the server checks it against the
// hash. A photo that is already small, or that this browser cannot resize (no Web Crypto,
// createImageBitmap or DataTransfer; a HEIC file Chromium cannot decode), goes up as taken,
// exactly as without this script.
(function () {
  "use strict";
  var EDGE = 1600, MAX_BYTES = 250 * 1024;
  var form = document.querySelector("form[data-evidence-photo]");
  // A description restored from an unsent draft belongs to files no longer chosen.
  var stale = form && form.querySelector("[name=originals]");
  if (stale) stale.value = "";
  if (!form || !window.crypto || !crypto.subtle || !window.createImageBitmap || !window.DataTransfer || !window.indexedDB) return;
  var input = form.querySelector("input[type=file][name=photo]");
  var described = form.querySelector("[name=originals]");
  if (!input || !described) return;
  var owner = document.documentElement.dataset.userKey || "";
  var busy = false;

  // EXIF, as far as evidence needs it: DateTimeOriginal, OffsetTimeOriginal and the GPS point
  // of a JPEG (APP1 "Exif"). Anything else, or anything malformed, gives nulls: the server still
  // reads the original itself when it arrives.
  function readExif(buffer) {
    var found = { taken_at: null, offset: null, latitude: null, longitude: null };
    var view = new DataView(buffer);
    if (view.byteLength < 4 || view.getUint16(0) !== 0xFFD8) return found;
    var at = 2, end = Math.min(view.byteLength, 512 * 1024);
    while (at + 4 <= end) {
      var marker = view.getUint16(at), length = view.getUint16(at + 2);
      if ((marker & 0xFF00) !== 0xFF00 || marker === 0xFFDA) break;
      if (marker === 0xFFE1 && view.getUint32(at + 4) === 0x45786966) { // "Exif"
        readTiff(view, at + 10, found);
        break;
      }
      at += 2 + length;
    }
    return found;
  }
  function readTiff(view, tiff, found) {
    var little = view.getUint16(tiff) === 0x4949;
    function u16(offset) { return view.getUint16(tiff + offset, little); }
    function u32(offset) { return view.getUint32(tiff + offset, little); }
    function entries(ifd) {
      var result = {}, count = u16(ifd);
      if (count > 500) return result;
      for (var i = 0; i < count; i++) {
        var entry = ifd + 2 + i * 12;
        result[u16(entry)] = { type: u16(entry + 2), count: u32(entry + 4), entry: entry };
      }
      return result;
    }
    function where(item, size) { return item.count * size <= 4 ? item.entry + 8 : u32(item.entry + 8); }
    function ascii(item) {
      if (!item || item.type !== 2 || item.count > 64) return null;
      var start = where(item, 1), text = "";
      for (var i = 0; i < item.count; i++) {
        var code = view.getUint8(tiff + start + i);
        if (!code) break;
        text += String.fromCharCode(code);
      }
      return text.trim() || null;
    }
    function degrees(item) {
      if (!item || item.type !== 5 || item.count !== 3) return null;
      var start = where(item, 8), total = 0;
      for (var i = 0; i < 3; i++) {
        var over = u32(start + i * 8 + 4);
        if (!over) return null;
        total += u32(start + i * 8) / over / Math.pow(60, i);
      }
      return total;
    }
    var zero = entries(u32(4));
    if (zero[0x8769]) {
      var exif = entries(u32(zero[0x8769].entry + 8));
      found.taken_at = ascii(exif[0x9003]);
      found.offset = ascii(exif[0x9011]);
    }
    if (zero[0x8825]) {
      var gps = entries(u32(zero[0x8825].entry + 8));
      var lat = degrees(gps[2]), lon = degrees(gps[4]);
      if (lat !== null && lon !== null) {
        found.latitude = (ascii(gps[1]) === "S" ? -lat : lat).toFixed(6);
        found.longitude = (ascii(gps[3]) === "W" ? -lon : lon).toFixed(6);
      }
    }
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (byte) {
      return ("0" + byte.toString(16)).slice(-2);
    }).join("");
  }
  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var text = hex(bytes.buffer);
    return [text.slice(0, 8), text.slice(8, 12), text.slice(12, 16), text.slice(16, 20), text.slice(20)].join("-");
  }

  function shrink(bitmap) {
    function encode(scale, quality) {
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      var context = canvas.getContext("2d");
      context.imageSmoothingQuality = "high";
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality); }).then(function (blob) {
        if (!blob) throw new Error("not encoded");
        if (blob.size <= MAX_BYTES) return blob;
        if (quality > 0.5) return encode(scale, quality - 0.1);
        if (scale > 0.2) return encode(scale * 0.8, 0.6);
        throw new Error("not small enough");
      });
    }
    return encode(Math.min(1, EDGE / Math.max(bitmap.width, bitmap.height)), 0.82);
  }

  // One file: {file: what is sent, declared: its original's description or null}.
  function prepare(file) {
    if (file.size <= MAX_BYTES) return Promise.resolve({ file: file, declared: null });
    return file.arrayBuffer().then(function (buffer) {
      var exif = {};
      try { exif = readExif(buffer); } catch (error) { exif = {}; }
      return Promise.all([
        crypto.subtle.digest("SHA-256", buffer),
        createImageBitmap(file, { imageOrientation: "from-image" })
      ]).then(function (done) {
        var bitmap = done[1];
        return shrink(bitmap).then(function (blob) {
          if (bitmap.close) bitmap.close();
          var name = (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
          return {
            file: new File([blob], name, { type: "image/jpeg" }),
            original: file,
            declared: {
              key: newKey(), sha256: hex(done[0]), size: file.size, type: file.type || "image/jpeg",
              taken_at: exif.taken_at || null, offset: exif.offset || null,
              latitude: exif.latitude || null, longitude: exif.longitude || null
            }
          };
        });
      });
    }).catch(function () { return { file: file, declared: null }; });  // sent as taken
  }

  function openStore() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("silahap-originals", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore("originals", { keyPath: "id" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  // Kept before the copy is sent: a copy on the server never lacks its original on the phone.
  function keepOriginals(prepared) {
    var waiting = prepared.filter(function (item) { return item.declared; });
    if (!waiting.length) return Promise.resolve();
    return openStore().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("originals", "readwrite");
        waiting.forEach(function (item) {
          tx.objectStore("originals").put({
            id: item.declared.key, owner: owner, sha256: item.declared.sha256,
            url: form.dataset.originalUrl.replace("00000000-0000-0000-0000-000000000000", item.declared.key),
            blob: item.original, filename: item.original.name || "photo.jpg",
            hours: form.dataset.originalHours || "", zone: form.dataset.officeZone || "",
            state: "waiting", attempts: 0, createdAt: new Date().toISOString()
          });
        });
        tx.oncomplete = function () { resolve(); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  var button = form.querySelector("[type=submit]");
  var status = document.createElement("p");
  status.className = "muted";
  status.setAttribute("role", "status");
  status.dataset.testid = "photo-preparing";
  status.hidden = true;
  input.insertAdjacentElement("afterend", status);

  input.addEventListener("change", function (event) {
    // This script sends the form itself once the photos are ready (silahap.js would at once).
    event.stopPropagation();
    if (busy || !input.files.length) return;
    busy = true;
    if (button) button.disabled = true;
    status.textContent = form.dataset.msgPreparing || "";
    status.hidden = false;
    var chosen = Array.prototype.slice.call(input.files);
    // One at a time: a phone holds one decoded 12-megapixel photo, not five.
    chosen.reduce(function (chain, file) {
      return chain.then(function (done) {
        return prepare(file).then(function (item) { return done.concat([item]); });
      });
    }, Promise.resolve([])).then(function (prepared) {
      var transfer = new DataTransfer();
      prepared.forEach(function (item) { transfer.items.add(item.file); });
      return keepOriginals(prepared).then(function () {
        input.files = transfer.files;
        described.value = JSON.stringify(prepared.map(function (item) { return item.declared; }));
      }, function () {
        // No room to keep the originals: they go up as taken, nothing is lost.
        described.value = "";
      });
    }).catch(function () { described.value = ""; }).then(function () {
      busy = false;
      status.hidden = true;
      if (button) button.disabled = false;
      if (input.hasAttribute("data-autosubmit")) form.requestSubmit();
    });
  });
  // A tap on "Upload" while the photos are being prepared waits for them.
  form.addEventListener("submit", function (event) {
    if (busy) { event.preventDefault(); event.stopImmediatePropagation(); }
  }, true);
  // A new choice of files starts a new description (a stale one would not match the files).
  input.addEventListener("click", function () { described.value = ""; });
})();
