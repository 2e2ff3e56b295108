"""The demo content reproduces the published documents: Ashford's budget, Tunbridge Wells'
MoRiLE table, Maidstone's changes of priority and Tonbridge and Malling's targets."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from assessments.models import (
    Action,
    GrantApplication,
    MorileScore,
    Priority,
    StrategicAssessment,
    Target,
)
from assessments.plans import selectors
from tests.conftest import ASHFORD, MAIDSTONE, TUNBRIDGE_WELLS

pytestmark = pytest.mark.django_db
D = Decimal


def _page(code, year, user=None):
    from django.contrib.auth.models import AnonymousUser

    assessment = StrategicAssessment.objects.select_related("district").get(district__code=code, plan_year=year)
    return selectors.plan_page(assessment, user or AnonymousUser(), with_evidence=False)


def test_ashford_2016_17_budget_summary(demo_plans):
    budget = _page(ASHFORD, 2016).budget
    assert budget.project_budget == D("20000.00")
    assert budget.approved == D("13379.16")
    assert budget.awaiting == D("6496.00")
    assert budget.allocated_or_proposed == D("19875.16")
    assert budget.remaining == D("124.84")
    assert budget.rejected == D("0.00")


def test_ashford_budget_is_shown_on_the_page(client, demo_plans):
    html = client.get(f"/assessments/{ASHFORD}/2016-17/").content.decode()
    for key, amount in [("approved", "£13,379.16"), ("awaiting", "£6,496.00"), ("allocated", "£19,875.16"),
                        ("remaining", "£124.84")]:
        assert re.search(rf'data-budget="{key}">{re.escape(amount)}<', html), key
    assert "Remaining of the £20,000.00" in html
    assert "Total PCC grant" in html and "£28,858.00" in html
    scrutiny = client.get(f"/assessments/{ASHFORD}/2016-17/scrutiny/").content.decode()
    assert "£13,379.16 approved and £6,496.00 awaiting a decision, leaving £124.84" in scrutiny


# domain.md §7: Tunbridge Wells 2017 MoRiLE rows (theme, total harm, risk, CSP score, overall), in rank order.
DOMAIN_ROWS = [
    ("Mental health", 4, 225, 8, "1,800"),
    ("Road safety", 2, 121, 7, "484"),
    ("Prevent", 12, 224, 0, "134.4"),
    ("Domestic abuse", 4, 124, 1, "74.4"),
    ("Substance misuse", 4, 60, 2, "45"),
    ("Anti-social behaviour", 2, 60, 0, "36"),
    ("Burglary", 1, 17.5, 1, "10.5"),
]


def test_tunbridge_wells_morile_rows_reproduce_domain_scores_and_order(demo_plans):
    rows = _page(TUNBRIDGE_WELLS, 2016).morile
    assert len(rows) == 18
    by_theme = {row.score.theme.name: row for row in rows}
    for theme, harm, risk, csp, overall in DOMAIN_ROWS:
        row = by_theme[theme]
        assert (row.score.total_harm, row.score.risk, row.score.csp_score) == (D(str(harm)), D(str(risk)), csp)
        assert row.overall_text == overall, theme
    order = [row.score.theme.name for row in rows]
    assert [order.index(t[0]) for t in DOMAIN_ROWS] == sorted(order.index(t[0]) for t in DOMAIN_ROWS)
    assert [row.rank_label for row in rows[:8]] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    # Shoplifting and theft both score 9: they share 15th place and 16th is skipped.
    assert [(row.score.theme.name, row.rank_label) for row in rows[14:]] == [
        ("Shoplifting", "15="), ("Theft", "15="), ("Criminal damage", "17"), ("Vehicle crime", "18")]


def test_maidstone_status_is_derived_from_the_two_years(demo_plans):
    page = _page(MAIDSTONE, 2017)
    statuses = {view.priority.title: (view.priority.status_override, view.status) for view in page.priorities}
    assert all(override == "" for override, _ in statuses.values())  # nothing typed: all derived
    assert {title: status for title, (_, status) in statuses.items()} == {
        "Organised crime groups (including modern slavery)": "retained",
        "Gangs and child sexual exploitation (CSE)": "retained",
        "Substance misuse": "retained",
        "Domestic abuse and other violent crime": "retained",
        "Mental health": "new",
        "Prevent": "cross_cutting",
        "Reducing reoffending": "cross_cutting",
        "Anti-social behaviour": "cross_cutting",
    }
    assert [p.title for p in page.dropped] == ["Road safety (killed and seriously injured)"]
    assert page.previous.plan_year == 2016


def test_tunbridge_wells_2021_22_has_four_retained_priorities_with_their_action_plans(demo_plans):
    page = _page(TUNBRIDGE_WELLS, 2021)
    assert [v.priority.title.split(" (")[0] for v in page.named] == [
        "Domestic abuse", "Substance misuse and supply, and alcohol abuse", "Anti-social and high-risk behaviour",
        "Road safety"]
    assert [len(v.actions) for v in page.named] == [14, 13, 17, 13]
    # No 2020/21 assessment is recorded, so "retained" is the officers' override, with its reason.
    for view in page.named:
        assert view.derived_status is None and view.status == "retained" and view.overridden
    first = page.named[0].actions[0]
    assert first.agencies == ["Domestic Abuse Volunteer Support Service (DAVSS)"]
    assert first.rag is None and first.rag_label == "No update yet"


def test_tunbridge_wells_2016_17_funded_outcomes(demo_plans):
    page = _page(TUNBRIDGE_WELLS, 2016)
    grants = {g.grant.agency.name: g for g in page.grants}
    assert grants["Domestic Abuse Volunteer Support Service (DAVSS)"].grant.amount_awarded == D("18000")
    assert grants["Street Pastors Tunbridge Wells"].grant.amount_awarded == D("4000")
    assert grants["Kenward Trust"].grant.amount_awarded == D("5500")
    assert grants["West Kent Refuge"].unspent == D("1500")
    police = [g for g in page.grants if g.grant.agency.name == "Kent Police"]
    assert sorted(g.grant.amount_awarded for g in police) == [D("3284"), D("4000")]
    assert sum(g.grant.amount_awarded for g in page.grants) == D("47484")
    # No PCC budget is stated in the document: remaining is unknown, not zero.
    assert page.budget.project_budget is None and page.budget.remaining is None


def test_tonbridge_and_malling_targets_are_not_yet_known(demo_plans):
    targets = Target.objects.filter(assessment__district__code="E07000115")
    assert targets.count() == 16
    mediation = targets.get(measure__startswith="Referrals to Mediation")
    assert (mediation.baseline, mediation.target, mediation.actual) == (D("33"), D("40"), None)
    assert {t.result for t in targets} == {"not_yet_known"}
    page = _page("E07000115", 2014)
    assert [v.status for v in page.named] == ["retained", "retained", "retained"]
    assert len(page.cross_cutting) == 5


def test_ashford_2017_18_is_a_draft_with_its_derived_statuses(demo_plans):
    assessment = StrategicAssessment.objects.get(district__code=ASHFORD, plan_year=2017)
    assert assessment.status == StrategicAssessment.DRAFT
    page = _page(ASHFORD, 2017)
    assert {v.priority.title.split(",")[0]: v.status for v in page.named} == {
        "Road safety": "retained", "Serious and organised crime": "retained",
        "Domestic abuse and sexual offences": "retained", "Anti-social behaviour": "new",
        "Safeguarding": "retained"}
    assert page.dropped == []


def test_demo_content_names_no_individuals_emails_or_phone_numbers(demo_plans):
    texts = []
    for model, fields in [
        (StrategicAssessment, ["author_role", "introduction", "conclusion"]),
        (Priority, ["title", "rationale"]),
        (Action, ["description", "measure", "outcome", "other_partners"]),
        (GrantApplication, ["project", "summary", "lead_officer_role"]),
    ]:
        for row in model.objects.values(*fields):
            texts.extend(row.values())
    joined = "\n".join(texts)
    assert "@" not in joined
    assert not re.search(r"\b0\d{3,4}\s?\d{6}\b", joined)  # UK phone numbers
    for name in ("Terry Hughes", "Hughes", "James Hann", "Nic Rathbone", "Dave Allen", "Matthew Scott"):
        assert name not in joined


def test_loading_twice_changes_nothing(demo_plans):
    from demo.content import load_demo_content

    before = (StrategicAssessment.objects.count(), MorileScore.objects.count(), GrantApplication.objects.count())
    assert load_demo_content() == ""
    assert (StrategicAssessment.objects.count(), MorileScore.objects.count(),
            GrantApplication.objects.count()) == before


def test_demo_content_keeps_history(demo_plans):
    priority = Priority.objects.get(assessment__district__code=MAIDSTONE, assessment__plan_year=2017,
                                    title="Mental health")
    record = priority.history.latest()
    assert record.history_change_reason == "Demo content from the published documents"
