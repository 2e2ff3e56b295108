"""Sign-in and sign-out through the real forms, account lockout (django-axes), passwords, CSRF."""

import os
import re
import subprocess
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import ROOT, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"  # tests.conftest.make_user


def sign_in(client, username, password, **extra):
    return client.post("/sign-in/", {"username": username, "password": password, **extra}, REMOTE_ADDR="10.0.0.7")


def test_the_sign_in_page_is_a_govuk_form_with_csrf(client):
    html = client.get("/sign-in/").content.decode()
    assert '<h1 class="govuk-heading-xl">Sign in</h1>' in html
    assert 'autocomplete="current-password"' in html and "csrfmiddlewaretoken" in html


def test_signing_in_through_the_form(client, officer):
    response = sign_in(client, "maidstone.officer", PASSWORD, next="/entry/")
    assert response.status_code == 302 and response["Location"] == "/entry/"
    assert client.get("/entry/").status_code == 200
    # Signed-in people asking for the sign-in page go on to the site.
    assert client.get("/sign-in/").status_code == 302


def test_a_protected_page_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/entry/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/?next=/entry/"


def test_a_wrong_password_gets_one_plain_message(client, officer):
    response = sign_in(client, "maidstone.officer", "wrong-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert ("The username or password is not right. Check them and try again. After 5 unsuccessful attempts the "
            "account is locked for 30 minutes.") in html
    assert 'class="govuk-error-summary"' in html and html.count("<title>Error: Sign in") == 1


def test_blank_fields_are_named(client):
    html = sign_in(client, "", "").content.decode()
    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html


def test_the_account_locks_after_five_failures_even_for_the_right_password(client, officer):
    for _ in range(5):
        sign_in(client, "maidstone.officer", "not-my-password")
    response = sign_in(client, "maidstone.officer", PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Your account is locked for now" in html and "it is locked for 30 minutes" in html
    assert client.get("/entry/").status_code == 302  # not signed in
    # Locked on username and address together: a colleague in the same office can still sign in.
    make_user("colleague", "Community safety officer", ["E07000110"])
    assert sign_in(Client(), "colleague", PASSWORD).status_code == 302


def test_four_failures_then_success_resets_the_count(client, officer):
    for _ in range(4):
        sign_in(client, "maidstone.officer", "not-my-password")
    assert sign_in(client, "maidstone.officer", PASSWORD).status_code == 302
    client.post("/sign-out/")
    for _ in range(4):
        sign_in(client, "maidstone.officer", "not-my-password")
    assert sign_in(client, "maidstone.officer", PASSWORD).status_code == 302


def test_signing_out_is_a_post(client, officer):
    client.force_login(officer)
    assert client.get("/sign-out/").status_code == 405
    response = client.post("/sign-out/")
    assert response.status_code == 302 and response["Location"] == "/signed-out/"
    assert "You have signed out" in client.get("/signed-out/").content.decode()
    assert client.get("/entry/").status_code == 302


def test_sign_out_needs_the_csrf_token(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.post("/sign-out/").status_code == 403
    assert client.get("/entry/").status_code == 200


@pytest.mark.parametrize("password", ["short", "password1234", "12345678901234", "maidstone.officer1"])
def test_weak_passwords_are_refused(officer, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=officer)
    validate_password("kent-partnership-quarterly-returns", user=officer)


def test_session_and_csrf_cookies_are_secure_in_production():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "csp.example.gov.uk"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = ("import csp_portal.settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.AXES_FAILURE_LIMIT)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True", "5"]


def test_every_form_on_the_entry_pages_carries_a_csrf_token(client, administrator):
    client.force_login(administrator)
    pages = ["/entry/", "/entry/E07000110/2016-q1/", "/entry/upload/", "/entry/sign-off/", "/entry/completeness/",
             "/history/E07000110/asb-incidents/"]
    for url in pages:
        html = client.get(url).content.decode()
        for form in re.findall(r"<form\b[^>]*>.*?</form>", html, re.S):
            if re.search(r'method="post"', form.split(">")[0], re.I):
                assert "csrfmiddlewaretoken" in form, (url, form[:200])
