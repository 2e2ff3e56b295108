"""The comparison page in Chromium: it draws, sorts, downloads, follows the pickers and passes axe."""

import pytest

from tests.browser.conftest import describe
from tests.comparison_data import load_demo_subset

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/compare/all-crime/?end=2016-09&months=12&group=kent&highlight=E07000116"


@pytest.fixture
def demo_figures():
    # Real published numbers: Tunbridge Wells 5,285 crimes from October 2015 to September 2016.
    load_demo_subset("2012-04", "2016-12")


def row_names(page, table="#comparison-table"):
    return [t.strip() for t in page.locator(f"{table} tbody th[scope=row]").all_inner_texts()]


def cell(page, name: str, column: int, table="#comparison-table") -> str:
    row = page.locator(f"{table} tbody tr", has=page.locator("th", has_text=name))
    return row.locator("td").nth(column).inner_text().strip()


def test_comparison_page_draws_its_chart_and_passes_axe(live_server, page, axe_audit, demo_figures):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + URL)
    assert page.locator("h1").inner_text() == "All recorded crime"
    page.wait_for_selector(".js-plotly-chart[data-chart-drawn=true] .main-svg")
    assert page.locator("#comparison-chart .main-svg").count() >= 1
    assert page.locator("#comparison-chart .barlayer .point").count() == 12
    assert row_names(page)[0] == "Tunbridge Wells (highlighted)"
    assert cell(page, "Tunbridge Wells", 0) == "5,285"
    violations = axe_audit(page)
    assert violations == [], describe(violations)
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_sorting_a_column_reorders_the_rows(live_server, page, demo_figures):
    page.goto(live_server.url + URL)
    ranked = row_names(page)
    page.locator("#comparison-table thead a", has_text="Number, Oct 2015 to Sep 2016").click()
    page.wait_for_url("**sort=count**")
    by_count = row_names(page)
    assert by_count != ranked and sorted(by_count) == sorted(ranked)
    counts = [int(cell(page, n.replace(" (highlighted)", ""), 0).replace(",", "")) for n in by_count]
    assert counts == sorted(counts)
    assert page.locator("#comparison-table th[aria-sort=ascending]").count() == 1
    page.locator("#comparison-table thead a", has_text="Number, Oct 2015 to Sep 2016").click()
    page.wait_for_url("**sort=-count**")
    assert row_names(page) == list(reversed(by_count))


def test_csv_export_downloads(live_server, page, demo_figures):
    page.goto(live_server.url + URL)
    with page.expect_download() as download:
        page.locator(".app-export-links a", has_text="CSV").click()
    assert download.value.suggested_filename == "all-crime-kent-2016-09-12m.csv"
    content = open(download.value.path(), encoding="utf-8-sig").read()
    assert content.splitlines()[0].startswith("District,")
    assert "Tunbridge Wells,5285,5040,245,4.9,up" in content


def test_pickers_change_the_data_and_keep_a_bookmarkable_url(live_server, page, demo_figures):
    page.goto(live_server.url + URL)
    page.select_option("#picker-end", "2015-09")
    page.select_option("#picker-group", "kent-and-medway")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url("**/compare/all-crime/?**end=2015-09**")
    assert "group=kent-and-medway" in page.url
    assert cell(page, "Tunbridge Wells", 0) == "5,040"  # last year's figure is now this year's
    assert len(row_names(page)) == 13
    page.select_option("#picker-category", "asb-incidents")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url("**/compare/asb-incidents/?**")
    assert page.locator("h1").inner_text() == "Anti-social behaviour incidents"


def test_a_bad_parameter_shows_the_govuk_error_summary_and_passes_axe(live_server, page, axe_audit, demo_figures):
    response = page.goto(live_server.url + "/compare/all-crime/?end=2016-13")
    assert response.status == 400
    summary = page.locator(".govuk-error-summary")
    assert "end must be a month written as YYYY-MM" in summary.inner_text()
    violations = axe_audit(page)
    assert violations == [], describe(violations)
