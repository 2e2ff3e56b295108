"""Plan pages: reading a large plan (10 priorities, 200 actions, 800 updates, 30 grants) against raw SQL.

The baseline reads the same rows with one raw SQL query per table and does
nothing else; plan_page also derives statuses, budget and MoRiLE ranks and
builds the page's objects. The page figure is the whole response (template
rendering included) with the evidence already in the cache, as a second visitor
sees it.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from assessments.models import (
    Action,
    ActionUpdate,
    Agency,
    FundedOutcome,
    GrantApplication,
    MorileScore,
    OutcomeUpdate,
    PccGrant,
    Priority,
    StrategicAssessment,
    Theme,
)
from assessments.plans import selectors
from crimedata.models import District

RAW_SQL = [
    "SELECT * FROM assessments_priority WHERE assessment_id = %s",
    "SELECT a.* FROM assessments_action a JOIN assessments_priority p ON p.id = a.priority_id "
    "WHERE p.assessment_id = %s",
    "SELECT u.* FROM assessments_actionupdate u JOIN assessments_action a ON a.id = u.action_id "
    "JOIN assessments_priority p ON p.id = a.priority_id WHERE p.assessment_id = %s",
    "SELECT g.*, ag.name FROM assessments_grantapplication g JOIN assessments_agency ag ON ag.id = g.agency_id "
    "WHERE g.assessment_id = %s",
    "SELECT o.* FROM assessments_fundedoutcome o JOIN assessments_grantapplication g ON g.id = o.grant_id "
    "WHERE g.assessment_id = %s",
    "SELECT m.*, t.name FROM assessments_morilescore m JOIN assessments_theme t ON t.id = m.theme_id "
    "WHERE m.assessment_id = %s",
]


def _big_plan() -> StrategicAssessment:
    district = District.objects.get(code="E07000110")
    assessment = StrategicAssessment.objects.create(
        district=district, plan_year=2017, data_from=dt.date(2015, 11, 1), data_to=dt.date(2016, 10, 31),
        author_role="Benchmark", status="signed_off")
    PccGrant.objects.create(assessment=assessment, project_budget=Decimal("20000"))
    themes = list(Theme.objects.all())
    agencies = list(Agency.objects.all()[:5])
    for n in range(10):
        priority = Priority.objects.create(assessment=assessment, order=n + 1, title=f"Priority {n}",
                                           theme=themes[n], lead_agency=agencies[0])
        priority.also_covers.set(themes[10 + n:12 + n])
        for a in range(20):
            action = Action.objects.create(priority=priority, order=a, description=f"Action {a}")
            action.agencies.set(agencies)
            ActionUpdate.objects.bulk_create(
                ActionUpdate(action=action, quarter=q, reported_on=dt.date(2017, 3 * q, 1), rag="green",
                             text="Progress") for q in range(1, 5))
    for g in range(30):
        grant = GrantApplication.objects.create(assessment=assessment, project=f"Project {g}", agency=agencies[1],
                                                status="approved", amount_awarded=Decimal("100"),
                                                amount_requested=Decimal("100"))
        outcome = FundedOutcome.objects.create(grant=grant, service="Service")
        OutcomeUpdate.objects.create(outcome=outcome, quarter=1, text="Done")
    for theme in themes[:18]:
        MorileScore.objects.create(assessment=assessment, theme=theme, total_harm=2, risk=Decimal("60"), csp_score=0)
    return StrategicAssessment.objects.select_related("district").get(pk=assessment.pk)


def _median(fn, rounds=15) -> float:
    fn()  # warm-up
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@pytest.mark.django_db
def test_plan_page_read_against_raw_sql(benchmark, client):
    assessment = _big_plan()

    def raw():
        with connection.cursor() as cursor:
            for sql in RAW_SQL:
                cursor.execute(sql, [assessment.pk])
                cursor.fetchall()

    baseline = _median(raw)
    result = benchmark.pedantic(lambda: selectors.plan_page(assessment, AnonymousUser(), with_evidence=False),
                                rounds=15, iterations=1, warmup_rounds=2)
    assert len(result.priorities) == 10 and sum(len(v.actions) for v in result.priorities) == 200
    ours = benchmark.stats.stats.median
    client.get(f"/assessments/{assessment.district.code}/2017-18/")  # warms the evidence cache
    page = _median(lambda: client.get(f"/assessments/{assessment.district.code}/2017-18/"), rounds=5)
    benchmark.extra_info.update({"raw_sql_seconds": baseline, "ratio": ours / baseline, "page_seconds": page})
    print(f"\nplan_page (median) {ours * 1000:.1f} ms; raw SQL {baseline * 1000:.1f} ms; ratio {ours / baseline:.1f}; "
          f"whole page {page * 1000:.0f} ms")
