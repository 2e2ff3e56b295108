"""Every chart on every page uses a trace type that the served plotly.js bundle has.

plotly.js quietly leaves out a trace whose type is not registered (the axes are still
drawn), so a chart of a new type would look drawn in the browser tests while showing nothing.
This renders every page in the access table and reads each chart's figure from its
json_script block.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.comparison_data import load_demo_subset
from tests.integration.plans.conftest import make_plan  # noqa: F401  (fixture)
from tests.integration.test_access_all_pages import _objects, pages, people  # noqa: F401  (fixture)
from tests.unit.test_front_end_build import bundled_trace_types

pytestmark = pytest.mark.django_db


def chart_figures(html: str) -> dict[str, dict]:
    """Each chart's figure on a page, by its data block's id (templates/_components/chart.html)."""
    figures = {}
    for source in re.findall(r'data-chart-source="([^"]+)"', html):
        block = re.search(rf'<script id="{re.escape(source)}" type="application/json">(.*?)</script>', html, re.S)
        assert block, f"chart data block {source} is missing"
        figures[source] = json.loads(block.group(1))
    return figures


def test_every_chart_on_every_page_uses_a_bundled_trace_type(client, make_plan, people):
    load_demo_subset("2014-01", "2015-12")  # two years before the access table's own 2016 figures
    client.force_login(people["administrator"])  # may open every page
    bundled = bundled_trace_types()
    drawn, unknown = set(), []
    for name, (url, allowed) in pages(_objects(make_plan)).items():
        if "administrator" not in allowed:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for source, figure in chart_figures(response.content.decode()).items():
            drawn.add(name)
            for trace in figure.get("data", []):
                if trace.get("type", "scatter") not in bundled:
                    unknown.append(f"{name} ({url}) {source}: {trace.get('type')}")
    assert unknown == [], f"trace types the bundle lacks (add them to static_src/js/plotly-charts.js): {unknown}"
    # The check really read the product's charts.
    assert {"comparison-category", "district-profile", "spc-chart"} <= drawn, drawn
