"""PCC grant applications and funded outcomes through their forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assessments.models import Agency, FundedOutcome, GrantApplication, OutcomeUpdate, PccGrant
from tests.conftest import MAIDSTONE

pytestmark = pytest.mark.django_db
BASE = f"/assessments/{MAIDSTONE}/2017-18/"


@pytest.fixture
def plan(make_plan, client, officer):
    client.force_login(officer)
    return make_plan(MAIDSTONE, 2017, priorities=1, grants=0)


def _grant(**values):
    data = {"order": 1, "kind": "initiative", "project": "Hawkeye", "summary": "CCTV vehicle",
            "agency": Agency.objects.get(name="Kent Police").pk, "lead_officer_role": "CCTV manager",
            "amount_requested": "£6,000", "match_funding": "", "status": "waiting", "amount_awarded": "",
            "decided_on": "", "po_number": "", "priority": "", "outcome_report": "not_received"}
    data.update(values)
    return data


def test_add_a_grant_in_pounds_and_pence(client, plan):
    response = client.post(BASE + "edit/grants/add/", _grant(amount_requested="£1,982.50"))
    assert response.status_code == 302
    grant = GrantApplication.objects.get(project="Hawkeye")
    assert grant.amount_requested == Decimal("1982.50") and grant.status == "waiting"
    html = client.get(BASE).content.decode()
    assert 'data-budget="awaiting">£1,982.50<' in html and "Waiting decision" in html


@pytest.mark.parametrize(("values", "message"), [
    ({"status": "approved"}, "Enter the amount awarded for an approved application."),
    ({"status": "rejected", "amount_awarded": "10"}, "Only an approved application has an amount awarded"),
    ({"status": "waiting", "decided_on": "2017-01-10"}, "An application waiting for a decision has no decision date"),
    ({"amount_requested": "twelve pounds"}, "Enter an amount in pounds, like 1982.50"),
    ({"amount_requested": "12.345"}, "at most 2 digits after the point"),
    ({"amount_requested": "-5"}, "Enter an amount of £0 or more"),
    ({"agency": ""}, "Choose the agency"),
])
def test_bad_grants_are_refused_with_specific_messages(client, plan, values, message):
    response = client.post(BASE + "edit/grants/add/", _grant(**values))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not GrantApplication.objects.exists()


def test_a_grant_cannot_be_linked_to_another_assessments_priority(client, plan, make_plan):
    other = make_plan("E07000116", 2017, priorities=1, grants=0).priorities.get()
    response = client.post(BASE + "edit/grants/add/", _grant(priority=other.pk))
    assert response.status_code == 400 and not GrantApplication.objects.exists()


def test_approve_a_grant_then_record_its_outcomes(client, plan):
    client.post(BASE + "edit/grants/add/", _grant())
    grant = GrantApplication.objects.get()
    response = client.post(BASE + f"edit/grants/{grant.pk}/", _grant(
        status="approved", amount_awarded="5500", decided_on="2017-02-01", po_number="AM01107",
        version=grant.version, outcome_report="received"))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert (grant.amount_awarded, grant.decided_on, grant.version) == (Decimal("5500"), dt.date(2017, 2, 1), 2)
    response = client.post(BASE + f"edit/grants/{grant.pk}/outcomes/add/",
                           {"order": 1, "service": "Outreach in hotspots", "amount_unspent": "£500"})
    assert response.status_code == 302
    outcome = FundedOutcome.objects.get()
    assert outcome.amount_unspent == Decimal("500")
    response = client.post(BASE + f"edit/outcomes/{outcome.pk}/reports/add/",
                           {"quarter": 2, "reported_on": "2017-10-01", "text": "Over 700 young people engaged."})
    assert response.status_code == 302
    assert OutcomeUpdate.objects.get().text == "Over 700 young people engaged."
    html = client.get(BASE).content.decode()
    assert "Q2 (reported 1 October 2017): Over 700 young people engaged." in html
    assert "February 2017" in html and "£500.00 unspent" in html
    duplicate = client.post(BASE + f"edit/outcomes/{outcome.pk}/reports/add/", {"quarter": 2, "text": "Again"})
    assert "There is already a Q2 report for this service" in duplicate.content.decode()


def test_pcc_grant_budget_and_remaining(client, plan):
    PccGrant.objects.filter(assessment=plan).delete()
    response = client.post(BASE + "edit/funding/", {"total_grant": "28,858", "project_budget": "20000"})
    assert response.status_code == 302
    assert PccGrant.objects.get(assessment=plan).project_budget == Decimal("20000")
    response = client.post(BASE + "edit/funding/", {"total_grant": "100", "project_budget": "200",
                                                    "version": PccGrant.objects.get(assessment=plan).version})
    assert "The amount for projects cannot be more than the total grant." in response.content.decode()
