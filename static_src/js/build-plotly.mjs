// Build the partial plotly.js bundle and the map base layers into a folder.
//
//   node static_src/js/build-plotly.mjs OUT_DIR
//
// writes OUT_DIR/plotly-charts.min.js (plotly-charts.js bundled by esbuild with the
// settings plotly.js's own build uses: an IIFE defining window.Plotly, `global` as
// window) and OUT_DIR/topojson/<scope>_<resolution>m.json, the base layers of the
// geo traces, taken from the plotly.js package's own geo assets. Everything comes
// from node_modules (installed from package-lock.json); nothing is downloaded.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const esbuild = require("esbuild");
const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error("usage: node static_src/js/build-plotly.mjs OUT_DIR");
  process.exit(2);
}
mkdirSync(path.join(out, "topojson"), { recursive: true });

const { version } = require("plotly.js/package.json");
const result = await esbuild.build({
  entryPoints: [path.join(here, "plotly-charts.js")],
  outfile: path.join(out, "plotly-charts.min.js"),
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "Plotly",
  target: "es2016",
  define: { global: "window", "define.amd": "false", "process.env.NODE_DEBUG": "false" },
  // plotly.js imports maplibre's stylesheet for its tile maps, which this bundle leaves out.
  loader: { ".css": "empty" },
  banner: { js: `/* plotly.js v${version} (bar, scatter, scattergeo, choropleth) | MIT licence | built by make assets */` },
  legalComments: "eof",
  metafile: true,
  logLevel: "warning",
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);

// The geo assets file assigns every topojson to window.PlotlyGeoAssets when run.
globalThis.window = globalThis;
const assets = require("plotly.js/dist/plotly-geo-assets.js");
const topojson = (assets && assets.topojson) || globalThis.PlotlyGeoAssets.topojson;
for (const [name, data] of Object.entries(topojson)) {
  writeFileSync(path.join(out, "topojson", `${name}.json`), JSON.stringify(data));
}
console.log(`plotly.js ${version}: ${(bytes / 1e6).toFixed(2)} MB bundle, ${Object.keys(topojson).length} topojson files`);
