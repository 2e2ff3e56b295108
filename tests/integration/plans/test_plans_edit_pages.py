"""Every editing page: it opens for the district's officer, and its query count does not grow with the plan."""

from __future__ import annotations

import pytest

from assessments.models import MorileScore, Theme
from assessments.plans import pdf
from tests.conftest import MAIDSTONE, TUNBRIDGE_WELLS

pytestmark = pytest.mark.django_db

EDIT_QUERIES = 16


def _pages(assessment):
    priority = assessment.priorities.order_by("order").first()
    action = priority.actions.first()
    grant = assessment.grants.first()
    outcome = grant.outcomes.first()
    base = f"/assessments/{assessment.district.code}/{assessment.plan_year_slug}/"
    return [
        base + "edit/", base + "edit/funding/", base + "edit/morile/", base + "edit/priorities/add/",
        base + f"edit/priorities/{priority.pk}/", base + f"edit/priorities/{priority.pk}/remove/",
        base + f"edit/priorities/{priority.pk}/actions/add/", base + f"edit/actions/{action.pk}/",
        base + f"edit/actions/{action.pk}/updates/add/", base + f"edit/updates/{action.updates.first().pk}/",
        base + "edit/targets/add/", base + f"edit/targets/{assessment.targets.first().pk}/",
        base + "edit/grants/add/", base + f"edit/grants/{grant.pk}/", base + f"edit/grants/{grant.pk}/outcomes/add/",
        base + f"edit/outcomes/{outcome.pk}/", base + f"edit/outcomes/{outcome.pk}/reports/add/",
        base + f"edit/reports/{outcome.updates.first().pk}/", "/assessments/new/",
    ]


def test_edit_pages_open_and_their_queries_do_not_grow(client, make_plan, analyst, django_assert_max_num_queries):
    client.force_login(analyst)
    small = make_plan(MAIDSTONE, 2017, priorities=1, actions=1, grants=1)
    big = make_plan(TUNBRIDGE_WELLS, 2017, priorities=9, actions=8, grants=5, targets=3)
    for theme in Theme.objects.all()[:18]:
        MorileScore.objects.create(assessment=big, theme=theme, risk=60, csp_score=0)
    for plan in (small, big):
        for url in _pages(plan):
            with django_assert_max_num_queries(EDIT_QUERIES, info=url):
                response = client.get(url)
            assert response.status_code == 200, url
            assert "<form" in response.content.decode() and "csrfmiddlewaretoken" in response.content.decode()


def test_pdf_download_queries_do_not_grow(client, make_plan, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(pdf, "available", lambda: True)
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: b"%PDF-1.4 test")
    make_plan(MAIDSTONE, 2017, priorities=1)
    make_plan(TUNBRIDGE_WELLS, 2017, priorities=9, actions=6, grants=4)
    for code in (MAIDSTONE, TUNBRIDGE_WELLS):
        with django_assert_max_num_queries(32):
            response = client.get(f"/assessments/{code}/2017-18/scrutiny.pdf")
        assert response.content == b"%PDF-1.4 test"
