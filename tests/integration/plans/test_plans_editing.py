"""Editing a plan through its forms: saved in one transaction, versions checked, history kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assessments.models import Action, ActionUpdate, Priority, StrategicAssessment, Target, Theme
from crimedata.models import Category
from tests.conftest import MAIDSTONE

pytestmark = pytest.mark.django_db
BASE = f"/assessments/{MAIDSTONE}/2017-18/"


@pytest.fixture
def plan(make_plan, officer, client):
    client.force_login(officer)
    return make_plan(MAIDSTONE, 2017, priorities=1, actions=1, grants=1)


def test_create_an_assessment(client, officer):
    client.force_login(officer)
    response = client.post("/assessments/new/", {
        "district": StrategicAssessment._meta.get_field("district").related_model.objects.get(code=MAIDSTONE).pk,
        "plan_year_text": "2017-18", "data_from_month": "2015-11", "data_to_month": "2016-10",
        "author_role": "Community Safety Unit, Maidstone Borough Council", "status": "draft",
        "change_note": "Starting the assessment",
    })
    assert response.status_code == 302 and response["Location"] == BASE
    assessment = StrategicAssessment.objects.get(district__code=MAIDSTONE, plan_year=2017)
    assert (assessment.data_from, assessment.data_to) == (dt.date(2015, 11, 1), dt.date(2016, 10, 31))
    record = assessment.history.get()
    assert record.history_user == officer and record.history_change_reason == "Starting the assessment"


def test_assessment_form_errors_are_specific_and_write_nothing(client, officer):
    client.force_login(officer)
    response = client.post("/assessments/new/", {
        "plan_year_text": "2017-19", "data_from_month": "2016-13", "data_to_month": "2015-01",
        "author_role": "", "status": "signed_off", "signed_off_on": "2099-01-01",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "write 2017-18" in html
    assert "First month of data analysed must be a month written as YYYY-MM, with a month from 01 to 12" in html
    assert 'href="#id_plan_year_text"' in html and "govuk-input--error" in html
    assert not StrategicAssessment.objects.exists()


def test_data_window_longer_than_twelve_months_is_refused(client, officer):
    client.force_login(officer)
    response = client.post("/assessments/new/", {
        "plan_year_text": "2017-18", "data_from_month": "2015-01", "data_to_month": "2016-10",
        "author_role": "Officer", "status": "draft",
    })
    assert "at most 12 months" in response.content.decode()
    assert not StrategicAssessment.objects.exists()


def test_add_and_change_a_priority_with_themes_and_categories(client, plan, officer):
    domestic = Theme.objects.get(slug="domestic-abuse")
    violent = Theme.objects.get(slug="violent-crime")
    category = Category.objects.get(slug="domestic-abuse-incidents")
    response = client.post(BASE + "edit/priorities/add/", {
        "kind": "priority", "order": 2, "title": "Domestic abuse and other violent crime", "theme": domestic.pk,
        "also_covers": [violent.pk], "categories": [category.pk], "rationale": "Repeat victims are high.",
        "change_note": "Agreed at the March meeting",
    })
    assert response.status_code == 302
    priority = Priority.objects.get(title="Domestic abuse and other violent crime")
    assert list(priority.also_covers.all()) == [violent] and list(priority.categories.all()) == [category]
    # One history record for the whole edit, with the many-to-many fields in it.
    record = priority.history.get()
    assert record.history_type == "+" and record.history_user == officer
    assert record.history_change_reason == "Agreed at the March meeting"
    assert [c.category_id for c in record.categories.all()] == [category.pk]

    response = client.post(BASE + f"edit/priorities/{priority.pk}/", {
        "kind": "priority", "order": 2, "title": "Domestic abuse", "theme": domestic.pk, "also_covers": [],
        "categories": [category.pk], "version": priority.version, "status_override": "retained",
        "override_reason": "The partnership kept it.",
    })
    assert response.status_code == 302
    priority.refresh_from_db()
    assert priority.title == "Domestic abuse" and priority.version == 2 and not priority.also_covers.exists()
    assert priority.history.count() == 2
    assert "(set by an officer: The partnership kept it." in client.get(BASE).content.decode()


def test_override_needs_a_reason_and_the_main_theme_cannot_also_be_covered(client, plan):
    theme = Theme.objects.get(slug="asb")
    response = client.post(BASE + "edit/priorities/add/", {
        "kind": "priority", "order": 2, "title": "ASB", "theme": theme.pk, "also_covers": [theme.pk],
        "status_override": "new",
    })
    html = response.content.decode()
    assert response.status_code == 400
    assert "Say why the worked-out status is being overridden." in html
    assert "Anti-social behaviour is already the main theme: untick it here." in html
    assert not Priority.objects.filter(title="ASB").exists()


def test_two_people_editing_the_same_priority_do_not_overwrite_each_other(client, plan, analyst):
    priority = plan.priorities.get()
    stale = priority.version
    data = {"kind": "priority", "order": 1, "title": "First edit", "theme": priority.theme_id, "version": stale}
    assert client.post(BASE + f"edit/priorities/{priority.pk}/", data).status_code == 302
    client.force_login(analyst)
    response = client.post(BASE + f"edit/priorities/{priority.pk}/", {**data, "title": "Second edit"})
    assert response.status_code == 409
    assert "changed by someone else while you were editing it" in response.content.decode()
    assert 'value="First edit"' in response.content.decode()  # their change is shown
    assert Priority.objects.get(pk=priority.pk).title == "First edit"
    # A stale delete is refused too.
    response = client.post(BASE + f"edit/priorities/{priority.pk}/remove/", {"version": stale})
    assert response.status_code == 409 and Priority.objects.filter(pk=priority.pk).exists()


def test_actions_and_quarterly_rag_updates(client, plan, officer):
    priority = plan.priorities.get()
    kent_police = priority.lead_agency
    response = client.post(BASE + f"edit/priorities/{priority.pk}/actions/add/", {
        "order": 2, "description": "Run the Freedom Programme", "agencies": [kent_police.pk],
        "other_partners": "Parish councils", "measure": "Programmes run", "outcome": "",
    })
    assert response.status_code == 302
    action = Action.objects.get(description="Run the Freedom Programme")
    assert list(action.agencies.all()) == [kent_police]
    response = client.post(BASE + f"edit/actions/{action.pk}/updates/add/", {
        "quarter": 1, "reported_on": "2017-07-05", "rag": "amber", "text": "One programme postponed.",
    })
    assert response.status_code == 302
    update = ActionUpdate.objects.get(action=action)
    assert (update.quarter, update.rag, update.reported_on) == (1, "amber", dt.date(2017, 7, 5))
    html = client.get(BASE).content.decode()
    assert "Amber – some concerns" in html and "One programme postponed." in html
    # A second Q1 update is refused with a clear message, and nothing is written.
    response = client.post(BASE + f"edit/actions/{action.pk}/updates/add/", {
        "quarter": 1, "reported_on": "2017-07-06", "rag": "green", "text": "Again",
    })
    assert response.status_code == 400
    assert "There is already a Q1 update for this action: change that one instead." in response.content.decode()
    response = client.post(BASE + f"edit/actions/{action.pk}/updates/add/", {"quarter": "", "text": ""})
    html = response.content.decode()
    assert "Choose the RAG status: green, amber or red" in html and "Enter the date of the update" in html
    assert ActionUpdate.objects.filter(action=action).count() == 1
    # The latest update sets the action's RAG status.
    client.post(BASE + f"edit/actions/{action.pk}/updates/add/", {
        "quarter": 2, "reported_on": "2017-10-05", "rag": "green", "text": "Back on track."})
    from assessments.plans.selectors import ActionView

    view = ActionView(action=action, agencies=[], updates=list(action.updates.all()))
    assert view.rag == "green" and view.rag_label == "Green – on track"


def test_targets_are_judged_with_their_direction(client, plan):
    priority = plan.priorities.get()
    response = client.post(BASE + "edit/targets/add/", {
        "order": 5, "priority": priority.pk, "measure": "Repeat victims", "unit": "percentage", "baseline": "26",
        "target": "22", "direction": "at_most", "actual": "",
    })
    assert response.status_code == 302
    target = Target.objects.get(measure="Repeat victims")
    assert target.result == "not_yet_known"
    response = client.post(BASE + f"edit/targets/{target.pk}/", {
        "order": 5, "priority": priority.pk, "measure": "Repeat victims", "unit": "percentage", "baseline": "26",
        "target": "22", "direction": "at_most", "actual": "21.5", "version": target.version,
    })
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.actual == Decimal("21.5") and target.result == "achieved"
    response = client.post(BASE + "edit/targets/add/", {"measure": "Bad", "target": "forty", "direction": "at_least",
                                                         "unit": "number", "order": 1})
    assert "Enter the target as a number, like 40 or 82.5" in response.content.decode()


def test_removing_a_priority_removes_its_actions_and_keeps_history(client, plan, officer):
    priority = plan.priorities.get()
    action_ids = list(Action.objects.filter(priority=priority).values_list("id", flat=True))
    response = client.get(BASE + f"edit/priorities/{priority.pk}/remove/")
    assert "Its 1 action and their updates are removed too." in response.content.decode()
    response = client.post(BASE + f"edit/priorities/{priority.pk}/remove/",
                           {"version": priority.version, "change_note": "Merged into another priority"})
    assert response.status_code == 302
    assert not Priority.objects.filter(pk=priority.pk).exists()
    assert not Action.objects.filter(id__in=action_ids).exists()
    deleted = Priority.history.filter(id=priority.pk, history_type="-").get()
    assert deleted.history_user == officer and deleted.history_change_reason == "Merged into another priority"
    assert Action.history.filter(id__in=action_ids, history_type="-").count() == len(action_ids)
    history = client.get(BASE + "history/").content.decode()
    assert "Removed" in history and "Merged into another priority" in history


def test_assessment_details_edit_keeps_district_and_year_fixed(client, plan):
    response = client.post(BASE + "edit/", {
        "data_from_month": "2015-11", "data_to_month": "2016-10", "author_role": "Community Safety Manager",
        "status": "signed_off", "signed_off_on": "2017-03-15", "introduction": "New intro", "conclusion": "",
        "version": plan.version, "district": 999, "plan_year_text": "2030-31",
    })
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.district.code, plan.plan_year, plan.signed_off_on) == (MAIDSTONE, 2017, dt.date(2017, 3, 15))
    assert plan.history.latest().history_type == "~"
