"""The district profile and the district index in Chromium."""

import pytest

from tests.browser.conftest import describe
from tests.comparison_data import load_demo_subset

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/districts/E07000116/?end=2016-09&months=12&group=kent"


@pytest.fixture
def demo_figures():
    load_demo_subset("2012-04", "2016-12")


def names(page, selector):
    return [t.strip() for t in page.locator(f"{selector} tbody th[scope=row]").all_inner_texts()]


def test_profile_draws_both_charts_and_passes_axe(live_server, page, axe_audit, demo_figures):
    page.goto(live_server.url + URL)
    assert page.locator("h1").inner_text() == "Tunbridge Wells"
    page.wait_for_selector("#kent-chart[data-chart-drawn=true] .main-svg")
    page.wait_for_selector("#trend-chart[data-chart-drawn=true] .main-svg")
    assert page.locator("#trend-chart .scatterlayer .trace").count() == 2
    first_box = page.locator(".app-headline").first.inner_text()
    assert "5,285 crimes" in first_box and "An increase of 245 crimes (4.9%)" in first_box
    assert "Best out of 12 Kent areas" in first_box
    violations = axe_audit(page)
    assert violations == [], describe(violations)


def test_sorting_the_crime_type_table(live_server, page, demo_figures):
    page.goto(live_server.url + URL)
    before = names(page, "section[aria-labelledby=crime-types]")
    assert before[0] == "All recorded crime"
    page.locator("section[aria-labelledby=crime-types] thead a[href*='types-sort=count']").click()
    page.wait_for_url("**types-sort=count**")
    after = names(page, "section[aria-labelledby=crime-types]")
    assert after != before and sorted(after) == sorted(before)
    assert after[-1] == "All recorded crime"  # the largest count last when ascending


def test_profile_exports_the_crime_type_table(live_server, page, demo_figures):
    page.goto(live_server.url + URL)
    link = page.locator("section[aria-labelledby=crime-types] .app-export-links a", has_text="CSV")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "tunbridge-wells-crime-types-kent-2016-09-12m.csv"
    content = open(download.value.path(), encoding="utf-8-sig").read()
    assert "All recorded crime,5285,5040,245,4.9,up,1,1" in content


def test_profile_pickers_change_the_period_and_district(live_server, page, demo_figures):
    page.goto(live_server.url + URL)
    page.select_option("#picker-end", "2015-09")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url("**end=2015-09**")
    assert "5,040 crimes" in page.locator(".app-headline").first.inner_text()
    page.select_option("#picker-district", "E07000110")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url("**/districts/E07000110/**")
    assert page.locator("h1").inner_text() == "Maidstone"
    assert "end=2015-09" in page.url


def test_district_index_sorts_downloads_and_passes_axe(live_server, page, axe_audit, demo_figures):
    page.goto(live_server.url + "/districts/?end=2016-09")
    before = names(page, "#districts-table")
    page.locator("#districts-table thead a", has_text="District").click()
    page.wait_for_url("**sort=name**")
    after = names(page, "#districts-table")
    assert after == sorted(before) and after != before
    with page.expect_download() as download:
        page.locator(".app-export-links a", has_text="CSV").click()
    assert download.value.suggested_filename.startswith("districts-kent-2016-09")
    violations = axe_audit(page)
    assert violations == [], describe(violations)
