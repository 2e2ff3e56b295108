"""The charts' plotly.js in Chromium: the partial bundle, the map traces and drawing after the text.

The pages load the plotly.js that `make assets` bundles with only the product's trace types
(static_src/js/plotly-charts.js), deferred, and charts.js draws once the text is painted.
"""

import pytest

from tests.comparison_data import load_demo_subset
from tests.unit.test_front_end_build import bundled_trace_types

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/compare/all-crime/?end=2016-09&months=12&group=kent"

# Notes when the chart's SVG first appears, before any of the page's scripts run.
OBSERVER = """
window.__chartSvgAt = null;
new MutationObserver(function () {
  if (window.__chartSvgAt === null && document.querySelector('.js-plotly-chart .main-svg')) {
    window.__chartSvgAt = performance.now();
  }
}).observe(document, {childList: true, subtree: true});
"""

# A small square over Kent and a point in Maidstone: a choropleth and a scattergeo on the
# European base layer, as the maps will draw them.
DRAW_MAP = """async (topojsonURL) => {
  const el = document.createElement('div');
  el.id = 'test-map';
  el.style.width = '600px'; el.style.height = '400px';
  document.body.appendChild(el);
  const square = {type: 'FeatureCollection', features: [{type: 'Feature', id: 'E07000110', properties: {},
    geometry: {type: 'Polygon', coordinates: [[[0.3, 51.1], [0.3, 51.4], [0.7, 51.4], [0.7, 51.1], [0.3, 51.1]]]}}]};
  await Plotly.newPlot(el, [
    {type: 'choropleth', geojson: square, locations: ['E07000110'], z: [42], featureidkey: 'id'},
    {type: 'scattergeo', lon: [0.52], lat: [51.27], text: ['Maidstone'], mode: 'markers'},
  ], {geo: {scope: 'europe', fitbounds: 'locations', resolution: 50}}, {topojsonURL: topojsonURL});
  return {
    choropleth: el.querySelectorAll('.choroplethlocation').length,
    points: el.querySelectorAll('.scattergeo .point').length,
    land: el.querySelectorAll('.geo .layer path').length,
  };
}"""


@pytest.fixture
def demo_figures():
    load_demo_subset("2015-01", "2016-12")


def test_the_bundle_has_only_the_product_trace_types_and_draws_maps_from_static(live_server, page, demo_figures):
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + URL)
    page.wait_for_selector(".js-plotly-chart[data-chart-drawn=true] .main-svg")

    # The served plotly.js is the partial bundle, with exactly the product's trace types.
    assert page.locator("script[src*='build/vendor/plotly-charts.min.js']").count() == 1
    assert page.locator("script[src*='plotly.min.js']").count() == 0
    traces = page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)")
    assert set(traces) == bundled_trace_types() == {"scatter", "bar", "scattergeo", "choropleth"}

    # A map draws with its base layer from static/ (charts.js's topojsonURL), nothing from elsewhere.
    topojson_url = page.locator("script[data-topojson-url]").get_attribute("data-topojson-url")
    assert topojson_url == "/static/build/vendor/topojson/"
    with page.expect_response("**/static/build/vendor/topojson/europe_50m.json") as topojson:
        drawn = page.evaluate(DRAW_MAP, topojson_url)
    assert topojson.value.status == 200
    assert drawn["choropleth"] == 1 and drawn["points"] == 1 and drawn["land"] > 0, drawn
    assert all(url.startswith(live_server.url) for url in requests), [u for u in requests
                                                                     if not u.startswith(live_server.url)]
    assert errors == []


def test_charts_are_drawn_after_the_page_text_is_painted(live_server, page, demo_figures):
    page.add_init_script(OBSERVER)
    page.goto(live_server.url + URL)
    page.wait_for_selector(".js-plotly-chart[data-chart-drawn=true] .main-svg")
    # The chart scripts never hold up the parser: both are deferred.
    deferred = page.evaluate("""() => [...document.querySelectorAll('script[src]')]
        .filter((s) => /plotly-charts|charts\\.js/.test(s.src)).map((s) => s.defer)""")
    assert deferred == [True, True]
    # The text and the table were painted before plotly drew the chart.
    order = page.evaluate("""() => ({
        text: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
        chart: window.__chartSvgAt})""")
    assert order["text"] is not None and order["chart"] is not None, order
    assert order["text"] < order["chart"], order
    assert page.locator("#comparison-table tbody tr").count() == 12
