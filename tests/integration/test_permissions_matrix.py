"""The permission matrix: every role against every data-entry page and action, including direct
POSTs and URLs carrying another district's code. A refusal is always a 403 (or a sign-in redirect,
or a form error) with nothing written; never a silent success.

The roles (README "Who can do what"): anonymous public, Maidstone officer, another district's
officer (Tunbridge Wells, acting on Maidstone), county analyst, administrator, partner, scrutiny member.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from crimedata.models import Figure, SignOff
from crimedata.periods import month_end
from tests.conftest import MAIDSTONE, add_figure
from tests.integration.entry_support import Q1_2016, csv_bytes, current_grid, form_data, grid_url, recent_quarter

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "officer", "other_officer", "analyst", "administrator", "partner", "scrutiny"]
OK, SAVED, LOGIN, FORBIDDEN, REFUSED, AWAY = "200", "saved", "sign in", "403", "400", "302 away"

LOCKED = Q1_2016.shifted(1)  # Q2 2016/17, signed off for Maidstone
UPLOAD_ROW = "Maidstone,asb-incidents,2016-06-01,2016-06-30,61,,"


def _row(anonymous, officer, other_officer, analyst, administrator, partner, scrutiny):
    return dict(zip(ROLES, (anonymous, officer, other_officer, analyst, administrator, partner, scrutiny)))


# action: expected outcome per role (the README table says the same in words).
MATRIX = {
    "entry home": _row(LOGIN, OK, OK, OK, OK, FORBIDDEN, FORBIDDEN),
    "grid (Maidstone)": _row(LOGIN, OK, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN),
    "grid save (Maidstone)": _row(LOGIN, SAVED, FORBIDDEN, SAVED, SAVED, FORBIDDEN, FORBIDDEN),
    "grid save (signed-off quarter)": _row(LOGIN, "409", FORBIDDEN, "409", "409", FORBIDDEN, FORBIDDEN),
    "correction page": _row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN),
    "correction save": _row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SAVED, FORBIDDEN, FORBIDDEN),
    "upload page": _row(LOGIN, OK, OK, OK, OK, FORBIDDEN, FORBIDDEN),
    "upload preview (Maidstone rows)": _row(LOGIN, OK, REFUSED, OK, OK, FORBIDDEN, FORBIDDEN),
    # Another district's officer cannot have a preview of Maidstone rows (refused above), so theirs is a stranger's.
    "upload confirm (own preview)": _row(LOGIN, SAVED, REFUSED, SAVED, SAVED, FORBIDDEN, FORBIDDEN),
    "upload confirm (someone else's preview)": _row(LOGIN, REFUSED, REFUSED, REFUSED, REFUSED, FORBIDDEN, FORBIDDEN),
    "template (Maidstone)": _row(LOGIN, OK, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN),
    "sign-off page": _row(LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN),
    "sign-off confirm": _row(LOGIN, FORBIDDEN, FORBIDDEN, SAVED, SAVED, FORBIDDEN, FORBIDDEN),
    "completeness": _row(LOGIN, OK, OK, OK, OK, FORBIDDEN, FORBIDDEN),
    "history (Maidstone)": _row(LOGIN, OK, OK, OK, OK, OK, FORBIDDEN),
    "sign-in page": _row(OK, AWAY, AWAY, AWAY, AWAY, AWAY, AWAY),
}


@pytest.fixture
def people(officer, other_officer, analyst, administrator, partner, scrutiny):
    return {"anonymous": None, "officer": officer, "other_officer": other_officer, "analyst": analyst,
            "administrator": administrator, "partner": partner, "scrutiny": scrutiny}


@pytest.fixture
def state(db, tmp_path, settings):
    settings.UPLOAD_STAGING_DIR = str(tmp_path / "staging")
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=100, status="provisional")
    locked = add_figure(MAIDSTONE, "asb-incidents", "2016-07", value=50)
    SignOff.objects.create(district=locked.district, period_start=locked.period_start,
                           period_end=month_end(LOCKED.window.end))


def _snapshot():
    return (sorted(Figure.objects.values_list("period_start", "value", "status", "version")),
            Figure.history.count(), SignOff.objects.count())


def _stage(user) -> str:
    """A clean preview staged in ``user``'s own session (returns the client and token)."""
    client = Client()
    client.force_login(user)
    response = client.post("/entry/upload/", {"file": SimpleUploadedFile("june.csv", csv_bytes([UPLOAD_ROW]))})
    return client, re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def _do(action: str, client: Client, person, people):
    quarter = recent_quarter()
    if action == "entry home":
        return client.get("/entry/")
    if action == "grid (Maidstone)":
        return client.get(grid_url())
    if action == "grid save (Maidstone)":
        return client.post(grid_url(), form_data(current_grid(), {"asb-incidents-2016-05": "90"}))
    if action == "grid save (signed-off quarter)":
        return client.post(grid_url(quarter=LOCKED), form_data(current_grid(quarter=LOCKED), {"asb-incidents-2016-08": "9"}))
    if action == "correction page":
        return client.get(grid_url(quarter=LOCKED, suffix="correct/"))
    if action == "correction save":
        data = form_data(current_grid(quarter=LOCKED), {"asb-incidents-2016-07": "51"}, reason="Double count removed")
        return client.post(grid_url(quarter=LOCKED, suffix="correct/"), data)
    if action == "upload page":
        return client.get("/entry/upload/")
    if action == "upload preview (Maidstone rows)":
        return client.post("/entry/upload/", {"file": SimpleUploadedFile("june.csv", csv_bytes([UPLOAD_ROW]))})
    if action == "upload confirm (own preview)":
        if person is not None and person in (people["officer"], people["analyst"], people["administrator"]):
            client, token = _stage(person)
        else:
            token = _stage(people["officer"])[1]
        return client.post("/entry/upload/confirm/", {"token": token})
    if action == "upload confirm (someone else's preview)":
        token = _stage(people["administrator"] if person == people["officer"] else people["officer"])[1]
        return client.post("/entry/upload/confirm/", {"token": token})
    if action == "template (Maidstone)":
        return client.get("/entry/template/", {"district": MAIDSTONE, "quarter": "2016-q1", "format": "csv"})
    if action == "sign-off page":
        return client.get("/entry/sign-off/")
    if action == "sign-off confirm":
        return client.post("/entry/sign-off/", {"quarter": quarter.slug, "district": MAIDSTONE, "confirm": "1"})
    if action == "completeness":
        return client.get("/entry/completeness/")
    if action == "history (Maidstone)":
        return client.get(f"/history/{MAIDSTONE}/asb-incidents/")
    if action == "sign-in page":
        return client.get("/sign-in/")
    raise AssertionError(action)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix(action, role, people, state):
    expected = MATRIX[action][role]
    client = Client()
    person = people[role]
    if person is not None:
        client.force_login(person)
    before = _snapshot()
    response = _do(action, client, person, people)
    after = _snapshot()
    if expected == SAVED:
        assert response.status_code == 302 and not response["Location"].startswith("/sign-in/"), response.status_code
        assert after != before, "a permitted write must write"
        return
    assert after == before, f"{role} {action}: nothing may be written"
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/?next=")
    elif expected == AWAY:
        assert response.status_code == 302 and not response["Location"].startswith("/sign-in/")
    else:
        assert response.status_code == int(expected), (role, action, response.status_code)
    if expected == FORBIDDEN:
        assert "You cannot do this" in response.content.decode()


def test_the_matrix_covers_every_entry_url():
    from django.urls import get_resolver

    from crimedata.urls import accounts, entry, history

    names = {p.name for module in (accounts, entry, history) for p in module.urlpatterns}
    covered = {"entry-home", "entry-grid", "entry-correct", "upload", "upload-confirm", "upload-template",
               "sign-off", "completeness", "figure-history", "login"}
    # Sign-out (POST for everyone), the signed-out page and cancelling one's own preview are open to all
    # signed-in staff and tested in test_auth_signin and test_upload_pages.
    assert names - covered == {"logout", "signed-out", "upload-cancel"}
    assert get_resolver()  # the URLconf loads


@pytest.mark.parametrize("role", ["partner", "scrutiny", "other_officer"])
def test_cancel_cannot_touch_someone_elses_preview(role, people, state):
    owner, token = _stage(people["officer"])
    client = Client()
    client.force_login(people[role])
    response = client.post("/entry/upload/cancel/", {"token": token})
    assert response.status_code in (302, 403)
    # The officer's preview is still there to confirm.
    assert owner.post("/entry/upload/confirm/", {"token": token}).status_code == 302
