"""Every page in the product, for every role: who may open it.

The table below is the product's access policy in one place. A new URL that
is not in it fails ``test_every_page_has_an_access_decision``, so no page can
be added without deciding who may see it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from assessments.models import AlertSubscription
from crimedata import mail
from crimedata.collections import WindowRequest, save_window
from crimedata.entry import Quarter
from crimedata.models import District
from crimedata.selectors import reference_data

from tests.conftest import MAIDSTONE, TUNBRIDGE_WELLS, add_figure, make_user
from tests.integration.plans.conftest import make_plan  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "officer", "other_officer", "analyst", "administrator", "partner", "scrutiny"]

# Who gets the page (200); everyone else is refused: 403, or a redirect to sign in when signed out.
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
STAFF = {"officer", "other_officer", "analyst", "administrator"}
OWN_DISTRICT_STAFF = {"officer", "analyst", "administrator"}  # the page is about Maidstone
ANALYSTS = {"analyst", "administrator"}
ADMINISTRATORS = {"administrator"}
HISTORY_READERS = STAFF | {"partner"}
NOBODY_BY_GET: set[str] = set()  # POST-only actions


def _walk(patterns):
    for p in patterns:
        if isinstance(p, URLResolver):
            if "admin" not in str(p.pattern):
                yield from _walk(p.url_patterns)
        elif isinstance(p, URLPattern) and p.name:
            yield p.name


def _objects(make_plan, code=MAIDSTONE, **plan_size):
    from assessments.models import Theme

    for month in range(1, 13):
        add_figure(code, "robbery", f"2016-{month:02d}", value=5 + month % 4)
    plan = make_plan(code, 2017, **{"priorities": 1, "actions": 1, "grants": 1, **plan_size})
    priority = plan.priorities.first()
    action = priority.actions.first()
    grant = plan.grants.first()
    outcome = grant.outcomes.first()
    window, subscription, token = _alerts_objects(code)
    return {
        "district": code, "plan": plan.plan_year_slug, "priority": priority.pk,
        "theme": Theme.objects.order_by("pk").values_list("pk", flat=True).first(), "action": action.pk, "update": action.updates.first().pk,
        "target": plan.targets.first().pk, "grant": grant.pk, "outcome": outcome.pk,
        "report": outcome.updates.first().pk,
        "window": window, "subscription": subscription, "unsubscribe": token,
    }


def _alerts_objects(code):
    """A collection window asking ``code`` for Q3 2016/17, and a subscriber's subscription and unsubscribe link."""
    window = save_window(WindowRequest(
        quarter=Quarter(2016, 3), opens_on=dt.date(2017, 1, 1), closes_on=dt.date(2017, 1, 31),
        category_slugs=("asb-incidents", "marac-cases"), district_codes=(code,),
    ), user=None, ref=reference_data())
    subscriber = make_user(f"matrix.subscriber.{code}", "Partner")
    subscription = AlertSubscription.objects.create(user=subscriber, district=District.objects.get(code=code))
    return window, subscription.pk, mail.unsubscribe_token(subscriber, mail.ALERTS)


