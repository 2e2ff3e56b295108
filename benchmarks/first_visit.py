"""First visit to /compare/ in Chromium: bytes transferred and the time from the HTML to the chart.

    make first-visit
    .venv/bin/python benchmarks/first_visit.py --database csp_front --cache-url redis://127.0.0.1:6379/5

The site is served as in production (benchmarks/production_server.py: gunicorn with
gunicorn.conf.py and DEBUG=0, collectstatic with whitenoise's manifest storage, so static
files have hashed names, long-lived cache headers and gzip/brotli copies; PostgreSQL with
the demo data; Redis). The page is asked for once before the visits, so the HTML comes from a
warm cache: this measures the front end, not the page build (benchmarks/load.py measures that).

Each visit is a new browser context, so nothing is cached in the browser (a first visit).
Debian's Chromium (never a downloaded browser), driven by Playwright. Measured per visit:
- bytes transferred: every response's encoded length on the wire (Chrome's network log,
  headers included), in all and by file;
- HTML: the navigation's responseEnd (the last byte of the page's HTML);
- first contentful paint (the page's text shown), DOMContentLoaded, load;
- chart: when plotly's SVG (.main-svg) first appears in the page's chart, seen by a
  MutationObserver installed before the page runs (Playwright's init script), and when
  charts.js marks the chart drawn;
then a second visit in the same context: what a returning reader transfers (the hashed files
are cached as immutable, so only the HTML should come again).

Prints the median and the worst of --visits visits and checks the bars: at most 1.5 MB
transferred in every visit and the chart within 1 s of the HTML in the median visit (the
worst is printed beside it). Exits 1 when a bar is missed.
Only 127.0.0.1 is requested (the page's Content-Security-Policy allows nothing else); a
request to any other host would be reported as a failure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.production_server import (  # noqa: E402
    PROXY_HEADERS,
    SetupError,
    check_cache_url,
    checkout,
    check_database_name,
    production_server,
    request,
)

CHROMIUM = "/usr/bin/chromium"
MAX_BYTES = 1_500_000
MAX_CHART_AFTER_HTML_MS = 1000

# Runs in the page before any of its scripts: notes when the chart's SVG first appears.
OBSERVER = """
window.__chartTimes = {};
document.addEventListener('DOMContentLoaded', function () { window.__chartTimes.dcl = performance.now(); });
// When plotly.js has run (its script assigns window.Plotly) and when charts.js first calls newPlot.
(function () {
  var plotly;
  Object.defineProperty(window, 'Plotly', {configurable: true, get: function () { return plotly; },
    set: function (value) {
      plotly = value;
      window.__chartTimes.plotly_ready = performance.now();
      var newPlot = value.newPlot;
      value.newPlot = function () {
        if (window.__chartTimes.new_plot === undefined) { window.__chartTimes.new_plot = performance.now(); }
        return newPlot.apply(this, arguments);
      };
    }});
})();
new MutationObserver(function () {
  var t = window.__chartTimes;
  if (t.svg === undefined && document.querySelector('.js-plotly-chart .main-svg')) { t.svg = performance.now(); }
  if (t.drawn === undefined && document.querySelector('.js-plotly-chart[data-chart-drawn=true]')) {
    t.drawn = performance.now();
  }
}).observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ['data-chart-drawn']});
"""

TIMINGS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return {
    html_response_start: nav.responseStart, html_response_end: nav.responseEnd,
    dom_content_loaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
    first_contentful_paint: fcp ? fcp.startTime : null,
    chart_svg: window.__chartTimes.svg, chart_drawn: window.__chartTimes.drawn,
    plotly_ready: window.__chartTimes.plotly_ready, new_plot: window.__chartTimes.new_plot,
    plotly_received: (performance.getEntriesByType('resource').find(
      (r) => r.name.includes('/build/vendor/plotly')) || {}).responseEnd,
  };
}"""


