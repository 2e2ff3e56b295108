"""A quarter's alerts, worked out from stored figures and sent through a real SMTP server on 127.0.0.1: each rule,
the links to the pages that show them, once only, who may see what (provisional figures, small numbers)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.alerts.sending import released_quarter, send_quarter_alerts
from assessments.models import AlertSubscription
from crimedata import reference, roles
from crimedata.entry import Quarter
from crimedata.models import Category, ComparisonGroup, District, Figure, SentEmail, SignOff
from crimedata.periods import month_end, month_start, parse_month
from crimedata.selectors import reference_data
from crimedata.services import bump_data_generation
from tests.comparison_data import MAIDSTONE, add_monthly, add_populations
from tests.conftest import make_user
from tests.integration.mail_support import smtp_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

Q3 = Quarter(2016, 3)  # October to December 2016
TODAY = dt.date(2017, 2, 1)
EVERY = [d.code for d in reference.DISTRICTS]
SITE = "https://csp.example.gov.uk"


def robbery(code, slug, month):
    """20 to 22 a month everywhere; Maidstone's last quarter jumps (40, 40, 60)."""
    if code == MAIDSTONE and month >= parse_month("2016-10"):
        return {parse_month("2016-10"): 40, parse_month("2016-11"): 40}.get(month, 60)
    return 20 + month % 3


@pytest.fixture
def figures(db):
    add_populations(2010, 2020, codes=EVERY)
    add_monthly(EVERY, ["robbery"], "2014-01", "2016-12", robbery)


def subscriber(username, role, codes=(), *, district=None, group=None, category=None):
    user = make_user(username, role, codes)
    user.email = f"{username}@example.org"
    user.save()
    AlertSubscription.objects.create(
        user=user, district=District.objects.get(code=district) if district else None,
        group=ComparisonGroup.objects.get(slug=group) if group else None,
        category=Category.objects.get(slug=category) if category else None)
    return user


def sign_off(quarter=Q3):
    for district in District.objects.all():
        SignOff.objects.create(district=district, period_start=month_start(quarter.window.start),
                               period_end=month_end(quarter.window.end))
    bump_data_generation()


def test_a_released_quarter_sends_each_subscriber_every_rule_once_with_links(smtp_server, figures, client):
    partner = subscriber("partner", roles.PARTNER, district=MAIDSTONE, category="robbery")
    assert released_quarter(reference_data(), TODAY) is None
    assert send_quarter_alerts(today=TODAY).sent == 0  # nothing released yet
    sign_off()
    assert released_quarter(reference_data(), TODAY) == Q3
    report = send_quarter_alerts(today=TODAY)
    assert report.sent == 1 and report.failed == 0
    [email] = smtp_server.to("partner@example.org")
    assert email.subject == "Q3 2016/17: 4 alerts for the figures you follow"
    text = email.text
    assert "Robbery in Maidstone, December 2016: 60 crimes. That is special cause variation showing a concern on " \
           "the SPC chart: above the upper control limit." in text
    assert "Robbery in Maidstone: 329 crimes in the 12 months to December 2016, up from 252 a year earlier (+30.6%). " \
           "That is a statistically significant rise, a deterioration." in text
    assert re.search(r"Maidstone moved from (joint )?\d+(st|nd|rd|th) to 12th of 12 Kent areas for robbery in the 12 months "
                     r"to December 2016, compared with a year earlier \(1 = the lowest rate per 1,000 residents, so "
                     r"this is worse\); the change in its figures on a year earlier is statistically significant\.", text)
    assert "Maidstone is now significantly worse than Kent for robbery: 3.1 per 1,000 residents in the 12 months to " \
           "December 2016" in text and "In the 12 months to September 2016 it was similar to Kent." in text
    assert "Why you got this email: you subscribed to alerts for Maidstone, Robbery." in text
    spc_link = f"{SITE}/spc/{MAIDSTONE}/robbery/?grain=month"
    compare_link = f"{SITE}/compare/robbery/?end=2016-12&months=12&group=kent&highlight={MAIDSTONE}"
    assert spc_link in text and compare_link in text
    assert f'href="{spc_link}"' in email.html and f'href="{compare_link.replace("&", "&amp;")}"' in email.html
    assert email.header("List-Unsubscribe").startswith(f"<{SITE}/unsubscribe/")
    assert email.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    # Every link opens, for this reader, the page that shows the alert.
    client.force_login(partner)
    spc_page = client.get(spc_link.removeprefix(SITE)).content.decode()
    assert "Special cause: concern" in spc_page and "December 2016" in spc_page
    compare_page = client.get(compare_link.removeprefix(SITE)).content.decode()
    assert "significant rise" in compare_page and "Significantly worse than Kent" in compare_page
    # Nothing twice, and the email is on record.
    again = send_quarter_alerts(today=TODAY)
    assert again.sent == 0 and again.already_sent == 1 and len(smtp_server.messages) == 1
    record = SentEmail.objects.get()
    assert (record.user, record.stream, record.key, record.status) == (partner, "alerts", "alerts:2016-q3", "sent")
    assert record.subject == email.subject and "statistically significant rise" in record.body


