"""Fixtures for the plan tests: the demo content and plans of any size."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest


@pytest.fixture
def demo_plans(db):
    """The demo assessments from the published documents (no figures)."""
    from demo.content import load_demo_content

    summary = load_demo_content()
    assert summary.startswith("Demo plans:")
    return summary


@pytest.fixture
def make_plan(db):
    """make_plan(district_code, plan_year, priorities=, actions=, grants=, targets=) -> StrategicAssessment.

    Every priority gets ``actions`` actions (each with a Q1 update), one target and
    ``grants`` approved grants with a funded outcome and a quarterly report, and links
    to two categories, so a page has something of everything per priority.
    """
    from assessments.models import (
        Action,
        ActionUpdate,
        Agency,
        FundedOutcome,
        GrantApplication,
        OutcomeUpdate,
        PccGrant,
        Priority,
        StrategicAssessment,
        Target,
        Theme,
    )
    from crimedata.models import Category, District

    def make(code="E07000110", plan_year=2017, *, priorities=2, actions=2, grants=1, targets=1, status="signed_off",
             window=((2015, 11), (2016, 10))):
        (y1, m1), (y2, m2) = window
        import calendar

        assessment = StrategicAssessment.objects.create(
            district=District.objects.get(code=code), plan_year=plan_year, data_from=dt.date(y1, m1, 1),
            data_to=dt.date(y2, m2, calendar.monthrange(y2, m2)[1]), author_role="Community safety manager",
            status=status,
        )
        PccGrant.objects.create(assessment=assessment, total_grant=Decimal("30000"), project_budget=Decimal("20000"))
        themes = list(Theme.objects.order_by("display_order"))
        agency = Agency.objects.get(name="Kent Police")
        categories = list(Category.objects.filter(slug__in=["violent-crime", "domestic-abuse-incidents"]))
        for n in range(priorities):
            priority = Priority.objects.create(assessment=assessment, order=n + 1, title=f"Priority {n + 1}",
                                               theme=themes[n % len(themes)], lead_agency=agency,
                                               rationale="Because the figures say so.")
            priority.categories.set(categories)
            priority.also_covers.set([themes[(n + 1) % len(themes)]])
            for a in range(actions):
                action = Action.objects.create(priority=priority, order=a + 1, description=f"Action {a + 1}",
                                               measure="Something counted")
                action.agencies.set([agency])
                ActionUpdate.objects.create(action=action, quarter=1, reported_on=dt.date(2017, 7, 1),
                                            rag=["green", "amber", "red"][a % 3], text="Progress made.")
            for t in range(targets):
                Target.objects.create(assessment=assessment, priority=priority, measure=f"Target {t + 1}",
                                      target=Decimal("40"), baseline=Decimal("33"), actual=Decimal("41"))
            for g in range(grants):
                grant = GrantApplication.objects.create(
                    assessment=assessment, project=f"Project {n}-{g}", agency=agency, status="approved",
                    amount_requested=Decimal("100"), amount_awarded=Decimal("100"), priority=priority,
                    outcome_report="received",
                )
                outcome = FundedOutcome.objects.create(grant=grant, service="A service")
                OutcomeUpdate.objects.create(outcome=outcome, quarter=2, text="Delivered.")
        return assessment

    return make