def visit(browser, base: str, path: str) -> dict:
    context = browser.new_context(extra_http_headers=PROXY_HEADERS)
    page = context.new_page()
    page.add_init_script(OBSERVER)
    # Chrome's network log, watched rather than intercepted: Playwright's request routing
    # would turn the browser's cache off, and the second visit is about that cache.
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Performance.enable")
    responses: dict[str, dict] = {}
    outside: list[str] = []
    cdp.on("Network.requestWillBeSent", lambda e: outside.append(e["request"]["url"])
           if urlsplit(e["request"]["url"]).hostname not in ("127.0.0.1", "localhost", None) else None)
    cdp.on("Network.responseReceived", lambda e: responses.setdefault(e["requestId"], {}).update(
        url=e["response"]["url"], status=e["response"]["status"],
        encoding=(e["response"]["headers"].get("content-encoding") or e["response"]["headers"].get("Content-Encoding")
                  or "none"),
        from_cache=e["response"].get("fromDiskCache", False) or e["response"].get("fromMemoryCache", False),
        cache_control=e["response"]["headers"].get("cache-control") or e["response"]["headers"].get("Cache-Control")
        or ""))
    cdp.on("Network.requestServedFromCache", lambda e: responses.setdefault(e["requestId"], {}).update(
        from_cache=True))
    cdp.on("Network.loadingFinished", lambda e: responses.setdefault(e["requestId"], {}).update(
        bytes=e["encodedDataLength"]))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(base + path, wait_until="load")
    page.wait_for_selector(".js-plotly-chart[data-chart-drawn=true] .main-svg", timeout=30_000)
    page.wait_for_load_state("networkidle")
    t = page.evaluate(TIMINGS)
    # CPU time of the page's main thread and of its renderer process so far: what the page
    # cost the browser, which does not grow when other programs share the cores.
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    first = {
        "bytes": sum(r.get("bytes", 0) for r in responses.values()),
        "requests": len(responses),
        "files": sorted(((urlsplit(r.get("url", "?")).path, r.get("bytes", 0), r.get("encoding"),
                          r.get("cache_control", "")) for r in responses.values()), key=lambda f: -f[1]),
        "html_ms": t["html_response_end"],
        "first_contentful_paint_ms": t["first_contentful_paint"],
        "dom_content_loaded_ms": t["dom_content_loaded"],
        "load_ms": t["load"],
        "chart_svg_ms": t["chart_svg"],
        "plotly_received_ms": t["plotly_received"],
        "plotly_ready_ms": t["plotly_ready"],
        "new_plot_ms": t["new_plot"],
        "chart_drawn_ms": t["chart_drawn"],
        "chart_after_html_ms": t["chart_svg"] - t["html_response_end"],
        "main_thread_cpu_ms": 1000 * metrics.get("ThreadTime", float("nan")),
        "renderer_cpu_ms": 1000 * metrics.get("ProcessTime", float("nan")),
        "script_ms": 1000 * metrics.get("ScriptDuration", float("nan")),
        "text_before_chart": t["first_contentful_paint"] is not None and t["first_contentful_paint"] < t["chart_svg"],
        "console_errors": errors[:],
        "outside_requests": outside[:],
    }

    # The same reader comes back: the hashed files are cached as immutable.
    responses.clear()
    page.goto(base + path, wait_until="load")
    page.wait_for_selector(".js-plotly-chart[data-chart-drawn=true] .main-svg", timeout=30_000)
    page.wait_for_load_state("networkidle")
    first["repeat_bytes"] = sum(r.get("bytes", 0) for r in responses.values() if not r.get("from_cache"))
    first["repeat_requests"] = sum(1 for r in responses.values() if r.get("bytes") and not r.get("from_cache"))
    context.close()
    return first


