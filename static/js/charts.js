// Draw every chart on the page from its JSON data block.
//
// Figures are built on the server with plotly (Python) and embedded with
// Django's json_script, which is never executed; this static file reads them
// and calls Plotly.newPlot, so pages work under script-src 'self'. The mode
// bar is hidden: every chart has its data table on the page, which is the
// accessible and exportable form of the same numbers.
//
// The page's text and tables come first: this script and plotly.js are deferred
// (templates/_components/chart_scripts.html), and the charts are drawn one per task
// after the browser has had a frame to paint what is already there, so a long chart
// never holds up the table beside it.
(function () {
  "use strict";
  var script = document.currentScript;
  // Maps' base layers (topojson) are served from static/ (make assets copies them).
  var topojsonURL = script && script.getAttribute("data-topojson-url");

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart-source"));
    if (!source || !window.Plotly) { return; }
    var figure = JSON.parse(source.textContent);
    var config = Object.assign({ displayModeBar: false, responsive: true }, figure.config || {});
    if (topojsonURL && !config.topojsonURL) { config.topojsonURL = topojsonURL; }
    window.Plotly.newPlot(el, figure.data || [], figure.layout || {}, config).then(function () {
      el.setAttribute("data-chart-drawn", "true");
    });
  }

  function drawAll() {
    var charts = Array.prototype.slice.call(document.querySelectorAll(".js-plotly-chart"));
    (function next() {
      var el = charts.shift();
      if (!el) { return; }
      draw(el);
      setTimeout(next, 0);
    })();
  }

  function afterPaint() {
    // The next frame, then a task: what the parser has shown is painted before plotly starts.
    if (window.requestAnimationFrame) {
      window.requestAnimationFrame(function () { setTimeout(drawAll, 0); });
    } else {
      setTimeout(drawAll, 0);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", afterPaint);
  } else {
    afterPaint();
  }
})();
