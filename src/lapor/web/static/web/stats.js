/* Charts for /statistik and /instansi/<code>: each <canvas data-chart="ID"> reads its data from the
   json_script element ID (no inline script: the site's CSP forbids it). The table beside each chart
   holds the same numbers for screen readers and for copying. */
(function () {
  "use strict";
  function draw() {
    if (typeof window.Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-chart"));
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      new window.Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: [{ label: spec.label, data: spec.values, backgroundColor: "#b3261e", borderColor: "#b3261e" }] },
        options: { animation: false, responsive: true, aspectRatio: 2.5, plugins: { legend: { display: false } }, indexAxis: spec.type === "bar" && spec.labels.length > 8 ? "y" : "x" }
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