def measure(base: str, path: str, visits: int) -> dict:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SetupError(f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`).")
    # Warm the page's cache on the server: the first visit measured is the front end's.
    for _ in range(2):
        status, _ = request(base + path)
        if status != 200:
            raise SetupError(f"{path} answered HTTP {status}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            visit(browser, base, path)  # Chromium's own first start is not the page's
            runs = [visit(browser, base, path) for _ in range(visits)]
        finally:
            browser.close()
    def med(key):
        values = [r[key] for r in runs if r[key] is not None]
        return round(statistics.median(values), 1) if values else None

    def worst(key):
        values = [r[key] for r in runs if r[key] is not None]
        return round(max(values), 1) if values else None

    return {
        "path": path,
        "visits": visits,
        "bytes_median": med("bytes"), "bytes_max": worst("bytes"),
        "requests": runs[0]["requests"],
        "html_ms_median": med("html_ms"),
        "first_contentful_paint_ms_median": med("first_contentful_paint_ms"),
        "dom_content_loaded_ms_median": med("dom_content_loaded_ms"),
        "chart_svg_ms_median": med("chart_svg_ms"),
        "plotly_received_ms_median": med("plotly_received_ms"),
        "plotly_ready_ms_median": med("plotly_ready_ms"),
        "new_plot_ms_median": med("new_plot_ms"),
        "chart_after_html_ms_median": med("chart_after_html_ms"), "chart_after_html_ms_max": worst("chart_after_html_ms"),
        "text_before_chart": all(r["text_before_chart"] for r in runs),
        "main_thread_cpu_ms_median": med("main_thread_cpu_ms"),
        "renderer_cpu_ms_median": med("renderer_cpu_ms"),
        "script_ms_median": med("script_ms"),
        "repeat_visit_bytes_median": med("repeat_bytes"),
        "repeat_visit_requests": runs[0]["repeat_requests"],
        "files": runs[0]["files"],
        "console_errors": sorted({e for r in runs for e in r["console_errors"]}),
        "outside_requests": sorted({u for r in runs for u in r["outside_requests"]}),
        "load_average": round(os.getloadavg()[0], 2),
    }


def print_report(r: dict) -> None:
    print(f"\nFirst visit to {r['path']} ({r['visits']} visits, each in a new browser context; median, worst):")
    print(f"  transferred: {r['bytes_median'] / 1e6:.3f} MB, worst {r['bytes_max'] / 1e6:.3f} MB, "
          f"in {r['requests']} responses")
    for path, size, encoding, cache_control in r["files"]:
        print(f"    {size / 1e3:9.1f} kB  {encoding:<5} {path}  [{cache_control or 'no Cache-Control'}]")
    print(f"  HTML received at {r['html_ms_median']} ms; text painted at {r['first_contentful_paint_ms_median']} ms; "
          f"DOMContentLoaded {r['dom_content_loaded_ms_median']} ms")
    print(f"  plotly.js received at {r['plotly_received_ms_median']} ms, run by {r['plotly_ready_ms_median']} ms; "
          f"charts.js called newPlot at {r['new_plot_ms_median']} ms")
    print(f"  chart SVG at {r['chart_svg_ms_median']} ms: {r['chart_after_html_ms_median']} ms after the HTML "
          f"(worst {r['chart_after_html_ms_max']} ms); text painted before the chart in every visit: "
          f"{r['text_before_chart']}")
    print(f"  the page's main thread used {r['main_thread_cpu_ms_median']} ms of CPU (the renderer process "
          f"{r['renderer_cpu_ms_median']} ms); scripts ran for {r['script_ms_median']} ms")
    print(f"  a second visit transferred {r['repeat_visit_bytes_median'] / 1e3:.1f} kB in "
          f"{r['repeat_visit_requests']} responses (the hashed files came from the browser's cache)")
    print(f"  load average {r['load_average']} on {os.cpu_count()} cores; measured on {r['checkout']}")
    if r["console_errors"]:
        print("  console errors:", r["console_errors"])
    if r["outside_requests"]:
        print("  requests to other hosts (aborted):", r["outside_requests"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", default="/compare/")
    parser.add_argument("--visits", type=int, default=5)
    parser.add_argument("--database", default=os.environ.get("LOAD_DATABASE", "csp_load"))
    parser.add_argument("--cache-url", default=os.environ.get("LOAD_CACHE_URL", "redis://127.0.0.1:6379/5"))
    parser.add_argument("--url", help="a gunicorn already running on 127.0.0.1 instead of starting one")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not 1 <= args.visits <= 50:
        parser.error("--visits 1 to 50")
    try:
        if args.url:
            if urlsplit(args.url).hostname not in ("127.0.0.1", "localhost"):
                parser.error("--url must be on 127.0.0.1")
            report = measure(args.url.rstrip("/"), args.path, args.visits)
        else:
            check_database_name(args.database)
            check_cache_url(args.cache_url)
            with production_server(args.database, args.cache_url, cold_cache=False) as server:
                report = measure(server.url, args.path, args.visits)
    except SetupError as error:
        print(f"first-visit: {error}", file=sys.stderr)
        return 2
    report["checkout"] = checkout()
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    # Bytes: every visit. Time: the median visit (the worst is printed; on a shared machine it
    # follows whatever else runs there).
    ok = (report["bytes_max"] <= MAX_BYTES and report["chart_after_html_ms_median"] <= MAX_CHART_AFTER_HTML_MS
          and not report["console_errors"] and not report["outside_requests"])
    print("PASS" if ok else "FAIL", f"(the bars: at most {MAX_BYTES / 1e6:g} MB transferred and the chart within "
          f"{MAX_CHART_AFTER_HTML_MS} ms of the HTML in the median visit, no console error, no request off this "
          "machine)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
