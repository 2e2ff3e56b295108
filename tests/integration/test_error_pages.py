"""The site's own 404, 403 and 500 pages, and the favicon.

Tests run with DEBUG off (as production does), so the client gets the pages that
production would send. Before these templates existed, the 404 and 500 pages were
Django's bare text ("Not Found", "Server Error (500)") and the 403 for plan edits and
police.uk was "403 Forbidden".
"""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.template import loader
from django.test import Client, RequestFactory
from django.urls import path

from csp_portal import errors
from csp_portal import urls as site_urls
from tests.conftest import MAIDSTONE, make_user
from tests.integration.plans.conftest import make_plan  # noqa: F401  (fixture)

# This module is also the URL configuration for the forced-500 test: the site's routes and
# handlers, and one view that fails.


def _boom(request: HttpRequest):
    raise RuntimeError("a view failed")


urlpatterns = [path("boom/", _boom), *site_urls.urlpatterns]
handler404 = site_urls.handler404
handler500 = site_urls.handler500

SITE_LOOK = ('class="govuk-template"', "govuk-service-navigation", "govuk-footer", 'href="#main-content"')
# The public navigation (csp_portal.context_processors.NAV) and the links out of every error page.
NAVIGATION = ("Compare districts", "District profiles", "Kent overview", "Priorities and plans")


def assert_site_page(body: str, heading: str) -> None:
    for marker in SITE_LOOK:
        assert marker in body, marker
    assert body.count("<h1") == 1
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in body
    for label in NAVIGATION:
        # Once in the service navigation, once in the links under the message.
        assert body.count(label) >= 2, label
    assert "favicon.ico" in body


@pytest.mark.django_db
def test_an_unknown_address_gets_the_styled_page_not_found(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert_site_page(body, "Page not found")
    assert "<title>Page not found – CSP Portal</title>" in body
    assert "Resolver404" not in body and "Not Found" not in body


@pytest.mark.django_db
def test_a_views_not_found_message_is_shown(client):
    response = client.get("/spc/E07999999/all-crime/")
    assert response.status_code == 404
    body = response.content.decode()
    assert_site_page(body, "Page not found")
    assert "There is no such district or category." in body


@pytest.mark.django_db
def test_a_permission_denied_raised_in_a_view_gets_the_styled_page_with_its_message(client):
    # police.uk upload raises PermissionDenied itself (Django's handler renders 403.html).
    client.force_login(make_user("an.officer", "Community safety officer", [MAIDSTONE]))
    response = client.get("/data/police-uk/")
    assert response.status_code == 403
    body = response.content.decode()
    assert_site_page(body, "You cannot do this")
    assert "Only county analysts and administrators can import police.uk data." in body
    assert "403 Forbidden" not in body


@pytest.mark.django_db
def test_a_plan_edit_refused_by_the_plan_service_gets_the_styled_page(client, make_plan):
    plan = make_plan(MAIDSTONE, 2017, priorities=1, actions=1)
    client.force_login(make_user("a.partner", "Partner"))
    response = client.get(f"/assessments/{MAIDSTONE}/{plan.plan_year_slug}/edit/")
    assert response.status_code == 403
    assert_site_page(response.content.decode(), "You cannot do this")


@pytest.mark.django_db
def test_access_forbidden_renders_the_same_403_page(client):
    # /entry/ is refused by crimedata.access.require -> forbidden(request, STAFF_ONLY).
    from crimedata.access import STAFF_ONLY

    client.force_login(make_user("a.partner", "Partner"))
    response = client.get("/entry/")
    assert response.status_code == 403
    body = response.content.decode()
    assert_site_page(body, "You cannot do this")
    assert STAFF_ONLY.split(".")[0] in body
    assert [t.name for t in response.templates][0] == "403.html"


def test_a_permission_denied_without_a_message_says_something_useful():
    body = loader.render_to_string("403.html", {"exception": ""}, request=None)
    assert "Your account does not allow this page or action." in body


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_failing_view_gets_the_styled_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert_site_page(body, "Sorry, there is a problem with the service")
    assert "Try again later." in body
    assert "Server Error (500)" not in body and "a view failed" not in body


def test_the_500_page_needs_neither_the_database_nor_the_request():
    # No django_db mark: any query raises here. The handler renders without the request.
    response = errors.server_error(RequestFactory().get("/anything/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert_site_page(body, "Sorry, there is a problem with the service")
    assert "<title>Sorry, there is a problem with the service – CSP Portal</title>" in body


def test_the_500_template_renders_with_the_empty_context_djangos_own_handler_gives_it():
    body = loader.render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in body
    assert "<title>Sorry, there is a problem with the service – " in body
    assert 'href="/compare/"' in body  # the links out still work


def test_if_the_500_page_itself_fails_a_plain_page_is_sent(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("Missing staticfiles manifest entry for 'build/app.css'")

    monkeypatch.setattr(errors.loader, "render_to_string", broken)
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content


@pytest.mark.django_db
def test_every_page_links_the_favicon_and_favicon_ico_finds_it(client):
    body = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/images/favicon.ico" sizes="48x48">' in body
    assert '<link rel="icon" href="/static/images/favicon.svg" sizes="any" type="image/svg+xml">' in body
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/images/favicon.ico"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    content = b"".join(icon.streaming_content) if icon.streaming else icon.content
    assert content[:4] == b"\x00\x00\x01\x00"  # an icon file
