"""The subscriptions page (each signed-in person's own), and the signed unsubscribe link in every email: it needs
no sign-in, works by one POST from a mail program, and a tampered link or one for a deleted account changes
nothing and says why."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from assessments.models import AlertSubscription
from crimedata import mail, roles
from crimedata.models import District, EmailOptOut
from tests.conftest import MAIDSTONE, make_user

pytestmark = pytest.mark.django_db


def follow(user, district=MAIDSTONE, category=None):
    from crimedata.models import Category

    return AlertSubscription.objects.create(
        user=user, district=District.objects.get(code=district),
        category=Category.objects.get(slug=category) if category else None)


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_signed_in_people_manage_their_own_subscriptions(client, partner):
    client.force_login(partner)
    page = client.get("/alerts/")
    assert page.status_code == 200 and "You do not follow anything yet." in page.content.decode()
    response = client.post("/alerts/", {"area": f"district:{MAIDSTONE}", "category": "robbery"})
    assert response.status_code == 302
    response = client.post("/alerts/", {"area": "group:west-kent", "category": ""})
    html = client.get("/alerts/").content.decode()
    assert "Maidstone, Robbery" in html and "West Kent (3 districts), every category" in html
    assert AlertSubscription.objects.filter(user=partner).count() == 2


@pytest.mark.parametrize(("data", "message"), [
    ({"area": "", "category": ""}, "Choose a district or a group"),
    ({"area": "district:E99999999", "category": ""}, "Choose a district or a group from the list"),
    ({"area": f"district:{MAIDSTONE}", "category": "no-such-thing"}, "Choose a category from the list, or every category"),
])
def test_a_bad_subscription_is_refused_with_a_message_and_nothing_is_added(client, partner, data, message):
    client.force_login(partner)
    response = client.post("/alerts/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not AlertSubscription.objects.exists()


def test_following_the_same_thing_twice_is_refused_and_every_category_takes_in_single_ones(client, partner):
    client.force_login(partner)
    client.post("/alerts/", {"area": f"district:{MAIDSTONE}", "category": "robbery"})
    again = client.post("/alerts/", {"area": f"district:{MAIDSTONE}", "category": "robbery"})
    assert again.status_code == 400 and "You already get alerts for robbery in Maidstone" in again.content.decode()
    client.post("/alerts/", {"area": f"district:{MAIDSTONE}", "category": ""})
    assert list(AlertSubscription.objects.values_list("category", flat=True)) == [None]
    single = client.post("/alerts/", {"area": f"district:{MAIDSTONE}", "category": "robbery"})
    assert "You already get alerts for every category in Maidstone, which includes robbery" in single.content.decode()
    assert AlertSubscription.objects.count() == 1


def test_people_remove_only_their_own_subscriptions(client, partner, scrutiny):
    mine, theirs = follow(partner), follow(scrutiny)
    client.force_login(partner)
    assert client.post(f"/alerts/{theirs.pk}/remove/").status_code == 404
    assert client.post(f"/alerts/{mine.pk}/remove/").status_code == 302
    assert list(AlertSubscription.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert client.get(f"/alerts/{theirs.pk}/remove/").status_code == 405


def test_visitors_are_asked_to_sign_in(client):
    response = client.get("/alerts/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_the_unsubscribe_link_shows_what_it_stops_and_one_post_stops_it_without_signing_in(partner):
    follow(partner)
    follow(partner, "E07000116")
    url = path_of(mail.unsubscribe_url(partner, mail.ALERTS))
    browser = Client(enforce_csrf_checks=True)  # a mail program's one-click POST carries no CSRF token
    page = browser.get(url)
    assert page.status_code == 200 and "All your alert subscriptions will be removed" in page.content.decode()
    assert AlertSubscription.objects.count() == 2  # opening the link changes nothing
    done = browser.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "You have unsubscribed" in done.content.decode()
    assert not AlertSubscription.objects.exists()
    assert "You had already unsubscribed" in browser.post(url).content.decode()


def test_unsubscribing_from_reminders_stops_them_and_the_page_can_start_them_again(client, officer):
    url = path_of(mail.unsubscribe_url(officer, mail.REMINDERS))
    Client().post(url)
    assert EmailOptOut.objects.filter(user=officer, stream="reminders").exists()
    client.force_login(officer)
    html = client.get("/alerts/").content.decode()
    assert "You unsubscribed from reminders of figures still due in a collection." in html
    client.post("/alerts/emails/", {"stream": "reminders", "action": "start"})
    assert not EmailOptOut.objects.exists()
    bad = client.post("/alerts/emails/", {"stream": "alerts", "action": "stop"})
    assert bad.status_code == 400 and not EmailOptOut.objects.exists()


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-3] + ("abc" if not t.endswith("abc") else "xyz"),  # a changed signature
    lambda t: t.replace(t.split(":")[0], t.split(":")[0][:-2] + "AA"),  # a changed payload
    lambda t: t[: len(t) // 2],  # cut short
    lambda t: "not-a-token",
])
def test_a_tampered_link_says_so_and_changes_nothing(partner, tamper):
    follow(partner)
    token = mail.unsubscribe_token(partner, mail.ALERTS)
    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/unsubscribe/{tamper(token)}/")
        assert response.status_code == 400
        assert "This unsubscribe link has been changed or cut short" in response.content.decode()
    assert AlertSubscription.objects.count() == 1


def test_a_link_for_a_deleted_account_says_so_and_changes_nothing(partner):
    gone = make_user("gone.partner", roles.PARTNER)
    token = mail.unsubscribe_token(gone, mail.ALERTS)
    follow(partner)
    gone.delete()
    response = Client().post(f"/unsubscribe/{token}/")
    assert response.status_code == 410
    assert "This unsubscribe link is for an account that no longer exists" in response.content.decode()
    assert AlertSubscription.objects.count() == 1
    # Another account later given the same username is not the one the link was for.
    make_user("gone.partner", roles.PARTNER)
    assert Client().post(f"/unsubscribe/{token}/").status_code == 410


def test_a_link_for_one_person_never_touches_anothers(partner, scrutiny):
    follow(partner)
    follow(scrutiny)
    Client().post(path_of(mail.unsubscribe_url(partner, mail.ALERTS)))
    assert list(AlertSubscription.objects.values_list("user", flat=True)) == [scrutiny.pk]


@pytest.mark.parametrize("more", [False, True])
def test_the_pages_queries_do_not_grow_with_subscriptions(client, partner, more, django_assert_max_num_queries):
    follow(partner, category="robbery")
    if more:
        for code in ("E07000116", "E07000105", "E07000106", "E07000107"):
            follow(partner, code)
    client.force_login(partner)
    client.get("/alerts/")
    with django_assert_max_num_queries(8):
        assert client.get("/alerts/").status_code == 200
    url = path_of(mail.unsubscribe_url(partner, mail.ALERTS))
    with django_assert_max_num_queries(4):
        assert Client().get(url).status_code == 200
