"""The front-end build's inputs, read with no database and no browser.

The pages' charts are plotly figures written by the Python plotly package and drawn by the
partial plotly.js that `make assets` bundles from the npm package pinned in package.json
(static_src/js/build-plotly.mjs). A figure is only understood by the plotly.js major version
it was written for, so the pin must follow the Python package's plotly.js.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import plotly.offline

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ROOT / "static_src" / "js" / "plotly-charts.js"


def bundled_trace_types() -> set[str]:
    """The trace types the bundle registers: scatter (in plotly.js's core) and each lib/<trace> it requires."""
    required = set(re.findall(r'require\("plotly\.js/lib/(\w+)"\)', ENTRY.read_text()))
    assert "core" in required, "the bundle starts from plotly.js/lib/core"
    return {"scatter"} | (required - {"core"})


def pinned(name: str) -> str:
    return json.loads((ROOT / "package.json").read_text())["devDependencies"][name]


def test_the_npm_plotly_js_has_the_major_version_the_python_figures_are_written_for():
    version = pinned("plotly.js")
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"pin plotly.js exactly, not {version!r}"
    python_js = plotly.offline.get_plotlyjs_version()  # the plotly.js the Python package writes for
    assert version.split(".")[0] == python_js.split(".")[0], (
        f"package.json pins plotly.js {version} but the Python plotly package writes figures for {python_js}"
    )


def test_the_lock_file_installs_the_pinned_bundler_and_plotly_js():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for name in ("plotly.js", "esbuild"):
        assert lock["packages"][f"node_modules/{name}"]["version"] == pinned(name), name
        assert lock["packages"][""]["devDependencies"][name] == pinned(name), name


def test_the_bundle_has_the_trace_types_the_product_draws_and_no_webgl():
    # bar and scatter for the charts; scattergeo and choropleth for the maps.
    assert bundled_trace_types() == {"scatter", "bar", "scattergeo", "choropleth"}
