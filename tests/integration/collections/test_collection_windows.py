"""Collection windows through the pages: opening one, refusing bad ones, what officers see is due, progress on
the completeness and window pages, who is late, and queries that do not grow with the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from crimedata.collections import WindowRequest, save_window
from crimedata.entry import latest_ended_quarter
from crimedata.models import CollectionWindow, SignOff
from crimedata.models import District
from crimedata.periods import month_end, month_label, month_start
from crimedata.services import bump_data_generation
from crimedata.selectors import reference_data
from tests.conftest import ASHFORD, MAIDSTONE, TUNBRIDGE_WELLS, add_figure
from tests.integration.entry_support import month_text

pytestmark = pytest.mark.django_db


def dates(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def form(quarter, opens: dt.date, closes: dt.date, categories=("asb-incidents", "marac-cases"),
         districts=(MAIDSTONE, TUNBRIDGE_WELLS), note="") -> dict:
    return {"quarter": quarter.slug, **dates("opens_on", opens), **dates("closes_on", closes),
            "categories": list(categories), "districts": list(districts), "note": note}


@pytest.fixture
def quarter():
    return latest_ended_quarter(timezone.localdate())


def open_window(quarter, analyst, *, opens=None, closes=None, categories=("asb-incidents", "marac-cases"),
                districts=(MAIDSTONE, TUNBRIDGE_WELLS), note="") -> int:
    today = timezone.localdate()
    return save_window(WindowRequest(
        quarter=quarter, opens_on=opens or today - dt.timedelta(days=5), closes_on=closes or today + dt.timedelta(days=3),
        category_slugs=tuple(categories), district_codes=tuple(districts), note=note,
    ), user=analyst, ref=reference_data())


def fill(code, quarter, slugs=("asb-incidents", "marac-cases")):
    w = quarter.window
    if "asb-incidents" in slugs:
        for month in range(w.start, w.end + 1):
            add_figure(code, "asb-incidents", month_text(month), value=50)
    if "marac-cases" in slugs:
        add_figure(code, "marac-cases", month_text(w.start), month_text(w.end), value=9)
    bump_data_generation()  # as every write through crimedata.services does


def test_an_analyst_opens_a_window_and_its_page_shows_each_districts_progress(client, analyst, quarter):
    today = timezone.localdate()
    client.force_login(analyst)
    page = client.get("/entry/windows/new/")
    assert page.status_code == 200 and "Open a collection window" in page.content.decode()
    response = client.post("/entry/windows/new/", form(quarter, today - dt.timedelta(days=2),
                                                       today + dt.timedelta(days=10), note="Ask Sam about MARAC"))
    window = CollectionWindow.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/entry/windows/{window.pk}/"
    assert window.created_by == analyst and window.history.count() == 1
    assert "categories asb-incidents, marac-cases" in window.history.first().history_change_reason
    html = client.get(response["Location"]).content.decode()
    assert f"{quarter.short_label} figures" in html
    assert "0 of 2 districts complete" in html
    assert f"Anti-social behaviour incidents: {month_label(quarter.window.start)}" in html
    assert "MARAC cases: quarter total" in html
    assert "Ask Sam about MARAC" in html


@pytest.mark.parametrize(("change", "message", "field"), [
    ({"categories": []}, "Choose at least one category to collect", "#id_categories_0"),
    ({"districts": []}, "Choose at least one district to collect from", "#id_districts_0"),
    ("closes-before-opens", "The closing date must be on or after the opening date", "#id_closes_on_day"),
    ({"opens_on_day": "31", "opens_on_month": "2"}, "The opening date must be a real date", "#id_opens_on_day"),
    ({"closes_on_year": ""}, "The closing date must include a year", "#id_closes_on_day"),
    ({"quarter": "2099-q9"}, "Choose a quarter from the list", "#id_quarter"),
    ({"categories": ["all-crime"]}, "Choose categories from the list", "#id_categories_0"),
])
def test_a_bad_window_gets_a_specific_message_linked_to_its_field_and_nothing_is_saved(client, analyst, quarter,
                                                                                         change, message, field):
    today = timezone.localdate()
    data = form(quarter, today, today + dt.timedelta(days=10))
    if change == "closes-before-opens":
        data.update(dates("opens_on", today + dt.timedelta(days=20)))
    else:
        data.update(change)
    client.force_login(analyst)
    response = client.post("/entry/windows/new/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and f'href="{field}"' in html
    assert CollectionWindow.objects.count() == 0


def test_an_overlapping_window_is_refused_naming_the_other_and_nothing_changes(client, analyst, quarter):
    first = open_window(quarter, analyst)
    today = timezone.localdate()
    client.force_login(analyst)
    response = client.post("/entry/windows/new/", form(quarter, today, today + dt.timedelta(days=20),
                                                       categories=("asb-incidents",), districts=(MAIDSTONE,)))
    html = response.content.decode()
    assert response.status_code == 400
    assert "These dates overlap another window for" in html and "which already asks Maidstone for Anti-social" in html
    assert list(CollectionWindow.objects.values_list("pk", flat=True)) == [first]
    # Another district or category at the same time is a different collection, and is fine.
    ok = client.post("/entry/windows/new/", form(quarter, today, today + dt.timedelta(days=20),
                                                 categories=("asb-incidents",), districts=(ASHFORD,)))
    assert ok.status_code == 302 and CollectionWindow.objects.count() == 2


def test_changing_a_window_keeps_its_history_and_is_checked_like_a_new_one(client, analyst, quarter):
    pk = open_window(quarter, analyst)
    today = timezone.localdate()
    client.force_login(analyst)
    assert client.get(f"/entry/windows/{pk}/edit/").status_code == 200
    bad = client.post(f"/entry/windows/{pk}/edit/", form(quarter, today, today - dt.timedelta(days=1)))
    assert bad.status_code == 400 and "The closing date must be on or after the opening date" in bad.content.decode()
    good = client.post(f"/entry/windows/{pk}/edit/", form(quarter, today, today + dt.timedelta(days=30),
                                                         categories=("marac-cases",)))
    assert good.status_code == 302
    window = CollectionWindow.objects.get(pk=pk)
    assert window.closes_on == today + dt.timedelta(days=30)
    assert list(window.categories.values_list("slug", flat=True)) == ["marac-cases"]
    assert window.history.count() == 2 and window.history.first().history_user == analyst


def test_officers_cannot_open_or_change_windows(client, officer, analyst, quarter):
    pk = open_window(quarter, analyst)
    client.force_login(officer)
    assert client.get("/entry/windows/new/").status_code == 403
    today = timezone.localdate()
    assert client.post("/entry/windows/new/", form(quarter, today, today + dt.timedelta(days=9))).status_code == 403
    assert client.post(f"/entry/windows/{pk}/edit/", form(quarter, today, today + dt.timedelta(days=9))).status_code == 403
    assert CollectionWindow.objects.count() == 1
    assert client.get(f"/entry/windows/{pk}/").status_code == 200  # progress is for every member of staff


def test_the_officer_sees_on_entry_what_is_due_by_when_and_exactly_what_is_missing(client, officer, analyst, quarter):
    open_window(quarter, analyst, note="Ring the county team with questions")
    w = quarter.window
    add_figure(MAIDSTONE, "asb-incidents", month_text(w.start), value=12)
    bump_data_generation()
    client.force_login(officer)
    html = client.get("/entry/").content.decode()
    assert "Due from Maidstone" in html and f"{quarter.short_label} figures" in html
    assert "(in 3 days)" in html
    assert "1 of 4 figures entered" in html
    for month in (w.start + 1, w.end):
        assert f"Anti-social behaviour incidents: {month_label(month)}" in html
    assert f"Anti-social behaviour incidents: {month_label(w.start)}</li>" not in html
    assert "MARAC cases: quarter total" in html
    assert f'href="/entry/{MAIDSTONE}/{quarter.slug}/"' in html
    assert "Ring the county team with questions" in html
    assert "Tunbridge Wells" not in html  # not the officer's district


def test_a_complete_district_shows_nothing_missing_and_a_closed_window_only_while_someone_is_late(
        client, officer, analyst, quarter):
    today = timezone.localdate()
    pk = open_window(quarter, analyst, opens=today - dt.timedelta(days=20), closes=today - dt.timedelta(days=1))
    client.force_login(officer)
    html = client.get("/entry/").content.decode()
    assert "Late" in html and "Closed on" in html
    fill(MAIDSTONE, quarter)
    html = client.get("/entry/").content.decode()
    assert f"due-{pk}" not in html  # complete: a closed window no longer shows
    client.force_login(analyst)
    page = client.get(f"/entry/windows/{pk}/").content.decode()
    assert "1 district is late: Tunbridge Wells." in page


def test_a_signed_off_quarter_is_complete_for_the_window(client, officer, analyst, quarter):
    pk = open_window(quarter, analyst)
    for code in (MAIDSTONE, TUNBRIDGE_WELLS):
        SignOff.objects.create(district=District.objects.get(code=code), period_start=month_start(quarter.window.start),
                               period_end=month_end(quarter.window.end))
    bump_data_generation()
    client.force_login(analyst)
    html = client.get(f"/entry/windows/{pk}/").content.decode()
    assert "2 of 2 districts complete" in html and "Signed off" in html


def test_the_completeness_page_shows_each_windows_progress_and_who_is_late(client, analyst, quarter):
    today = timezone.localdate()
    pk = open_window(quarter, analyst, opens=today - dt.timedelta(days=20), closes=today - dt.timedelta(days=2))
    fill(TUNBRIDGE_WELLS, quarter)
    client.force_login(analyst)
    html = client.get("/entry/completeness/", {"year": quarter.year}).content.decode()
    assert f'href="/entry/windows/{pk}/"' in html
    assert "1 of 2 districts complete; late: Maidstone." in html


def test_the_window_list_shows_every_window(client, officer, analyst, quarter):
    open_window(quarter, analyst)
    client.force_login(officer)
    html = client.get("/entry/windows/").content.decode()
    assert f"{quarter.short_label} figures" in html and "0 of 2 districts complete" in html
    assert "Open a collection window" not in html  # officers read; analysts open


@pytest.mark.parametrize("more_data", [False, True])
def test_window_pages_queries_do_not_grow_with_windows_or_figures(client, officer, analyst, quarter, more_data,
                                                                   django_assert_max_num_queries):
    pk = open_window(quarter, analyst)
    if more_data:
        for back in range(1, 6):
            q = quarter.shifted(-back)
            open_window(q, analyst, districts=(MAIDSTONE, ASHFORD))
            fill(MAIDSTONE, q)
            fill(ASHFORD, q, ("asb-incidents",))
    for person, url, bound in ((officer, "/entry/", 8), (analyst, "/entry/", 8), (analyst, "/entry/completeness/", 6),
                               (analyst, f"/entry/windows/{pk}/", 8), (officer, "/entry/windows/", 6),
                               (analyst, "/entry/windows/new/", 6)):
        client.force_login(person)
        client.get(url)  # warm the caches, as any visit after the first
        with django_assert_max_num_queries(bound, info=url):
            assert client.get(url).status_code == 200
