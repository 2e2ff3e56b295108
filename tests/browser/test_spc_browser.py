"""SPC pages in real Chromium: the chart draws under the CSP, step changes and summaries work, axe passes."""

from __future__ import annotations

import pytest

from crimedata.models import Figure
from tests.browser.conftest import describe
from tests.conftest import MAIDSTONE, make_user
from tests.integration.test_spc_pages import CRIME_24_MONTHS, store_series

pytestmark = pytest.mark.django_db(transaction=True)

CHART = f"/spc/{MAIDSTONE}/robbery/"


@pytest.fixture
def series():
    statuses = [Figure.STATUS_FINAL] * 23 + [Figure.STATUS_PROVISIONAL]
    store_series(MAIDSTONE, "robbery", "2015-01", CRIME_24_MONTHS, status=statuses)


@pytest.fixture
def maidstone_officer():
    from crimedata import roles

    return make_user("browser.officer", roles.OFFICER, [MAIDSTONE])


def watch_console(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def wait_for_chart(page) -> None:
    page.wait_for_selector("#spc-chart[data-chart-drawn='true']", timeout=15_000)


def test_the_public_chart_draws_with_its_variation_in_words_and_passes_axe(live_server, page, axe_audit, series):
    errors = watch_console(page)
    page.goto(live_server.url + CHART + "?fix_after=12")
    wait_for_chart(page)
    # plotly drew an SVG with the points, the limits and the special-cause markers.
    assert page.locator("#spc-chart svg.main-svg").count() >= 1
    assert page.locator("#spc-chart .scatterlayer .trace").count() >= 5
    legend = page.locator("#spc-chart .legend").text_content()
    assert "Special cause: improvement" in legend and "Special cause: concern" in legend
    # The latest point's variation is in words, not colour alone; the public sees final figures only.
    assert "Common cause" in page.locator("#latest-variation").inner_text()
    assert page.locator("h2", has_text="Latest month: November 2016").count() == 1
    table = page.locator("table.app-spc-table")
    assert table.locator("tbody tr").count() == 23
    assert "Special cause: concern (higher)" in table.locator("tbody tr").nth(20).inner_text()
    violations = axe_audit(page)
    assert violations == [], describe(violations)
    assert not errors, errors


def test_an_officer_applies_a_step_change_with_a_reason(live_server, page, signed_in, axe_audit, series,
                                                        maidstone_officer):
    signed_in(maidstone_officer)
    errors = watch_console(page)
    page.goto(live_server.url + CHART)
    wait_for_chart(page)
    assert page.locator("#suggested-step-change").count() == 1
    violations = axe_audit(page)
    assert violations == [], describe(violations)

    # Without a reason: the GOV.UK error summary, and nothing is saved.
    page.click("text=Apply step change")
    assert "Give the reason for the step change" in page.locator(".govuk-error-summary").inner_text()
    violations = axe_audit(page)
    assert violations == [], describe(violations)

    page.select_option("#id_month", "2016-01")
    page.fill("#id_reason", "New crime recording standards from January 2016")
    page.click("text=Apply step change")
    wait_for_chart(page)
    assert "Step change saved" in page.locator(".govuk-notification-banner").inner_text()
    assert "New crime recording standards from January 2016" in page.locator("#step-changes + table").inner_text()
    assert page.locator("#spc-chart .annotation-text", has_text="Step change: January 2016").count() == 1
    row = page.locator("table.app-spc-table tbody tr").nth(12).inner_text()
    assert "step change: new limits from here" in row
    assert "(provisional)" in page.locator("table.app-spc-table tbody tr").last.inner_text()
    # The only console message is the browser noting the deliberate 400 of the form without a reason.
    assert [e for e in errors if "status of 400" not in e] == [], errors


def test_an_officer_edits_the_summary(live_server, page, signed_in, axe_audit, series, maidstone_officer):
    signed_in(maidstone_officer)
    page.goto(live_server.url + CHART)
    page.click("text=Edit the summary")
    assert page.locator("h1").inner_text() == "Edit the summary"
    violations = axe_audit(page)
    assert violations == [], describe(violations)
    page.fill("#id_text", "Robbery in Maidstone is within its usual range.")
    page.click("text=Save summary")
    wait_for_chart(page)
    assert page.locator("#commentary-text").inner_text() == "Robbery in Maidstone is within its usual range."
    assert "Written by" in page.locator(".app-commentary__source").inner_text()


def test_the_index_and_a_district_summary_pass_axe(live_server, page, axe_audit, series):
    page.goto(live_server.url + "/spc/")
    violations = axe_audit(page)
    assert violations == [], describe(violations)
    page.select_option("#id_district", MAIDSTONE)
    page.click("button:has-text('Show')")
    assert page.locator("h1").inner_text() == "SPC charts for Maidstone"
    assert "Common cause" in page.locator("table.app-spc-summary").inner_text()
    violations = axe_audit(page)
    assert violations == [], describe(violations)
    page.click("table.app-spc-summary a:has-text('Robbery')")
    wait_for_chart(page)
    assert page.locator("h1").inner_text() == "Robbery in Maidstone"


def test_an_options_error_passes_axe(live_server, page, axe_audit, series):
    page.goto(live_server.url + CHART + "?fix_after=one")
    assert "Enter the number of points as a whole number" in page.locator(".govuk-error-summary").inner_text()
    violations = axe_audit(page)
    assert violations == [], describe(violations)
