"""The MoRiLE table: scores from the editable multiplier table, unknown CSP scores refused clearly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from assessments.models import MorileMultiplier, MorileScore, StrategicAssessment, Theme
from assessments.plans import selectors
from tests.conftest import MAIDSTONE, TUNBRIDGE_WELLS

pytestmark = pytest.mark.django_db
BASE = f"/assessments/{MAIDSTONE}/2017-18/"


def _formset(rows, initial_forms=0):
    data = {"morile-TOTAL_FORMS": str(len(rows)), "morile-INITIAL_FORMS": str(initial_forms),
            "morile-MIN_NUM_FORMS": "0", "morile-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"morile-{index}-{key}"] = value
    return data


def _theme(slug):
    return Theme.objects.get(slug=slug).pk


@pytest.fixture
def plan(make_plan, client, officer):
    client.force_login(officer)
    return make_plan(MAIDSTONE, 2017, priorities=1)


def test_the_multiplier_table_is_seeded_as_methods_md_says():
    assert {m.csp_score: m.multiplier for m in MorileMultiplier.objects.all()} == {
        0: Decimal("0.6"), 1: Decimal("0.6"), 2: Decimal("0.75"), 7: Decimal("4"), 8: Decimal("8")}


def test_save_a_table_and_it_is_ranked(client, plan):
    response = client.post(BASE + "edit/morile/", _formset([
        {"theme": _theme("mental-health"), "total_harm": "4", "risk": "225", "csp_score": "8"},
        {"theme": _theme("prevent"), "total_harm": "12", "risk": "224", "csp_score": "0"},
        {"theme": _theme("burglary"), "total_harm": "1", "risk": "17.5", "csp_score": "1"},
        {"theme": "", "total_harm": "", "risk": "", "csp_score": ""},  # an empty extra row is ignored
    ]))
    assert response.status_code == 302
    rows = selectors.morile_rows(plan, set())
    assert [(r.score.theme.slug, r.overall_text, r.rank_label) for r in rows] == [
        ("mental-health", "1,800", "1"), ("prevent", "134.4", "2"), ("burglary", "10.5", "3")]
    html = client.get(BASE).content.decode()
    assert "134.4" in html and "× 0.75" not in html.split('id="morile"')[1].split("</table>")[0]


def test_an_unknown_csp_score_is_refused_with_a_clear_message_and_nothing_is_saved(client, plan):
    response = client.post(BASE + "edit/morile/", _formset([
        {"theme": _theme("mental-health"), "total_harm": "4", "risk": "225", "csp_score": "8"},
        {"theme": _theme("road-safety"), "total_harm": "2", "risk": "121", "csp_score": "5"},
    ]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Row 2: No multiplier is set for a CSP score of 5. Ask the Kent Community Safety Team to add it to the " \
           "MoRiLE multiplier table." in html
    assert 'href="#id_morile-1-csp_score"' in html
    assert not MorileScore.objects.exists()


def test_the_same_theme_twice_and_missing_scores_are_refused(client, plan):
    response = client.post(BASE + "edit/morile/", _formset([
        {"theme": _theme("asb"), "total_harm": "2", "risk": "60", "csp_score": "0"},
        {"theme": _theme("asb"), "total_harm": "2", "risk": "", "csp_score": ""},
    ]))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Row 2: Enter the risk score" in html and "Row 2: Enter the CSP score" in html
    response = client.post(BASE + "edit/morile/", _formset([
        {"theme": _theme("asb"), "total_harm": "2", "risk": "60", "csp_score": "0"},
        {"theme": _theme("asb"), "total_harm": "2", "risk": "61", "csp_score": "0"},
    ]))
    assert "Anti-social behaviour is already in row 1: each theme once" in response.content.decode()
    assert not MorileScore.objects.exists()


def test_change_and_remove_rows_with_version_checks(client, plan, analyst):
    client.post(BASE + "edit/morile/", _formset([
        {"theme": _theme("asb"), "total_harm": "2", "risk": "60", "csp_score": "0"},
        {"theme": _theme("gangs"), "total_harm": "8", "risk": "77", "csp_score": "1"}]))
    asb, gangs = MorileScore.objects.order_by("theme__display_order")
    assert [asb.theme.slug, gangs.theme.slug] == ["asb", "gangs"]
    edit = _formset([
        {"pk": asb.pk, "version": asb.version, "theme": asb.theme_id, "total_harm": "2", "risk": "70",
         "csp_score": "0"},
        {"pk": gangs.pk, "version": gangs.version, "theme": gangs.theme_id, "total_harm": "8", "risk": "77",
         "csp_score": "1", "DELETE": "on"}], initial_forms=2)
    assert client.post(BASE + "edit/morile/", edit).status_code == 302
    asb.refresh_from_db()
    assert asb.risk == Decimal("70") and asb.version == 2
    assert not MorileScore.objects.filter(pk=gangs.pk).exists()
    # The same (now stale) form submitted again by someone else changes nothing.
    client.force_login(analyst)
    stale = dict(edit)
    stale["morile-0-risk"] = "99"
    stale["morile-1-DELETE"] = ""
    response = client.post(BASE + "edit/morile/", stale)
    assert response.status_code == 409
    asb.refresh_from_db()
    assert asb.risk == Decimal("70")


def test_an_analyst_adds_a_multiplier_and_the_score_becomes_usable(client, plan, analyst, officer):
    client.force_login(analyst)
    response = client.post("/plans/multipliers/add/", {"csp_score": "5", "multiplier": "2"})
    assert response.status_code == 302
    client.force_login(officer)
    response = client.post(BASE + "edit/morile/", _formset([
        {"theme": _theme("road-safety"), "total_harm": "2", "risk": "121", "csp_score": "5"}]))
    assert response.status_code == 302
    assert selectors.morile_rows(plan, set())[0].overall_text == "242"
    # A multiplier in use cannot be removed; a duplicate score is refused with its own message.
    client.force_login(analyst)
    five = MorileMultiplier.objects.get(csp_score=5)
    response = client.post(f"/plans/multipliers/{five.pk}/remove/", {"version": five.version})
    assert response.status_code == 400 and "is used in MoRiLE tables" in response.content.decode()
    response = client.post("/plans/multipliers/add/", {"csp_score": "5", "multiplier": "3"})
    assert "This CSP score already has a multiplier: change that one instead." in response.content.decode()


def test_a_row_whose_multiplier_was_removed_is_listed_unranked_not_broken(demo_plans, client):
    tw = StrategicAssessment.objects.get(district__code=TUNBRIDGE_WELLS, plan_year=2016)
    MorileMultiplier.objects.filter(csp_score=7).delete()
    rows = selectors.plan_page(StrategicAssessment.objects.select_related("district").get(pk=tw.pk),
                               AnonymousUser(), with_evidence=False).morile
    road = rows[-1]
    assert road.score.theme.slug == "road-safety" and road.rank_label is None and road.overall is None
    assert road.problem == "No multiplier is set for a CSP score of 7."
    assert rows[0].rank_label == "1" and rows[1].score.theme.slug == "prevent" and rows[1].rank_label == "2"
    assert "No multiplier is set for a CSP score of 7." in client.get(
        f"/assessments/{TUNBRIDGE_WELLS}/2016-17/").content.decode()
