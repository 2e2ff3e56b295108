"""Plan pages in Chromium: every page passes axe (WCAG 2.2 AA) and the editing flows work."""

from __future__ import annotations

import re

import pytest

from crimedata import roles
from crimedata.models import District, Population
from tests.browser.conftest import describe
from tests.conftest import ASHFORD, MAIDSTONE, TUNBRIDGE_WELLS, add_figure, make_user

pytestmark = pytest.mark.django_db(transaction=True)

M = f"/assessments/{MAIDSTONE}/2017-18/"


@pytest.fixture
def plans(live_server):
    """Demo plans plus violent crime figures, so evidence tables and sparklines draw."""
    from demo.content import load_demo_content

    load_demo_content()
    for district in District.objects.all():
        for year in (2014, 2015, 2016):
            Population.objects.create(district=district, year=year, population=100_000 + district.pk, source="test")
    for n, district in enumerate(District.objects.filter(in_kcc_area=True).order_by("name")):
        for start, end, value in (("2013-11", "2014-10", 900 + n), ("2014-11", "2015-10", 1000 + n),
                                  ("2015-11", "2016-10", 1100 + 10 * n)):
            add_figure(district.code, "violent-crime", start, end, value=value)
    return live_server


@pytest.fixture
def maidstone_officer(plans):
    return make_user("officer.maidstone", roles.OFFICER, [MAIDSTONE])


def _objects():
    from assessments.models import (
        Action,
        FundedOutcome,
        GrantApplication,
        MorileMultiplier,
        OutcomeUpdate,
        Priority,
        Target,
        Theme,
    )

    priority = Priority.objects.filter(assessment__district__code=MAIDSTONE, assessment__plan_year=2017).first()
    return {
        "priority": priority,
        "theme": Theme.objects.first(),
        "multiplier": MorileMultiplier.objects.first(),
        "ashford_grant": GrantApplication.objects.filter(assessment__district__code=ASHFORD).first(),
        "action": Action.objects.filter(priority__assessment__district__code=ASHFORD).first(),
        "outcome": FundedOutcome.objects.filter(grant__assessment__district__code=TUNBRIDGE_WELLS).first(),
        "report": OutcomeUpdate.objects.filter(outcome__grant__assessment__district__code=TUNBRIDGE_WELLS).first(),
        "target": Target.objects.filter(assessment__district__code="E07000115").first(),
    }


PUBLIC_PAGES = [
    "/priorities/",
    "/priorities/?year=2016-17",
    "/priorities/?year=2016-19",  # the error state
    f"/assessments/{TUNBRIDGE_WELLS}/2016-17/",
    f"/assessments/{TUNBRIDGE_WELLS}/2016-17/scrutiny/",
    f"/assessments/{ASHFORD}/2016-17/",
    f"/assessments/{ASHFORD}/2016-17/scrutiny/",
    "/plans/themes/",
    "/plans/agencies/",
    "/plans/multipliers/",
]


def _audit(page, axe_audit, url):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto(url)
    assert response.status in (200, 400), (url, response.status)
    assert page.locator("h1").count() == 1, url
    violations = axe_audit(page)
    assert violations == [], f"{url}\n{describe(violations)}"
    assert not [e for e in errors if "Content Security Policy" in e], errors


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_plan_pages_pass_axe(plans, page, axe_audit, path):
    _audit(page, axe_audit, plans.url + path)


def test_officer_pages_pass_axe(plans, page, axe_audit, signed_in, maidstone_officer):
    signed_in(maidstone_officer)
    o = _objects()
    p = o["priority"]
    urls = [
        M, M + "scrutiny/", M + "history/", M + "edit/", M + "edit/funding/", M + "edit/morile/",
        M + "edit/priorities/add/", M + f"edit/priorities/{p.pk}/", M + f"edit/priorities/{p.pk}/remove/",
        M + f"edit/priorities/{p.pk}/actions/add/", M + "edit/targets/add/", M + "edit/grants/add/",
        "/assessments/new/",
    ]
    for url in urls:
        _audit(page, axe_audit, plans.url + url)
    # Forms in their error state (GOV.UK error summary, error messages, red borders).
    page.goto(plans.url + M + "edit/priorities/add/")
    page.fill("#id_title", "")
    page.click("main button[type=submit]")
    assert page.locator(".govuk-error-summary").is_visible()
    violations = axe_audit(page)
    assert violations == [], describe(violations)
    page.goto(plans.url + M + "edit/grants/add/")
    page.fill("#id_amount_requested", "lots")
    page.click("main button[type=submit]")
    assert "Enter an amount in pounds, like 1982.50" in page.locator(".govuk-error-summary").inner_text()
    violations = axe_audit(page)
    assert violations == [], describe(violations)


