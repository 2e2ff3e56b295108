"""Issue 6 wired into the pages, in Chromium: significance and error bars, "<5", commentary edits, axe on each."""

from __future__ import annotations

import pytest

from tests.browser.conftest import describe
from tests.comparison_data import load_demo_subset
from tests.conftest import ASHFORD, TUNBRIDGE_WELLS, make_user

pytestmark = pytest.mark.django_db(transaction=True)

COMPARE = "/compare/all-crime/?end=2016-09&months=12&group=kent&highlight=E07000116"
PROFILE = f"/districts/{TUNBRIDGE_WELLS}/?end=2016-09&months=12&group=kent"


@pytest.fixture
def demo_figures():
    load_demo_subset("2012-04", "2016-12")


@pytest.fixture
def small_numbers():
    """Alcohol-specific hospital admissions with Ashford's 12 months to December 2016 at 3."""
    from tests.integration.test_wiring_suppression import KCC, store

    quarterly = {code: [6] * 8 for code in KCC}
    quarterly[ASHFORD] = [1, 0, 1, 0, 0, 1, 1, 1]
    store(quarterly)


def cell(page, table: str, row_name: str, header: str) -> str:
    headers = [h.strip() for h in page.locator(f"{table} thead th").all_inner_texts()]
    at = next(i for i, h in enumerate(headers) if h.startswith(header))
    row = page.locator(f"{table} tbody tr", has=page.locator("th", has_text=row_name))
    return row.locator("th, td").nth(at).inner_text().strip()


def audit(page, axe_audit):
    violations = axe_audit(page)
    assert violations == [], describe(violations)


def test_the_comparison_shows_significance_and_the_chart_draws_error_bars(live_server, page, axe_audit,
                                                                         demo_figures):
    page.goto(live_server.url + COMPARE)
    page.wait_for_selector("#comparison-chart[data-chart-drawn=true] .main-svg")
    # plotly draws one error bar per district, as SVG paths, beside the 12 bars.
    assert page.locator("#comparison-chart .barlayer .point").count() == 12
    assert page.locator("#comparison-chart g.errorbar path.xerror").count() == 12
    assert cell(page, "#comparison-table", "Tunbridge Wells", "Compared with Kent") == "Significantly better than Kent"
    direction = cell(page, "#comparison-table", "Tunbridge Wells", "Direction")
    assert direction.startswith("\u2191 up") and "significant rise" in direction
    assert cell(page, "#comparison-table", "Tunbridge Wells", "95% confidence interval").count(" to ") == 1
    audit(page, axe_audit)
    # The stricter level from the picker, kept in the address.
    page.select_option("#picker-confidence", "99.8")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url("**confidence=99.8**")
    assert page.locator("#comparison-table thead", has_text="99.8% confidence interval").count() == 1
    page.wait_for_selector("#comparison-chart[data-chart-drawn=true] .main-svg")
    audit(page, axe_audit)


def test_a_bad_confidence_shows_the_error_summary_and_passes_axe(live_server, page, axe_audit, demo_figures):
    page.goto(live_server.url + COMPARE + "&confidence=90")
    assert page.locator(".govuk-error-summary").inner_text().count("confidence must be 95 or 99.8") == 1
    audit(page, axe_audit)


def test_small_numbers_show_as_fewer_than_five(live_server, page, axe_audit, small_numbers):
    page.goto(live_server.url + "/compare/alcohol-hospital-admissions/?end=2016-12&months=12")
    page.wait_for_selector("#comparison-chart[data-chart-drawn=true] .main-svg")
    assert cell(page, "#comparison-table", "Ashford", "Number, Jan 2016").startswith("<5")
    assert cell(page, "#comparison-table", "Ashford", "Rate per").startswith("not published")
    assert page.locator(".app-suppression-note").first.is_visible()
    audit(page, axe_audit)
    page.goto(live_server.url + "/overview/?end=2016-12&months=12&view=count&show=all")
    assert page.locator("#overview-table .app-suppressed", has_text="<5").count() >= 1
    audit(page, axe_audit)


def test_analysts_see_the_true_value_marked(live_server, page, axe_audit, signed_in, small_numbers):
    signed_in(make_user("browser.analyst", "County analyst"))
    page.goto(live_server.url + "/compare/alcohol-hospital-admissions/?end=2016-12&months=12")
    assert cell(page, "#comparison-table", "Ashford", "Number, Jan 2016") == "3 suppressed in public"
    audit(page, axe_audit)