def pages(o) -> dict[str, tuple[str, set[str]]]:
    """URL name -> (a concrete URL, the roles that get a 200; the roles are for Maidstone's pages)."""
    code = o.get("district", MAIDSTONE)
    a = f"/assessments/{code}/{o['plan']}/"
    return {
        "home": ("/", EVERYONE),
        "about-data": ("/about-the-data/", EVERYONE),
        "accessibility": ("/accessibility/", EVERYONE),
        "favicon": ("/favicon.ico", EVERYONE),  # redirects to the collected icon
        "comparison": ("/compare/", EVERYONE),  # redirects to the default category
        "comparison-category": ("/compare/all-crime/", EVERYONE),
        "district-index": ("/districts/", EVERYONE),
        "district-profile": (f"/districts/{code}/", EVERYONE),
        "district-neighbourhoods": (f"/districts/{code}/neighbourhoods/", EVERYONE),
        "overview": ("/overview/", EVERYONE),
        "api-docs": ("/api/", EVERYONE),
        "api-comparison": ("/api/v1/comparison/?category=robbery&end=2016-12", EVERYONE),
        "api-district-summary": (f"/api/v1/districts/{code}/summary/?end=2016-12", EVERYONE),
        "spc-index": ("/spc/", EVERYONE),
        "spc-chart": (f"/spc/{code}/robbery/", EVERYONE),
        "spc-step-change-add": (f"/spc/{code}/all-crime/step-changes/", NOBODY_BY_GET),
        "spc-step-change-remove": (f"/spc/{code}/all-crime/step-changes/1/remove/", NOBODY_BY_GET),
        "spc-commentary": (f"/spc/{code}/robbery/summary/", OWN_DISTRICT_STAFF),
        "profile-commentary": (f"/commentary/districts/{code}/headline-all-crime/", OWN_DISTRICT_STAFF),
        "priority-commentary": (f"/commentary/priorities/{o['priority']}/", OWN_DISTRICT_STAFF),
        "priorities-overview": ("/priorities/", EVERYONE),
        "assessment-new": ("/assessments/new/", STAFF),
        "assessment-detail": (a, EVERYONE),
        "scrutiny-summary": (a + "scrutiny/", EVERYONE),
        "scrutiny-pdf": (a + "scrutiny.pdf", EVERYONE),
        "assessment-history": (a + "history/", SIGNED_IN),
        "assessment-edit": (a + "edit/", OWN_DISTRICT_STAFF),
        "plan-funding-edit": (a + "edit/funding/", OWN_DISTRICT_STAFF),
        "plan-morile-edit": (a + "edit/morile/", OWN_DISTRICT_STAFF),
        "plan-priority-add": (a + "edit/priorities/add/", OWN_DISTRICT_STAFF),
        "plan-priority-edit": (a + f"edit/priorities/{o['priority']}/", OWN_DISTRICT_STAFF),
        "plan-priority-delete": (a + f"edit/priorities/{o['priority']}/remove/", OWN_DISTRICT_STAFF),
        "plan-action-add": (a + f"edit/priorities/{o['priority']}/actions/add/", OWN_DISTRICT_STAFF),
        "plan-action-edit": (a + f"edit/actions/{o['action']}/", OWN_DISTRICT_STAFF),
        "plan-action-delete": (a + f"edit/actions/{o['action']}/remove/", OWN_DISTRICT_STAFF),
        "plan-action-update-add": (a + f"edit/actions/{o['action']}/updates/add/", OWN_DISTRICT_STAFF),
        "plan-action-update-edit": (a + f"edit/updates/{o['update']}/", OWN_DISTRICT_STAFF),
        "plan-action-update-delete": (a + f"edit/updates/{o['update']}/remove/", OWN_DISTRICT_STAFF),
        "plan-target-add": (a + "edit/targets/add/", OWN_DISTRICT_STAFF),
        "plan-target-edit": (a + f"edit/targets/{o['target']}/", OWN_DISTRICT_STAFF),
        "plan-target-delete": (a + f"edit/targets/{o['target']}/remove/", OWN_DISTRICT_STAFF),
        "plan-grant-add": (a + "edit/grants/add/", OWN_DISTRICT_STAFF),
        "plan-grant-edit": (a + f"edit/grants/{o['grant']}/", OWN_DISTRICT_STAFF),
        "plan-grant-delete": (a + f"edit/grants/{o['grant']}/remove/", OWN_DISTRICT_STAFF),
        "plan-outcome-add": (a + f"edit/grants/{o['grant']}/outcomes/add/", OWN_DISTRICT_STAFF),
        "plan-outcome-edit": (a + f"edit/outcomes/{o['outcome']}/", OWN_DISTRICT_STAFF),
        "plan-outcome-delete": (a + f"edit/outcomes/{o['outcome']}/remove/", OWN_DISTRICT_STAFF),
        "plan-outcome-update-add": (a + f"edit/outcomes/{o['outcome']}/reports/add/", OWN_DISTRICT_STAFF),
        "plan-outcome-update-edit": (a + f"edit/reports/{o['report']}/", OWN_DISTRICT_STAFF),
        "plan-outcome-update-delete": (a + f"edit/reports/{o['report']}/remove/", OWN_DISTRICT_STAFF),
        "plan-reference-list": ("/plans/themes/", EVERYONE),  # the shared theme list is public
        "plan-reference-add": ("/plans/themes/add/", ANALYSTS),
        "plan-reference-edit": (f"/plans/themes/{o['theme']}/", ANALYSTS),
        "plan-reference-delete": (f"/plans/themes/{o['theme']}/remove/", ANALYSTS),
        "login": ("/sign-in/", EVERYONE),  # signed-in people are sent onwards
        "logout": ("/sign-out/", NOBODY_BY_GET),
        "signed-out": ("/signed-out/", EVERYONE),
        "entry-home": ("/entry/", STAFF),
        "upload": ("/entry/upload/", STAFF),
        "upload-confirm": ("/entry/upload/confirm/", NOBODY_BY_GET),
        "upload-cancel": ("/entry/upload/cancel/", NOBODY_BY_GET),
        "upload-template": (f"/entry/template/?district={code}&quarter=2016-q3&format=csv", OWN_DISTRICT_STAFF),
        "sign-off": ("/entry/sign-off/", ANALYSTS),
        "completeness": ("/entry/completeness/", STAFF),
        "entry-grid": (f"/entry/{code}/2016-q3/", OWN_DISTRICT_STAFF),
        "entry-correct": (f"/entry/{code}/2016-q3/correct/", ADMINISTRATORS),  # back to the grid until signed off
        "figure-history": (f"/history/{code}/marac-cases/", HISTORY_READERS),
        "policeuk-upload": ("/data/police-uk/", ANALYSTS),
        "collection-windows": ("/entry/windows/", STAFF),
        "collection-window-new": ("/entry/windows/new/", ANALYSTS),
        "collection-window": (f"/entry/windows/{o['window']}/", STAFF),
        "collection-window-edit": (f"/entry/windows/{o['window']}/edit/", ANALYSTS),
        "alert-subscriptions": ("/alerts/", SIGNED_IN),
        "alert-subscription-remove": (f"/alerts/{o['subscription']}/remove/", NOBODY_BY_GET),
        "email-preferences": ("/alerts/emails/", NOBODY_BY_GET),
        "unsubscribe": (f"/unsubscribe/{o['unsubscribe']}/", EVERYONE),  # the signed link is the key
    }


