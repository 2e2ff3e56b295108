// The plotly.js the pages load: only the trace types the product draws.
//
// Built by `make assets` (static_src/js/build-plotly.mjs) into
// static/build/vendor/plotly-charts.min.js, instead of serving plotly's full 4.8 MB
// bundle. The figures are written by the Python plotly package, whose plotly.js
// major version must be the one pinned in package.json (tests/unit/test_front_end_build.py).
//
// - scatter: lines and markers (trends, SPC charts); plotly.js's core always has it.
// - bar: the comparison, profile and neighbourhood charts.
// - scattergeo and choropleth: the maps. Their base layers (coastlines, countries) are
//   topojson files served from static/ too (charts.js sets topojsonURL), never
//   fetched from plotly's CDN, which the Content-Security-Policy would refuse.
//
// Only SVG traces: WebGL traces need 'unsafe-eval' (see assessments/charts.py).
// Components such as error bars, legends, shapes and annotations come with the core.
"use strict";

var Plotly = require("plotly.js/lib/core");

Plotly.register([
  require("plotly.js/lib/bar"),
  require("plotly.js/lib/scattergeo"),
  require("plotly.js/lib/choropleth"),
]);

module.exports = Plotly;
