"""Only a district's own officers (and county analysts and administrators) change its plan.

Every edit URL is tried by every role, by GET and by direct POST, including
through another district's address with this district's object ids.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from assessments.models import Action, GrantApplication, Priority, StrategicAssessment, Theme
from assessments.plans import services
from tests.conftest import MAIDSTONE, TUNBRIDGE_WELLS

pytestmark = pytest.mark.django_db


def _edit_urls(assessment: StrategicAssessment) -> list[str]:
    priority = assessment.priorities.first()
    action = Action.objects.filter(priority=priority).first()
    update = action.updates.first()
    target = assessment.targets.first()
    grant = assessment.grants.first()
    outcome = grant.outcomes.first()
    report = outcome.updates.first()
    base = f"/assessments/{assessment.district.code}/{assessment.plan_year_slug}/"
    return [
        base + "edit/", base + "edit/funding/", base + "edit/morile/",
        base + "edit/priorities/add/", base + f"edit/priorities/{priority.pk}/",
        base + f"edit/priorities/{priority.pk}/remove/", base + f"edit/priorities/{priority.pk}/actions/add/",
        base + f"edit/actions/{action.pk}/", base + f"edit/actions/{action.pk}/remove/",
        base + f"edit/actions/{action.pk}/updates/add/", base + f"edit/updates/{update.pk}/",
        base + f"edit/updates/{update.pk}/remove/", base + "edit/targets/add/", base + f"edit/targets/{target.pk}/",
        base + f"edit/targets/{target.pk}/remove/", base + "edit/grants/add/", base + f"edit/grants/{grant.pk}/",
        base + f"edit/grants/{grant.pk}/remove/", base + f"edit/grants/{grant.pk}/outcomes/add/",
        base + f"edit/outcomes/{outcome.pk}/", base + f"edit/outcomes/{outcome.pk}/remove/",
        base + f"edit/outcomes/{outcome.pk}/reports/add/", base + f"edit/reports/{report.pk}/",
        base + f"edit/reports/{report.pk}/remove/",
    ]


def _refused(response) -> bool:
    # Signed-out visitors are sent to sign in once a sign-in page exists; everyone else gets 403.
    from django.conf import settings
    from django.shortcuts import resolve_url

    sign_in = resolve_url(settings.LOGIN_URL)
    return response.status_code == 403 or (response.status_code == 302 and response["Location"].startswith(sign_in))


@pytest.fixture
def maidstone_plan(make_plan):
    return make_plan(MAIDSTONE, 2017, priorities=1, actions=1, grants=1)


def _snapshot():
    return (
        list(StrategicAssessment.objects.values_list("id", "version")),
        list(Priority.objects.values_list("id", "version", "title")),
        list(Action.objects.values_list("id", "version")),
        list(GrantApplication.objects.values_list("id", "version")),
        Priority.history.count(),
    )


def test_own_officer_and_analysts_can_open_every_edit_page(client, maidstone_plan, officer, analyst, administrator):
    for user in (officer, analyst, administrator):
        client.force_login(user)
        for url in _edit_urls(maidstone_plan):
            assert client.get(url).status_code == 200, (user, url)


@pytest.mark.parametrize("who", ["other_officer", "partner", "scrutiny", "anonymous"])
def test_everyone_else_is_refused_by_get_and_by_direct_post(client, maidstone_plan, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    before = _snapshot()
    for url in _edit_urls(maidstone_plan):
        assert _refused(client.get(url)), url
        assert _refused(client.post(url, {"title": "Hijacked", "version": 1, "kind": "priority", "order": 1,
                                          "theme": Theme.objects.first().pk})), url
    assert _snapshot() == before


def test_another_districts_address_cannot_reach_this_districts_objects(client, make_plan, other_officer):
    maidstone = make_plan(MAIDSTONE, 2017, priorities=1, actions=1)
    make_plan(TUNBRIDGE_WELLS, 2017, priorities=1, actions=1)
    client.force_login(other_officer)  # a Tunbridge Wells officer
    priority = maidstone.priorities.first()
    before = _snapshot()
    # Through Tunbridge Wells' own address: the Maidstone priority is simply not found there.
    response = client.post(f"/assessments/{TUNBRIDGE_WELLS}/2017-18/edit/priorities/{priority.pk}/",
                           {"title": "Hijacked", "version": priority.version, "kind": "priority", "order": 1,
                            "theme": priority.theme_id})
    assert response.status_code == 404
    response = client.post(f"/assessments/{TUNBRIDGE_WELLS}/2017-18/edit/priorities/{priority.pk}/remove/",
                           {"version": priority.version})
    assert response.status_code == 404
    # Through Maidstone's address: refused.
    assert client.post(f"/assessments/{MAIDSTONE}/2017-18/edit/priorities/{priority.pk}/remove/",
                       {"version": priority.version}).status_code == 403
    assert _snapshot() == before
    # Creating an assessment is offered only for their own district, and a forged choice is refused.
    html = client.get("/assessments/new/").content.decode()
    assert "Tunbridge Wells" in html and ">Maidstone<" not in html
    maidstone_id = maidstone.district_id
    response = client.post("/assessments/new/", {
        "district": maidstone_id, "plan_year_text": "2018-19", "data_from_month": "2016-11",
        "data_to_month": "2017-10", "author_role": "Officer", "status": "draft",
    })
    assert response.status_code == 400
    assert not StrategicAssessment.objects.filter(plan_year=2018).exists()


def test_services_refuse_other_districts_even_without_the_views(maidstone_plan, other_officer, partner):
    priority = maidstone_plan.priorities.first()
    priority.title = "Changed behind the form"
    for user in (other_officer, partner):
        with pytest.raises(PermissionDenied):
            services.save_plan_object(priority, user=user, expected_version=priority.version)
        with pytest.raises(PermissionDenied):
            services.delete_plan_object(priority, user=user, expected_version=priority.version)
    assert Priority.objects.get(pk=priority.pk).title == "Priority 1"


def test_only_county_analysts_manage_themes_agencies_and_multipliers(client, officer, analyst):
    client.force_login(officer)
    theme = Theme.objects.get(slug="road-safety")
    for url in ("/plans/themes/add/", f"/plans/themes/{theme.pk}/", f"/plans/themes/{theme.pk}/remove/",
                "/plans/agencies/add/", "/plans/multipliers/add/"):
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "Hijacked", "slug": "hijacked", "version": theme.version}).status_code == 403
    assert not Theme.objects.filter(slug="hijacked").exists()
    assert "Add a theme" not in client.get("/plans/themes/").content.decode()
    client.force_login(analyst)
    response = client.post("/plans/themes/add/", {"name": "Fraud", "slug": "fraud", "display_order": 40})
    assert response.status_code == 302
    assert Theme.objects.get(slug="fraud").history.latest().history_user == analyst