def test_an_officer_edits_a_headline_sentence_on_the_profile(live_server, page, axe_audit, signed_in, demo_figures):
    signed_in(make_user("browser.tw", "Community safety officer", [TUNBRIDGE_WELLS]))
    page.goto(live_server.url + PROFILE)
    box = page.locator("#commentary-all-crime")
    assert box.inner_text().startswith("Tunbridge Wells recorded 5,285 crimes in the 12 months to September 2016")
    page.wait_for_selector("#kent-chart[data-chart-drawn=true] .main-svg")
    assert page.locator("#spc-summary-caption").count() == 1
    assert "No police.uk data loaded for this period" in page.locator(".app-profile-neighbourhoods").inner_text()
    audit(page, axe_audit)
    box.get_by_role("link", name="Edit the text about all recorded crime").click()
    page.wait_for_url("**/commentary/districts/E07000116/headline-all-crime/**")
    audit(page, axe_audit)
    # An empty text is refused with the GOV.UK error summary.
    page.fill("#id_text", "")
    page.get_by_role("button", name="Save the text").click()
    assert page.locator(".govuk-error-summary").is_visible()
    audit(page, axe_audit)
    page.fill("#id_text", "Crime rose by 4.9%, a significant rise, but the rate is still the lowest in Kent.")
    page.fill("#id_reason", "For the committee paper")
    page.get_by_role("button", name="Save the text").click()
    page.wait_for_url("**/districts/E07000116/**#commentary-all-crime")
    box = page.locator("#commentary-all-crime")
    assert "Crime rose by 4.9%, a significant rise" in box.inner_text()
    assert "Written by browser.tw on" in box.inner_text()
    audit(page, axe_audit)


def test_the_scrutiny_summary_and_assessment_page_with_commentary_pass_axe(live_server, page, axe_audit,
                                                                         demo_figures):
    from demo.content import load_demo_content

    load_demo_content()
    for url in (f"/assessments/{TUNBRIDGE_WELLS}/2016-17/scrutiny/", f"/assessments/{TUNBRIDGE_WELLS}/2016-17/"):
        page.goto(live_server.url + url)
        assert page.locator(".app-commentary").count() >= 1
        assert "Evidence for the priority" in page.locator(".app-commentary").first.inner_text()
        audit(page, axe_audit)


def test_the_api_page_passes_axe(live_server, page, axe_audit, demo_figures):
    page.goto(live_server.url + "/api/")
    assert page.locator("#suppression").is_visible()
    audit(page, axe_audit)


def test_other_changed_pages_pass_axe(live_server, page, axe_audit, signed_in, demo_figures):
    from demo.content import load_demo_content
    from assessments.models import Priority

    load_demo_content()
    page.goto(live_server.url + "/districts/?end=2016-09")
    assert page.locator("#districts-table thead", has_text="Compared with Kent").count() == 1
    audit(page, axe_audit)
    page.goto(live_server.url + PROFILE + "&trend=alcohol-hospital-admissions")
    page.wait_for_selector("#trend-chart[data-chart-drawn=true] .main-svg")
    audit(page, axe_audit)
    signed_in(make_user("browser.admin", "Administrator"))
    priority = Priority.objects.filter(assessment__district__code=TUNBRIDGE_WELLS, categories__isnull=False).first()
    page.goto(live_server.url + f"/commentary/priorities/{priority.pk}/")
    assert page.locator("#generated-text").inner_text().startswith("Evidence for the priority")
    audit(page, axe_audit)


def test_the_profile_with_police_uk_neighbourhoods_passes_axe(live_server, page, axe_audit):
    import io

    from django.core.management import call_command

    from tests.comparison_data import add_populations
    from tests.conftest import FIXTURES, MAIDSTONE

    call_command("import_lsoa_lookup", str(FIXTURES / "policeuk" / "lsoa-ward-lookup-2021.csv"), stdout=io.StringIO())
    call_command("import_policeuk", str(FIXTURES / "policeuk" / "police-uk-kent-2024-03-to-04.zip"),
                 stdout=io.StringIO())
    add_populations(2022, 2024)
    page.goto(live_server.url + f"/districts/{MAIDSTONE}/?end=2024-04&months=2")
    page.wait_for_selector("#top-neighbourhoods-chart[data-chart-drawn=true] .main-svg")
    assert page.locator("#top-neighbourhoods-table tbody tr").count() >= 3
    audit(page, axe_audit)