def test_analyst_pages_pass_axe(plans, page, axe_audit, signed_in):
    analyst = make_user("county.analyst", roles.ANALYST)
    signed_in(analyst)
    o = _objects()
    base = f"/assessments/{ASHFORD}/2016-17/"
    tw = f"/assessments/{TUNBRIDGE_WELLS}/2016-17/"
    urls = [
        "/plans/themes/", "/plans/themes/add/", f"/plans/themes/{o['theme'].pk}/",
        f"/plans/multipliers/{o['multiplier'].pk}/remove/", "/plans/agencies/add/",
        base, base + f"edit/grants/{o['ashford_grant'].pk}/", base + f"edit/actions/{o['action'].pk}/updates/add/",
        base + f"edit/grants/{o['ashford_grant'].pk}/outcomes/add/", base + f"edit/grants/{o['ashford_grant'].pk}/remove/",
        tw + f"edit/outcomes/{o['outcome'].pk}/", tw + f"edit/outcomes/{o['outcome'].pk}/reports/add/",
        tw + f"edit/reports/{o['report'].pk}/", "/assessments/E07000115/2013-14/",
        f"/assessments/E07000115/2013-14/edit/targets/{o['target'].pk}/",
        f"/assessments/{ASHFORD}/2017-18/",  # a draft: analysts see it
        f"/assessments/{ASHFORD}/2017-18/scrutiny/",
    ]
    for url in urls:
        _audit(page, axe_audit, plans.url + url)


def test_evidence_sparklines_draw_and_values_are_in_text(plans, page):
    page.goto(plans.url + M)
    violent = page.locator("table.app-evidence tr", has_text="Violent crime").first
    assert violent.locator("svg.app-sparkline polyline").count() == 1
    assert violent.locator("svg.app-sparkline circle").count() == 3
    text = violent.locator(".app-trend-values").inner_text()
    assert text.startswith("Rate per 1,000 residents:")
    assert len(re.findall(r"\d+\.\d(?: →|$)", text.strip())) == 3, text
    # Tunbridge Wells analysed October to September, for which these test figures do not exist: no data, no line.
    page.goto(plans.url + f"/assessments/{TUNBRIDGE_WELLS}/2016-17/")
    violent = page.locator("table.app-evidence tr", has_text="Violent crime").first
    assert violent.locator("svg").count() == 0
    assert violent.locator(".app-trend-values").inner_text().count("no data") == 3


def test_officer_adds_a_priority_an_action_and_a_quarterly_rag_update(plans, page, signed_in, maidstone_officer):
    signed_in(maidstone_officer)
    page.goto(plans.url + M)
    page.get_by_role("link", name="Add a priority or cross-cutting theme").click()
    page.fill("#id_title", "Night-time economy violence")
    page.select_option("#id_theme", label="Night-time economy")
    page.get_by_label("Violent crime", exact=True).first.check()
    page.get_by_label("Violence against the person").check()
    page.fill("#id_rationale", "High Street ward has the most violent crime in the borough.")
    page.fill("#id_change_note", "Added after the March meeting")
    page.click("main button[type=submit]")
    assert "Priority added." in page.locator(".govuk-notification-banner").inner_text()
    section = page.locator("section.app-plan-priority", has_text="Night-time economy violence")
    # Worked out, not typed: Maidstone's 2016/17 violent crime priority covered the night-time economy.
    assert section.locator(".govuk-summary-list").first.inner_text().startswith("Status against last year\tRetained")

    section.get_by_role("link", name=re.compile("^Add an action")).click()
    page.fill("#id_description", "Run Operation Amazon on Friday and Saturday nights")
    page.get_by_label("Kent Police", exact=True).check()
    page.fill("#id_measure", "Operations run")
    page.click("main button[type=submit]")
    assert "Action added." in page.locator(".govuk-notification-banner").inner_text()

    section = page.locator("section.app-plan-priority", has_text="Night-time economy violence")
    assert "No update yet" in section.inner_text()
    section.get_by_role("link", name=re.compile("^Add a quarterly update")).click()
    page.select_option("#id_quarter", "1")
    page.fill("#id_reported_on", "2017-07-03")
    page.get_by_label("Green – on track").check()
    page.fill("#id_text", "Four operations run in June.")
    page.click("main button[type=submit]")
    section = page.locator("section.app-plan-priority", has_text="Night-time economy violence")
    rag = section.locator(".app-rag--green")
    assert rag.inner_text() == "Green – on track"
    assert "Four operations run in June." in section.inner_text()
    # The change history names who did it and the note they left.
    page.goto(plans.url + M + "history/")
    history = page.locator("table").inner_text()
    assert "officer.maidstone" in history and "Added after the March meeting" in history


def test_morile_unknown_csp_score_shows_a_clear_error(plans, page, signed_in, maidstone_officer):
    signed_in(maidstone_officer)
    page.goto(plans.url + M + "edit/morile/")
    page.select_option("#id_morile-0-theme", label="Mental health")
    page.fill("#id_morile-0-total_harm", "4")
    page.fill("#id_morile-0-risk", "225")
    page.fill("#id_morile-0-csp_score", "5")
    page.click("main button[type=submit]")
    summary = page.locator(".govuk-error-summary")
    assert "Row 1: No multiplier is set for a CSP score of 5." in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_morile-0-csp_score"
    page.fill("#id_morile-0-csp_score", "8")
    page.click("main button[type=submit]")
    table = page.locator("table.app-morile")
    assert "1,800" in table.inner_text()


def test_another_districts_officer_is_refused(plans, page, signed_in):
    tw_officer = make_user("officer.tw", roles.OFFICER, [TUNBRIDGE_WELLS])
    signed_in(tw_officer)
    page.goto(plans.url + M)
    assert page.get_by_role("link", name="Add a priority or cross-cutting theme").count() == 0
    response = page.goto(plans.url + M + "edit/priorities/add/")
    assert response.status == 403
