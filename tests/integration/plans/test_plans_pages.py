"""The plan pages through the Django client: content, evidence, visibility and query counts."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from assessments.models import StrategicAssessment
from assessments.plans import selectors
from crimedata.models import District, Figure, Population
from tests.conftest import ASHFORD, MAIDSTONE, TUNBRIDGE_WELLS, add_figure

pytestmark = pytest.mark.django_db

# Query budgets: a page's count must not grow with its priorities, actions, grants or updates.
DETAIL_QUERIES = 32
SCRUTINY_QUERIES = 32
OVERVIEW_QUERIES = 12
HISTORY_QUERIES = 18


def _populations():
    for district in District.objects.all():
        for year in (2014, 2015, 2016):
            Population.objects.create(district=district, year=year, population=100_000, source="test")


def _violent_crime(status=Figure.STATUS_FINAL):
    """12-month violent crime for every Kent district: Maidstone 3,743 against 2,964 (the published figures)."""
    for n, district in enumerate(District.objects.filter(in_kcc_area=True).order_by("name")):
        now, before = (3743, 2964) if district.code == MAIDSTONE else (1000 + 100 * n, 1000)
        add_figure(district.code, "violent-crime", "2015-11", "2016-10", value=now,
                   status=status if district.code == MAIDSTONE else Figure.STATUS_FINAL)
        add_figure(district.code, "violent-crime", "2014-11", "2015-10", value=before)
        add_figure(district.code, "violent-crime", "2013-11", "2014-10", value=900)


def test_assessment_page_shows_priorities_evidence_actions_targets_funding(client, make_plan):
    _populations()
    _violent_crime()
    make_plan(MAIDSTONE, 2017, priorities=2, actions=3)
    response = client.get(f"/assessments/{MAIDSTONE}/2017-18/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Maidstone 2017/18" in html and "Priority 1: Priority 1" in html
    # Evidence drawn live from the comparison service: level, change and county position.
    assert "3,743" in html and "2,964" in html and "+779" in html and "(+26.3%)" in html
    assert "37.4 per 1,000" in html  # 3,743 per 100,000 residents
    assert "12th of 12 (1st = lowest rate, the best)" in html
    trend = re.sub(r"<[^>]+>", "", re.search(r"app-trend-values\">(.*?)<\/span>\s*</td>", html, re.S).group(1))
    assert re.sub(r"\s+", " ", trend).strip() == (  # the three-year trend, with each window named for screen readers
        "Rate per 1,000 residents: November 2013 to October 2014: 9.0 → November 2014 to October 2015: 29.6 → "
        "November 2015 to October 2016: 37.4")
    # Actions with RAG as text, targets judged, funding summarised.
    assert "Green – on track" in html and "Amber – some concerns" in html and "Red – off track" in html
    assert "Achieved" in html
    assert 'data-budget="approved">£200.00<' in html and 'data-budget="remaining">£19,800.00<' in html
    assert "No MoRiLE assessment has been recorded" in html


def test_public_sees_final_figures_only_and_staff_see_provisional(client, make_plan, officer, scrutiny):
    _populations()
    _violent_crime(status=Figure.STATUS_PROVISIONAL)
    make_plan(MAIDSTONE, 2017, priorities=1)
    public = client.get(f"/assessments/{MAIDSTONE}/2017-18/").content.decode()
    assert "3,743" not in public and "no data" in public
    assert "Published (final) figures only." in public
    client.force_login(scrutiny)
    assert "3,743" not in client.get(f"/assessments/{MAIDSTONE}/2017-18/scrutiny/").content.decode()
    client.force_login(officer)
    staff = client.get(f"/assessments/{MAIDSTONE}/2017-18/").content.decode()
    assert "3,743" in staff and "(provisional)" in staff


def test_draft_assessments_are_for_signed_in_roles_only(client, make_plan, partner, scrutiny):
    make_plan(MAIDSTONE, 2017, status="draft")
    assert client.get(f"/assessments/{MAIDSTONE}/2017-18/").status_code == 404
    assert client.get(f"/assessments/{MAIDSTONE}/2017-18/scrutiny/").status_code == 404
    assert f"/assessments/{MAIDSTONE}/2017-18/" not in client.get("/priorities/?year=2017-18").content.decode()
    for user in (partner, scrutiny):
        client.force_login(user)
        html = client.get(f"/assessments/{MAIDSTONE}/2017-18/").content.decode()
        assert "Draft</strong> not yet signed off" in html


def test_unknown_district_year_or_malformed_year_is_not_found(client, make_plan):
    make_plan(MAIDSTONE, 2017)
    assert client.get(f"/assessments/{MAIDSTONE}/2018-19/").status_code == 404
    assert client.get(f"/assessments/{MAIDSTONE}/2017-19/").status_code == 404
    assert client.get("/assessments/E09999999/2017-18/").status_code == 404


def test_overview_matrix_links_districts_and_names_priorities_in_text(client, demo_plans, analyst):
    client.force_login(analyst)
    response = client.get("/priorities/?year=2017-18")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/assessments/{MAIDSTONE}/2017-18/"' in html and f'href="/assessments/{ASHFORD}/2017-18/"' in html
    assert "Priority 5: Mental health" in html and "Cross-cutting theme" in html
    assert "Within priority 5: Safeguarding, including child sexual exploitation" in html
    assert "(draft)" in html  # Ashford's 2017/18 priorities are recommended, not yet signed off
    assert "No 2017/18 assessment is recorded for" in html and "Canterbury" in html
    assert 'class="govuk-visually-hidden">Not a priority<' in html
    # The footer counts districts, not guesses: domestic abuse is a named priority in both.
    counts = re.search(r"Districts with it as a named priority</th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r">(\d+)<", counts)[0] == "2"


def test_overview_defaults_to_the_latest_year_and_rejects_a_bad_year(client, demo_plans):
    html = client.get("/priorities/").content.decode()
    assert "Kent priorities 2021/22" in html
    bad = client.get("/priorities/?year=2017-19")
    assert bad.status_code == 400
    assert "A plan year runs April to March, so 2017 is followed by 18: write 2017-18." in bad.content.decode()
    assert 'href="#year"' in bad.content.decode()


def test_scrutiny_summary_has_one_printable_section_per_priority(client, demo_plans):
    html = client.get(f"/assessments/{ASHFORD}/2016-17/scrutiny/").content.decode()
    sections = re.findall(r'<section class="app-print-section[^"]*"', html)
    assert len(sections) == 1 + 5  # the overall position, then one per priority
    assert "Priority 2: Domestic abuse" in html and "Ashford Domestic Abuse Forum" in html
    assert "Domestic Abuse and the Workplace" in html and "£1,982.00 awarded" in html
    assert "No update yet" in html  # RAG as words


def test_history_page_lists_who_changed_what(client, demo_plans, analyst):
    client.force_login(analyst)
    html = client.get(f"/assessments/{TUNBRIDGE_WELLS}/2016-17/history/").content.decode()
    assert "Demo content from the published documents" in html
    assert "Grant application" in html and "Mo ri le score".replace(" ", "").lower() in html.lower().replace(" ", "")
    client.logout()
    # Signed-out readers are sent to sign in; the history is never shown to them.
    response = client.get(f"/assessments/{TUNBRIDGE_WELLS}/2016-17/history/")
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


@pytest.mark.parametrize(
    ("path", "bound"),
    [("/assessments/{code}/2017-18/", DETAIL_QUERIES), ("/assessments/{code}/2017-18/scrutiny/", SCRUTINY_QUERIES)],
)
def test_plan_page_queries_do_not_grow_with_the_plan(client, make_plan, analyst, django_assert_max_num_queries,
                                                     path, bound):
    _populations()
    _violent_crime()
    client.force_login(analyst)
    small = make_plan(MAIDSTONE, 2017, priorities=1, actions=1, grants=1)
    make_plan(MAIDSTONE, 2016, priorities=1, actions=1, grants=1, window=((2014, 11), (2015, 10)))
    with django_assert_max_num_queries(bound):
        assert client.get(path.format(code=MAIDSTONE)).status_code == 200
    big = make_plan(TUNBRIDGE_WELLS, 2017, priorities=8, actions=6, grants=4, targets=3)
    make_plan(TUNBRIDGE_WELLS, 2016, priorities=8, actions=2, grants=2, window=((2014, 11), (2015, 10)))
    assert big.priorities.count() > 4 * small.priorities.count()
    with django_assert_max_num_queries(bound):
        assert client.get(path.format(code=TUNBRIDGE_WELLS)).status_code == 200


def test_overview_and_history_queries_do_not_grow(client, make_plan, analyst, django_assert_max_num_queries):
    client.force_login(analyst)
    make_plan(MAIDSTONE, 2017, priorities=2)
    with django_assert_max_num_queries(OVERVIEW_QUERIES):
        assert client.get("/priorities/?year=2017-18").status_code == 200
    with django_assert_max_num_queries(HISTORY_QUERIES):
        assert client.get(f"/assessments/{MAIDSTONE}/2017-18/history/").status_code == 200
    for code in (TUNBRIDGE_WELLS, ASHFORD, "E07000115", "E07000111"):
        make_plan(code, 2017, priorities=7, actions=4, grants=3)
    with django_assert_max_num_queries(OVERVIEW_QUERIES):
        assert client.get("/priorities/?year=2017-18").status_code == 200
    with django_assert_max_num_queries(HISTORY_QUERIES):
        assert client.get(f"/assessments/{TUNBRIDGE_WELLS}/2017-18/history/").status_code == 200


def test_reference_lists_are_readable_and_bounded(client, demo_plans, django_assert_max_num_queries):
    for kind, text in [("themes", "Child sexual exploitation"), ("agencies", "Look Ahead"),
                       ("multipliers", "× 0.75")]:
        with django_assert_max_num_queries(3):
            response = client.get(f"/plans/{kind}/")
        assert response.status_code == 200 and text in response.content.decode()
    assert client.get("/plans/everything/").status_code == 404


def test_selector_page_evidence_uses_one_comparison_context(make_plan, monkeypatch):
    """However many priorities link categories, the page builds one comparison context."""
    import assessments.plans.selectors as module

    calls = []
    real = module.comparison_context
    monkeypatch.setattr(module, "comparison_context", lambda *a, **k: calls.append(1) or real(*a, **k))
    assessment = make_plan(MAIDSTONE, 2017, priorities=6)
    page = selectors.plan_page(StrategicAssessment.objects.select_related("district").get(pk=assessment.pk),
                               AnonymousUser())
    assert len(calls) == 1
    assert all(len(view.headlines) == 2 for view in page.priorities)
