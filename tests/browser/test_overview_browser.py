"""The Kent overview and the API documentation page in Chromium."""

import json

import pytest

from tests.browser.conftest import describe
from tests.comparison_data import load_demo_subset

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/overview/?end=2016-09&months=12&group=kent"


@pytest.fixture
def demo_figures():
    load_demo_subset("2014-10", "2016-12")


def names(page):
    return [t.strip() for t in page.locator("#overview-table tbody th[scope=row]").all_inner_texts()]


def test_overview_loads_sorts_and_passes_axe(live_server, page, axe_audit, demo_figures):
    page.goto(live_server.url + URL)
    assert page.locator("h1").inner_text() == "Kent overview"
    assert len(names(page)) == 12
    page.locator("#overview-table thead a", has_text="All recorded crime").click()
    page.wait_for_url("**sort=all-crime**")
    assert names(page)[0] == "Tunbridge Wells"  # the lowest rate in Kent
    page.locator("#overview-table thead a", has_text="All recorded crime").click()
    page.wait_for_url("**sort=-all-crime**")
    assert names(page)[-1] == "Tunbridge Wells"
    violations = axe_audit(page)
    assert violations == [], describe(violations)


def test_overview_count_view_and_csv(live_server, page, demo_figures):
    page.goto(live_server.url + URL)
    first_cell = page.locator("#overview-table tbody tr").first.locator("td").first
    assert "recorded" in first_cell.locator("span").first.get_attribute("title")
    page.select_option("#picker-view", "count")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url("**view=count**")
    row = page.locator("#overview-table tbody tr", has=page.locator("th", has_text="Tunbridge Wells"))
    assert row.locator("td").first.inner_text().strip() == "5,285"
    with page.expect_download() as download:
        page.locator(".app-export-links a", has_text="CSV").click()
    assert download.value.suggested_filename == "overview-count-kent-2016-09-12m.csv"


def test_api_docs_page_passes_axe_and_its_examples_work(live_server, page, axe_audit, demo_figures):
    page.goto(live_server.url + "/api/")
    assert page.locator("h1").inner_text() == "Open data API"
    violations = axe_audit(page)
    assert violations == [], describe(violations)
    href = page.locator("a", has_text="All recorded crime in the 12 Kent districts").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200
    data = json.loads(response.text())
    assert data["category"]["slug"] == "all-crime" and len(data["rows"]) == 12