@pytest.fixture
def people(db):
    from crimedata import roles

    return {
        "anonymous": None,
        "officer": make_user("matrix.officer", roles.OFFICER, [MAIDSTONE]),
        "other_officer": make_user("matrix.other", roles.OFFICER, ["E07000116"]),
        "analyst": make_user("matrix.analyst", roles.ANALYST),
        "administrator": make_user("matrix.admin", roles.ADMINISTRATOR),
        "partner": make_user("matrix.partner", roles.PARTNER),
        "scrutiny": make_user("matrix.scrutiny", roles.SCRUTINY),
    }


def test_every_page_has_an_access_decision(make_plan):
    declared = set(pages(_objects(make_plan)))
    routed = set(_walk(get_resolver().url_patterns))
    assert routed - declared == set(), "add these pages to the access table"
    assert declared - routed == set(), "these pages no longer exist"


def _refused(response, role) -> bool:
    from django.conf import settings
    from django.shortcuts import resolve_url

    if role == "anonymous" and response.status_code == 302:
        return response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    return response.status_code == 403


def test_each_role_gets_exactly_the_pages_it_should(client, make_plan, people):
    wrong = []
    for name, (url, allowed) in pages(_objects(make_plan)).items():
        for role in ROLES:
            client.logout()
            if people[role] is not None:
                client.force_login(people[role])
            response = client.get(url)
            if not allowed:
                ok = response.status_code == 405 or _refused(response, role)  # actions are POST only
            elif role in allowed:
                # A 302 here is a page sending its reader onwards, never to sign in.
                ok = response.status_code == 200 or (
                    response.status_code == 302 and "/sign-in/" not in response["Location"]
                )
            else:
                ok = _refused(response, role)
            if not ok:
                wrong.append(f"{name} as {role}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)


def test_the_public_and_scrutiny_never_see_a_provisional_figure(client, people):
    # Eleven final months of 100 and a provisional December of 777: the 12 months to
    # December total 1,877 for partners; the public must never see 777 or 1,877.
    for month in range(1, 12):
        add_figure(MAIDSTONE, "robbery", f"2016-{month:02d}", value=100)
    add_figure(MAIDSTONE, "robbery", "2016-12", value=777, status="provisional")
    urls = [
        "/compare/robbery/?end=2016-12", f"/districts/{MAIDSTONE}/?end=2016-12", "/overview/?end=2016-12&view=count",
        "/api/v1/comparison/?category=robbery&end=2016-12", f"/api/v1/districts/{MAIDSTONE}/summary/?end=2016-12",
        "/api/v1/comparison/?category=robbery&end=2016-12&format=csv", f"/spc/{MAIDSTONE}/robbery/",
        "/compare/robbery/?end=2016-12&_export=csv",
    ]
    for role in ("anonymous", "scrutiny"):
        client.logout()
        if people[role]:
            client.force_login(people[role])
        for url in urls:
            body = client.get(url).content.decode()
            assert not re.search(r"\b(1,?877|777)\b", body), (role, url)
    client.force_login(people["partner"])
    assert "1,877" in client.get("/compare/robbery/?end=2016-12").content.decode()


def test_analysts_find_the_police_uk_upload_from_their_task_list(client, people):
    client.force_login(people["analyst"])
    assert "/data/police-uk/" in client.get("/entry/").content.decode()
    client.force_login(people["officer"])
    assert "/data/police-uk/" not in client.get("/entry/").content.decode()


def test_no_page_reads_more_queries_when_there_is_more_data(client, make_plan, people):
    """Every page and API view in the table, cold cache, as an administrator (who may open them all).

    Maidstone's pages are counted with a small plan and a year of one category;
    then Tunbridge Wells gets a plan with 6 priorities of 4 actions, 3 grants and
    3 targets each, and 5 years of every other recorded-crime category for every
    district, and its pages must read no more queries than Maidstone's did.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from crimedata import reference
    from tests.comparison_data import add_monthly, add_populations

    every = [d.code for d in reference.DISTRICTS]

    def counts(o) -> dict[str, int]:
        out = {}
        for name, (url, allowed) in pages(o).items():
            if not allowed:
                continue
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code in (200, 302), f"{name}: {response.status_code}"
            out[name] = len(queries)
        return out

    client.force_login(people["administrator"])
    small = counts(_objects(make_plan))
    add_populations(2010, 2018, codes=every)
    add_monthly(every, [s for s in reference.additive_leaves("all-crime") if s != "robbery"], "2012-01", "2016-12", lambda c, s, m: 7 + m % 5)
    large = counts(_objects(make_plan, TUNBRIDGE_WELLS, priorities=6, actions=4, grants=3, targets=3))
    grew = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert grew == {}, f"pages that read more queries with more data (small, large): {grew}"
    assert len(small) >= 60