def test_a_group_subscription_compares_within_the_group_and_nothing_is_said_twice(smtp_server, figures):
    subscriber("partner", roles.PARTNER, group="west-division")
    AlertSubscription.objects.create(user=AlertSubscription.objects.get().user,
                                     district=District.objects.get(code=MAIDSTONE))
    send_quarter_alerts(Q3, today=TODAY)
    [email] = smtp_server.to("partner@example.org")
    text = email.text
    assert "now significantly worse than Kent Police West Division for robbery" in text
    assert "now significantly worse than Kent for robbery" in text  # the district's own group too
    assert text.count("statistically significant rise, a deterioration") == 1  # the same change, once
    assert text.count("special cause variation showing a concern") == 1
    assert "Kent Police West Division (4 districts), every category" in text


def test_nobody_gets_a_provisional_figure_they_may_not_see(smtp_server, figures):
    Figure.objects.filter(district__code=MAIDSTONE, period_start=dt.date(2016, 12, 1)).update(status="provisional")
    bump_data_generation()
    subscriber("partner", roles.PARTNER, district=MAIDSTONE)
    subscriber("councillor", roles.SCRUTINY, district=MAIDSTONE)
    send_quarter_alerts(Q3, today=TODAY)  # on demand: the quarter is not signed off
    [partner] = smtp_server.to("partner@example.org")
    assert "December 2016: 60 crimes (provisional)" in partner.text
    assert "up from 252 a year earlier (+30.6%) (provisional)" in partner.text
    [councillor] = smtp_server.to("councillor@example.org")
    assert "provisional" not in councillor.text.lower()
    assert "December 2016:" not in councillor.text and "60 crimes" not in councillor.text
    assert "12 months to December 2016" not in councillor.text
    assert "329" not in councillor.text  # the 12 months to December need a provisional month: no comparison alerts
    assert "November 2016: 40 crimes. That is special cause variation showing a concern" in councillor.text


@pytest.fixture
def alcohol(db):
    """Quarterly admissions (counts of 1 to 4 are not published): Maidstone 3 in the year to December 2015, 40 after."""
    add_populations(2010, 2020, codes=EVERY)
    districts = dict(District.objects.values_list("code", "id"))
    category = Category.objects.get(slug="alcohol-hospital-admissions")
    rows = []
    for end in range(parse_month("2014-03"), parse_month("2016-12") + 1, 3):
        for code in EVERY:
            value = 30
            if code == MAIDSTONE:
                value = 10 if end > parse_month("2015-12") else (1 if end % 2 else 0)
            rows.append(Figure(district_id=districts[code], category=category, period_start=month_start(end - 2),
                               period_end=month_end(end), value=value, status="final", source="command"))
    Figure.objects.bulk_create(rows)
    bump_data_generation()


def test_small_numbers_are_withheld_from_alerts_exactly_as_on_the_page(smtp_server, alcohol, client):
    partner = subscriber("partner", roles.PARTNER, district=MAIDSTONE, category="alcohol-hospital-admissions")
    subscriber("analyst", roles.ANALYST, district=MAIDSTONE, category="alcohol-hospital-admissions")
    send_quarter_alerts(Q3, today=TODAY)
    # The page hides last year's small count from partners, so the change and the position built on it ...
    client.force_login(partner)
    page = client.get(f"/compare/alcohol-hospital-admissions/?end=2016-12&months=12&group=kent"
                      f"&highlight={MAIDSTONE}").content.decode()
    assert "&lt;5" in page
    # ... and the alerts say nothing at all to the partner; the analyst, who sees true values, is told.
    assert smtp_server.to("partner@example.org") == []
    [analyst] = smtp_server.to("analyst@example.org")
    assert "Alcohol-specific hospital admissions in Maidstone: 40 admissions in the 12 months to December 2016, " \
           "up from 2 a year earlier" in analyst.text


def test_on_demand_and_the_command(smtp_server, figures, capsys):
    subscriber("partner", roles.PARTNER, district=MAIDSTONE, category="robbery")
    call_command("send_alerts", "--quarter", "2016-q3", "--dry-run")
    out = capsys.readouterr().out
    assert "1 email would be sent" in out and smtp_server.messages == []
    call_command("send_alerts", "--quarter", "2016-q3")
    assert "1 sent, 0 already sent before" in capsys.readouterr().out
    call_command("send_alerts", "--quarter", "2016-q3")
    assert "0 sent, 1 already sent before" in capsys.readouterr().out
    assert len(smtp_server.messages) == 1
    with pytest.raises(CommandError, match="--quarter must be a financial-year quarter written as YYYY-qN"):
        call_command("send_alerts", "--quarter", "Q3")


def test_no_email_when_there_is_nothing_to_report_or_no_address(smtp_server, figures):
    subscriber("quiet", roles.PARTNER, district="E07000105", category="robbery")  # Ashford: nothing moved
    nobody = subscriber("noaddress", roles.PARTNER, district=MAIDSTONE)
    nobody.email = ""
    nobody.save()
    report = send_quarter_alerts(Q3, today=TODAY)
    assert report.sent == 0 and smtp_server.messages == [] and not SentEmail.objects.exists()
    assert any("noaddress has no email address" in n for n in report.notes)

