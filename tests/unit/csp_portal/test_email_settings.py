"""Email settings from the environment (no database): EMAIL_URL, the EMAIL_HOST family, the console default."""

import pytest

from csp_portal.email_settings import CONSOLE_BACKEND, DUMMY_BACKEND, SMTP_BACKEND, EmailSettingsError, email_settings


def test_nothing_set_prints_emails_to_the_console():
    settings = email_settings({})
    assert settings["EMAIL_BACKEND"] == CONSOLE_BACKEND and settings["EMAIL_TIMEOUT"] == 30


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://mail.kent.example:2525", {"EMAIL_HOST": "mail.kent.example", "EMAIL_PORT": 2525, "EMAIL_USE_TLS": False,
                                       "EMAIL_USE_SSL": False, "EMAIL_HOST_USER": ""}),
    ("smtp+tls://csp%40kent.example:p%40ss%3Aword@smtp.example.org", {
        "EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False,
        "EMAIL_HOST_USER": "csp@kent.example", "EMAIL_HOST_PASSWORD": "p@ss:word"}),
    ("smtps://u:p@smtp.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
    ("smtp://u:p@smtp.example.org:587/?tls=1&timeout=5", {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_TIMEOUT": 5}),
])
def test_email_url_gives_the_smtp_settings(url, expected):
    settings = email_settings({"EMAIL_URL": url, "EMAIL_HOST": "ignored.example"})
    assert settings["EMAIL_BACKEND"] == SMTP_BACKEND
    assert {key: settings[key] for key in expected} == expected


def test_console_and_dummy_urls():
    assert email_settings({"EMAIL_URL": "console://"})["EMAIL_BACKEND"] == CONSOLE_BACKEND
    assert email_settings({"EMAIL_URL": "dummy://"})["EMAIL_BACKEND"] == DUMMY_BACKEND


def test_the_email_host_family():
    settings = email_settings({"EMAIL_HOST": "smtp.example.org", "EMAIL_HOST_USER": "csp", "EMAIL_HOST_PASSWORD": "s",
                               "EMAIL_USE_TLS": "1"})
    assert (settings["EMAIL_BACKEND"], settings["EMAIL_PORT"], settings["EMAIL_USE_TLS"]) == (SMTP_BACKEND, 587, True)
    assert (settings["EMAIL_HOST_USER"], settings["EMAIL_HOST_PASSWORD"]) == ("csp", "s")
    assert email_settings({"EMAIL_HOST": "h", "EMAIL_PORT": "25"})["EMAIL_PORT"] == 25


@pytest.mark.parametrize(("env", "message"), [
    ({"EMAIL_URL": "http://mail.example.org"}, "EMAIL_URL must start with smtp://"),
    ({"EMAIL_URL": "smtp://"}, "EMAIL_URL names no mail server"),
    ({"EMAIL_URL": "smtp+tls://h/?ssl=1"}, "both STARTTLS and SSL"),
    ({"EMAIL_URL": "smtp://h:99999"}, "port that is not a number"),
    ({"EMAIL_HOST": "h", "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT='twenty-five': use a whole number"),
    ({"EMAIL_HOST": "h", "EMAIL_USE_TLS": "maybe"}, "EMAIL_USE_TLS='maybe': use 1 or 0"),
    ({"EMAIL_HOST": "h", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "choose one"),
    ({"EMAIL_TIMEOUT": "0"}, "use a whole number above 0"),
])
def test_a_setting_that_cannot_be_used_is_refused_naming_it(env, message):
    with pytest.raises(EmailSettingsError, match=message.replace("(", r"\(").replace("'", "'")):
        email_settings(env)
