// Draw every chart on the page from its JSON data block.
//
// Figures are built on the server with plotly (Python) and embedded with
// Django's json_script, which is never executed; this static file reads them
// and calls Plotly.newPlot, so pages work under script-src 'self'. The mode
// bar is hidden: every chart has its data table on the page, which is the
// accessible and exportable form of the same numbers.
(function () {
  "use strict";
  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart-source"));
    if (!source || !window.Plotly) { return; }
    var figure = JSON.parse(source.textContent);
    var config = Object.assign({ displayModeBar: false, responsive: true }, figure.config || {});
    window.Plotly.newPlot(el, figure.data || [], figure.layout || {}, config).then(function () {
      el.setAttribute("data-chart-drawn", "true");
    });
  }
  document.querySelectorAll(".js-plotly-chart").forEach(draw);
})();
