"""Sending a quarter's alerts: once a quarter when the quarter is released, or on demand.

A quarter is *released* when it is signed off for every district (``crimedata.signoff``): its figures are
final and locked, so the alerts describe figures that will not move. ``send_quarter_alerts()`` with no
quarter sends the latest released quarter's alerts, so the ``send_alerts`` command can run every day from
cron and sends each quarter's alerts the first day after it is signed off; with a quarter ("2016-q3")
it sends that quarter's on demand, signed off or not.

Each subscriber gets one email per quarter listing every alert for their subscriptions (none when there
is nothing to say). Its key is the quarter ("alerts:2016-q3"), so running again sends nothing twice
(``crimedata.mail.send_once``); someone who subscribes later gets the latest quarter's alerts on the
next run. Arguments and result are plain values so that a background task can call it.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from assessments.alerts.collect import QuarterAlerts, coverage, subscriptions_by_user
from assessments.alerts.rules import RULES, Alert
from crimedata import mail
from crimedata.entry import Quarter, recent_quarters
from crimedata.selectors import ReferenceData, data_generation, reference_data
from crimedata.signoff import sign_offs_between

# How far back send_alerts looks for the latest released quarter.
RELEASE_LOOKBACK_QUARTERS = 8


def released_quarter(ref: ReferenceData, today: dt.date) -> Quarter | None:
    """The latest ended quarter signed off for every district (one query), or None."""
    quarters = recent_quarters(today, RELEASE_LOOKBACK_QUARTERS)
    if not quarters or not ref.districts:
        return None
    signed = sign_offs_between(None, min(q.window.start for q in quarters), max(q.window.end for q in quarters))
    for quarter in quarters:  # newest first
        w = quarter.window
        if all(any(s.start <= w.start and w.end <= s.end for s in signed.get(d.id, ())) for d in ref.districts):
            return quarter
    return None


def alert_key(quarter: Quarter) -> str:
    return f"alerts:{quarter.slug}"


def _grouped(alerts: list[Alert]) -> list[dict]:
    """Alerts by district, in the order they were sorted, with full links."""
    out: list[dict] = []
    for alert in alerts:
        if not out or out[-1]["district"] != alert.district.name:
            out.append({"district": alert.district.name, "alerts": []})
        out[-1]["alerts"].append({"headline": alert.headline, "text": alert.text, "category": alert.category.name,
                                  "rule": RULES[alert.rule], "url": mail.absolute_url(alert.path)})
    return out


def alerts_email(user, quarter: Quarter, alerts: list[Alert], descriptions: list[str]) -> mail.OutgoingEmail:
    n = len(alerts)
    return mail.OutgoingEmail(
        user=user, stream=mail.ALERTS, key=alert_key(quarter),
        subject=f"{quarter.short_label}: {n} alert{'s' if n != 1 else ''} for the figures you follow",
        template="alerts",
        context={
            "name": user.get_full_name() or user.get_username(), "quarter": quarter, "count": n,
            "districts": _grouped(alerts), "subscriptions": descriptions, "show_manage": True,
            "reason": ("you subscribed to alerts for " + "; ".join(descriptions)
                       + ". Alerts are sent once a quarter, when the quarter's figures are signed off, "
                         "and only when there is something to report"),
            "subscriptions_url": mail.absolute_url(reverse("alert-subscriptions")),
        },
    )


def send_quarter_alerts(quarter: Quarter | str | None = None, *, today: dt.date | str | None = None,
                        dry_run: bool = False, users=None) -> mail.SendReport:
    """Send the quarter's alerts (default: the latest released quarter) to every subscriber, each once.

    ``users`` limits the run to some people (for a task sending one person's alerts on demand).
    """
    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    today = today or timezone.localdate()
    generation = data_generation()
    ref = reference_data(generation)
    report = mail.SendReport()
    if isinstance(quarter, str):
        quarter = Quarter.parse(quarter)
    if quarter is None:
        quarter = released_quarter(ref, today)
        if quarter is None:
            report.note("No quarter has been signed off for every district yet, so there are no alerts to send.")
            return report
    report.note(f"Alerts for {quarter.label}.")
    builder = QuarterAlerts(quarter, ref=ref, generation=generation)
    for subscriptions in subscriptions_by_user(users).values():
        user = subscriptions[0].user
        if not user.email:
            report.note(f"{user.get_username()} has no email address, so gets no alerts.")
            continue
        covers = [coverage(s, ref) for s in subscriptions]
        if mail.was_sent(user, mail.ALERTS, alert_key(quarter)):
            report.already_sent += 1
            continue
        alerts = builder.for_user(user, covers)
        if not alerts:
            continue
        report.deliver(alerts_email(user, quarter, alerts, [c.description for c in covers]), dry_run=dry_run)
    return report
