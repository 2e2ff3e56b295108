"""Reminder emails, sent through a real SMTP server on 127.0.0.1: who gets what, nothing for what is complete,
nothing twice, the record of every email, and the unsubscribe link and header."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from crimedata import mail, roles
from crimedata.collections import WindowRequest, save_window
from crimedata.entry import Quarter
from crimedata.models import EmailOptOut, SentEmail
from crimedata.reminders import send_due_reminders
from crimedata.selectors import reference_data
from crimedata.services import bump_data_generation
from tests.conftest import ASHFORD, MAIDSTONE, TUNBRIDGE_WELLS, add_figure, make_user
from tests.integration.mail_support import smtp_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

Q1 = Quarter(2016, 1)  # April to June 2016
CLOSES = dt.date(2016, 7, 31)
WEEK_BEFORE = dt.date(2016, 7, 24)


def person(username, role, codes=(), email=True):
    user = make_user(username, role, codes)
    if email:
        user.email = f"{username}@kent.example.gov.uk"
        user.save()
    return user


@pytest.fixture
def team(db):
    return {
        "maidstone": person("maidstone.officer", roles.OFFICER, [MAIDSTONE]),
        "both": person("west.officer", roles.OFFICER, [MAIDSTONE, TUNBRIDGE_WELLS]),
        "ashford": person("ashford.officer", roles.OFFICER, [ASHFORD]),
        "tw": person("tw.officer", roles.OFFICER, [TUNBRIDGE_WELLS]),
        "noemail": person("quiet.officer", roles.OFFICER, [MAIDSTONE], email=False),
        "analyst": person("county.analyst", roles.ANALYST),
        "other_analyst": person("second.analyst", roles.ANALYST),
        "partner": person("police.partner", roles.PARTNER),
    }


@pytest.fixture
def window(team):
    pk = save_window(WindowRequest(
        quarter=Q1, opens_on=dt.date(2016, 7, 1), closes_on=CLOSES,
        category_slugs=("asb-incidents", "marac-cases"), district_codes=(MAIDSTONE, TUNBRIDGE_WELLS, ASHFORD),
    ), user=team["analyst"], ref=reference_data())
    # Ashford has everything; Tunbridge Wells has April's ASB; Maidstone has nothing.
    for month in ("2016-04", "2016-05", "2016-06"):
        add_figure(ASHFORD, "asb-incidents", month, value=80)
    add_figure(ASHFORD, "marac-cases", "2016-04", "2016-06", value=7)
    add_figure(TUNBRIDGE_WELLS, "asb-incidents", "2016-04", value=60)
    bump_data_generation()
    return pk


def test_each_officer_with_figures_missing_gets_exactly_what_is_missing_with_links(smtp_server, team, window):
    report = send_due_reminders(WEEK_BEFORE)
    assert report.failed == 0 and report.sent == 4  # 3 officers (a fourth has no address) and the analyst's summary
    assert smtp_server.to("ashford.officer@kent.example.gov.uk") == []  # Ashford is complete
    assert smtp_server.to("second.analyst@kent.example.gov.uk") == []  # only the analyst who opened it

    [maidstone] = smtp_server.to("maidstone.officer@kent.example.gov.uk")
    assert maidstone.subject == "Q1 2016/17 figures for Maidstone are due by 31 July 2016"
    assert maidstone.header("From") == "CSP Portal <no-reply@csp.example.gov.uk>"
    text = maidstone.text
    assert "closes on Sunday 31 July 2016 (in 7 days)" in text
    assert "Maidstone (0 of 4 figures entered):" in text
    for item in ("Anti-social behaviour incidents: April 2016", "Anti-social behaviour incidents: May 2016",
                 "Anti-social behaviour incidents: June 2016", "MARAC cases: quarter total (April 2016 to June 2016)"):
        assert f"  - {item}\n" in text
        assert f"<li>{item}</li>" in maidstone.html
    assert "https://csp.example.gov.uk/entry/E07000110/2016-q1/" in text
    assert 'href="https://csp.example.gov.uk/entry/E07000110/2016-q1/"' in maidstone.html
    assert "Why you got this email: you are a community safety officer for Maidstone" in text
    assert "Tunbridge Wells" not in text

    [tw] = smtp_server.to("tw.officer@kent.example.gov.uk")
    assert "Tunbridge Wells (1 of 4 figures entered)" in tw.text
    assert "Anti-social behaviour incidents: April 2016" not in tw.text  # entered

    [both] = smtp_server.to("west.officer@kent.example.gov.uk")  # one email for two districts
    assert both.subject == "Q1 2016/17 figures for Maidstone and Tunbridge Wells are due by 31 July 2016"
    assert "Maidstone (0 of 4" in both.text and "Tunbridge Wells (1 of 4" in both.text

    [summary] = smtp_server.to("county.analyst@kent.example.gov.uk")
    assert summary.subject == "Q1 2016/17 collection: 2 of 3 districts still have figures missing"
    assert "Reminded: maidstone.officer, west.officer" in summary.text
    assert "Complete: Ashford." in summary.text
    assert "https://csp.example.gov.uk/entry/windows/" in summary.text


def test_every_email_has_the_unsubscribe_link_and_header_and_says_why(smtp_server, team, window):
    send_due_reminders(WEEK_BEFORE)
    for received in smtp_server.messages:
        link = received.header("List-Unsubscribe")
        assert link.startswith("<https://csp.example.gov.uk/unsubscribe/") and link.endswith("/>")
        assert received.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
        assert link[1:-1] in received.text and link[1:-1] in received.html
        assert "Why you got this email:" in received.text and "Why you got this email:" in received.html
        assert received.message.get_content_type() == "multipart/alternative"


def test_nothing_is_sent_twice_and_every_email_is_recorded(smtp_server, team, window):
    first = send_due_reminders(WEEK_BEFORE)
    again = send_due_reminders(WEEK_BEFORE)
    later = send_due_reminders(dt.date(2016, 7, 27))  # another day in the same week
    assert (first.sent, again.sent, later.sent) == (4, 0, 0)
    assert again.already_sent == 4 and later.already_sent == 4
    assert len(smtp_server.messages) == 4
    records = SentEmail.objects.order_by("to_address")
    assert records.count() == 4 and all(r.status == SentEmail.STATUS_SENT and r.sent_at for r in records)
    maidstone = records.get(user=team["maidstone"])
    assert maidstone.stream == "reminders" and maidstone.key == f"window-{window}:2016-07-31:week-before"
    assert maidstone.to_address == "maidstone.officer@kent.example.gov.uk"
    assert "Anti-social behaviour incidents: April 2016" in maidstone.body
    assert records.get(user=team["analyst"]).stream == "summaries"
    # On the closing day each gets the second reminder, once.
    closing = send_due_reminders(CLOSES)
    assert closing.sent == 4 and send_due_reminders(CLOSES).sent == 0
    assert smtp_server.to("maidstone.officer@kent.example.gov.uk")[-1].subject == (
        "Due today: Q1 2016/17 figures for Maidstone")


def test_no_reminder_outside_the_week_before_and_the_closing_day(smtp_server, team, window):
    for day in (dt.date(2016, 7, 10), dt.date(2016, 7, 23), dt.date(2016, 8, 1)):
        report = send_due_reminders(day)
        assert report.sent == 0
    assert smtp_server.messages == []


def test_nothing_at_all_when_every_district_is_complete(smtp_server, team, window):
    for code in (MAIDSTONE, TUNBRIDGE_WELLS):
        for month in ("2016-04", "2016-05", "2016-06"):
            if (code, month) != (TUNBRIDGE_WELLS, "2016-04"):
                add_figure(code, "asb-incidents", month, value=1)
        add_figure(code, "marac-cases", "2016-04", "2016-06", value=0)  # a real 0 counts as entered
    bump_data_generation()
    report = send_due_reminders(WEEK_BEFORE)
    assert report.sent == 0 and smtp_server.messages == []
    assert any("every district is complete" in n for n in report.notes)


def test_a_district_completed_after_the_first_reminder_gets_no_second(smtp_server, team, window):
    send_due_reminders(WEEK_BEFORE)
    for month in ("2016-05", "2016-06"):
        add_figure(TUNBRIDGE_WELLS, "asb-incidents", month, value=1)
    add_figure(TUNBRIDGE_WELLS, "marac-cases", "2016-04", "2016-06", value=3)
    bump_data_generation()
    smtp_server.clear()
    send_due_reminders(CLOSES)
    assert smtp_server.to("tw.officer@kent.example.gov.uk") == []
    [both] = smtp_server.to("west.officer@kent.example.gov.uk")
    assert "Maidstone" in both.subject and "Tunbridge Wells" not in both.subject


def test_someone_who_unsubscribed_gets_no_reminders_and_the_analyst_is_told(smtp_server, team, window):
    mail.opt_out(team["maidstone"], mail.REMINDERS)
    send_due_reminders(WEEK_BEFORE)
    assert smtp_server.to("maidstone.officer@kent.example.gov.uk") == []
    assert len(smtp_server.to("west.officer@kent.example.gov.uk")) == 1


def test_when_the_opener_is_gone_every_county_analyst_gets_the_summary(smtp_server, team, window):
    team["analyst"].delete()
    send_due_reminders(WEEK_BEFORE)
    assert len(smtp_server.to("second.analyst@kent.example.gov.uk")) == 1


def test_a_failed_send_is_recorded_and_retried_on_the_next_run(smtp_server, team, window, settings):
    settings.EMAIL_PORT = 1  # nothing listens there
    failed = send_due_reminders(WEEK_BEFORE)
    assert failed.failed == 4 and failed.sent == 0
    assert set(SentEmail.objects.values_list("status", flat=True)) == {SentEmail.STATUS_FAILED}
    assert SentEmail.objects.exclude(error="").count() == 4
    settings.EMAIL_PORT = smtp_server.port
    retried = send_due_reminders(WEEK_BEFORE)
    assert retried.sent == 4 and len(smtp_server.messages) == 4
    assert set(SentEmail.objects.values_list("status", flat=True)) == {SentEmail.STATUS_SENT}


def test_the_command_reports_and_a_dry_run_sends_nothing(smtp_server, team, window, capsys):
    call_command("send_reminders", "--date", "2016-07-24", "--dry-run")
    out = capsys.readouterr().out
    assert "4 emails would be sent" in out and smtp_server.messages == [] and not SentEmail.objects.exists()
    assert "nobody to remind" not in out
    call_command("send_reminders", "--date", "2016-07-24")
    assert "4 sent, 0 already sent before" in capsys.readouterr().out
    call_command("send_reminders", "--date", "2016-07-24")
    assert "0 sent, 4 already sent before" in capsys.readouterr().out
    assert len(smtp_server.messages) == 4


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--date must be a date written YYYY-MM-DD"):
        call_command("send_reminders", "--date", "31/07/2016")


def test_a_district_with_nobody_to_remind_is_named_in_the_summary(smtp_server, team, window):
    User.objects.filter(username__in=["maidstone.officer", "west.officer", "quiet.officer"]).update(is_active=False)
    report = send_due_reminders(WEEK_BEFORE)
    assert any("nobody to remind for Maidstone" in n for n in report.notes)
    [summary] = smtp_server.to("county.analyst@kent.example.gov.uk")
    assert "Nobody reminded: no community safety officer is set up for it" in summary.text
    assert not EmailOptOut.objects.exists()
