/* LAPOR! page helpers. Plain JS from our own origin (strict CSP: no inline script, no eval).
   Everything here is an enhancement: every form also works without it. */
(function () {
  "use strict";

  function each(root, selector, fn) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
  }

  /* Copy buttons: tracking ID and access code. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var text = button.getAttribute("data-copy");
    var done = function () {
      var original = button.textContent;
      button.textContent = button.getAttribute("data-copied") || "OK";
      setTimeout(function () { button.textContent = original; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
    } else {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "sr-only";
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selectable */ }
      document.body.removeChild(area);
    }
  });

  /* Attachments: say at once which files are too big or of a wrong type, and drop them. */
  function checkFiles(input) {
    var status = document.getElementById(input.id + "_status");
    if (!status) return;
    status.textContent = "";
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    var maxFiles = parseInt(input.getAttribute("data-max-files"), 10);
    var types = (input.getAttribute("data-types") || "").split(",");
    var files = Array.prototype.slice.call(input.files || []);
    var bad = false;
    if (files.length > maxFiles) {
      var li = document.createElement("li");
      li.className = "bad";
      li.textContent = input.getAttribute("data-msg-count");
      status.appendChild(li);
      input.value = "";
      return;
    }
    files.forEach(function (file) {
      var item = document.createElement("li");
      var size = file.size > 1048576 ? (file.size / 1048576).toFixed(1) + " MB" : Math.ceil(file.size / 1024) + " KB";
      var problem = "";
      if (file.size > max) problem = input.getAttribute("data-msg-size");
      else if (types.indexOf(file.type) === -1) problem = input.getAttribute("data-msg-type");
      item.textContent = file.name + " (" + size + ")" + (problem ? " — " + problem : "");
      if (problem) { item.className = "bad"; bad = true; }
      status.appendChild(item);
    });
    if (bad && window.DataTransfer) {
      var keep = new DataTransfer();
      files.forEach(function (file) {
        if (file.size <= max && types.indexOf(file.type) !== -1) keep.items.add(file);
      });
      input.files = keep.files;
    } else if (bad) {
      input.value = "";
    }
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("input[type=file][data-max-bytes]")) checkFiles(target);
    if (target.matches && target.matches("[data-select-all]")) {
      each(document, "input[type=checkbox][name=" + target.getAttribute("data-select-all") + "]", function (box) {
        box.checked = target.checked;
      });
    }
    if (target.matches && target.matches("select[data-template-into]")) {
      var data = document.getElementById("template-bodies");
      var into = document.getElementById(target.getAttribute("data-template-into"));
      if (data && into && target.value) {
        var bodies = JSON.parse(data.textContent);
        into.value = bodies[target.value] || into.value;
        into.focus();
      }
    }
  });

  /* Upload progress for the htmx-posted report form. */
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest ? event.target.closest("form") : null;
    var bar = form && form.querySelector("progress.upload");
    if (!bar || !event.detail.lengthComputable) return;
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });

  /* After htmx swaps a form back with errors, move focus to the error summary. */
  document.addEventListener("htmx:afterSwap", function (event) {
    var summary = event.detail.target.querySelector && event.detail.target.querySelector("[data-autofocus]");
    if (!summary && event.detail.elt && event.detail.elt.parentNode) {
      summary = document.querySelector("[data-autofocus]");
    }
    if (summary) summary.focus();
  });
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-autofocus]");
    if (summary) summary.focus();
  });

  /* Optional map pin: Leaflet is loaded only when asked for, so the form stays light on slow phones. */
  function loadLeaflet(block, ready) {
    if (window.L) { ready(); return; }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = block.getAttribute("data-leaflet-css");
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = block.getAttribute("data-leaflet-js");
    script.onload = ready;
    document.head.appendChild(script);
  }
  function openMap(block, button) {
    var holder = block.querySelector(".map");
    var form = block.closest("form");
    var lat = form.querySelector("[name=lat]");
    var lon = form.querySelector("[name=lon]");
    holder.hidden = false;
    button.setAttribute("aria-expanded", "true");
    if (holder.getAttribute("data-ready")) return;
    holder.setAttribute("data-ready", "1");
    loadLeaflet(block, function () {
      var L = window.L;
      var tiles = block.getAttribute("data-tiles");
      var start = lat.value && lon.value ? [parseFloat(lat.value), parseFloat(lon.value)] : [-2.5, 118];
      var map = L.map(holder, { zoomControl: true, attributionControl: !!tiles }).setView(start, lat.value ? 14 : 4);
      if (tiles) {
        L.tileLayer(tiles, { maxZoom: 19, attribution: block.getAttribute("data-attribution") || "" }).addTo(map);
      } else {
        block.querySelector("[data-map-blank]").hidden = false;
      }
      var marker = null;
      function place(latlng) {
        if (!marker) {
          marker = L.marker(latlng, { draggable: true, keyboard: true }).addTo(map);
          marker.on("dragend", function () { place(marker.getLatLng()); });
        }
        marker.setLatLng(latlng);
        lat.value = latlng.lat.toFixed(6);
        lon.value = latlng.lng.toFixed(6);
      }
      if (lat.value && lon.value) place(L.latLng(start[0], start[1]));
      map.on("click", function (e) { place(e.latlng); });
      function fromInputs() {
        var a = parseFloat(lat.value), b = parseFloat(lon.value);
        if (!isNaN(a) && !isNaN(b)) { place(L.latLng(a, b)); map.setView([a, b], Math.max(map.getZoom(), 12)); }
      }
      lat.addEventListener("change", fromInputs);
      lon.addEventListener("change", fromInputs);
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-map-open]");
    if (!button) return;
    openMap(button.closest("[data-map]"), button);
  });
})();
