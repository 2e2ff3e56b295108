"""Reminders of figures still due: a week before and on a collection window's closing date.

For each window that is due a reminder today (``reminder_due``):

- every community safety officer of a district in the window that still has figures missing gets one
  email listing exactly what is missing, district by district, with a link to each grid. Nothing for
  a district that is complete or signed off; nothing at all for an officer whose districts are all
  complete, who has no email address, or who unsubscribed from reminders;
- the county analyst who opened the window (or, if that account is gone, every county analyst) gets
  one summary: which districts are complete, which are not and what each still needs, and who was
  reminded. Nothing when every district is complete.

Each email's key names the window, its closing date and the reminder ("window-12:2016-07-31:week-before"),
so running the command again the same day, or any later day, sends nothing twice; moving the closing date
makes a new deadline, with its own reminders.

``send_due_reminders`` is what the ``send_reminders`` command (cron, daily) runs; its arguments and result
are plain values, so a background task can call it too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from crimedata import mail, roles
from crimedata.collections import (
    REMINDER_DAYS_BEFORE,
    DistrictProgress,
    WindowInfo,
    collection_windows,
    date_text,
    days_text,
    window_progress,
)
from crimedata.models import DistrictMembership
from crimedata.selectors import ReferenceData, data_generation, reference_data

WEEK_BEFORE = "week-before"
CLOSING_DAY = "closing-day"


def reminder_due(window: WindowInfo, today: dt.date) -> str | None:
    """Which reminder a window is due today: WEEK_BEFORE from 7 days before it closes (so a missed cron
    run still sends it), CLOSING_DAY on the closing date, or None."""
    if not window.has_opened(today) or window.has_closed(today):
        return None
    left = (window.closes_on - today).days
    if left == 0:
        return CLOSING_DAY
    if left <= REMINDER_DAYS_BEFORE:
        return WEEK_BEFORE
    return None


def reminder_key(window: WindowInfo, kind: str) -> str:
    return f"window-{window.id}:{window.closes_on.isoformat()}:{kind}"


def grid_link(code: str, window: WindowInfo) -> str:
    q = window.quarter
    return mail.absolute_url(reverse("entry-grid", kwargs={"code": code, "year": q.year, "number": q.number}))


@dataclass
class OfficerReminder:
    user: object
    districts: list[DistrictProgress]


@dataclass
class WindowReminders:
    """Who a window's reminder goes to today."""

    window: WindowInfo
    kind: str
    progress: list[DistrictProgress]
    officers: list[OfficerReminder] = field(default_factory=list)
    analysts: list = field(default_factory=list)
    not_reminded: dict[str, list[str]] = field(default_factory=dict)  # district name -> why nobody was

    @property
    def outstanding(self) -> list[DistrictProgress]:
        return [p for p in self.progress if not p.complete]


def _display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _officers_by_district(district_ids: list[int]) -> dict[int, list]:
    """Active community safety officers of each district (one query)."""
    rows = (DistrictMembership.objects.filter(district_id__in=district_ids, user__is_active=True,
                                              user__groups__name=roles.OFFICER)
            .select_related("user").order_by("user__username"))
    out: dict[int, list] = {}
    for row in rows:
        out.setdefault(row.district_id, []).append(row.user)
    return out


def _summary_recipients(window: WindowInfo) -> list:
    """The analyst who opened the window, or every county analyst when that account is gone or no longer an
    analyst (at most two queries)."""
    users = get_user_model().objects.filter(is_active=True)
    opener = users.filter(pk=window.created_by_id).first() if window.created_by_id else None
    if opener is not None and roles.is_county_analyst(opener):
        return [opener]
    return list(users.filter(groups__name=roles.ANALYST).order_by("username"))


def plan_reminders(today: dt.date, ref: ReferenceData, generation: int) -> list[WindowReminders]:
    """Every reminder and summary due today, with its recipients (nothing sent)."""
    due = [(w, reminder_due(w, today)) for w in collection_windows(generation)]
    due = [(w, kind) for w, kind in due if kind is not None]
    progress = window_progress(ref, generation, [w for w, _ in due])
    plans = []
    for window, kind in due:
        rows = [progress[(window.id, d.code)] for d in window.districts(ref)]
        plan = WindowReminders(window=window, kind=kind, progress=rows)
        if not plan.outstanding:
            plans.append(plan)
            continue
        officers = _officers_by_district([p.district.id for p in plan.outstanding])
        everyone = {u.pk: u for users in officers.values() for u in users}
        stopped = mail.opted_out(everyone, mail.REMINDERS)
        chosen: dict[int, OfficerReminder] = {}
        for p in plan.outstanding:
            reasons = []
            for user in officers.get(p.district.id, []):
                if not user.email:
                    reasons.append(f"{_display_name(user)} has no email address")
                elif user.pk in stopped:
                    reasons.append(f"{_display_name(user)} unsubscribed from reminders")
                else:
                    chosen.setdefault(user.pk, OfficerReminder(user=user, districts=[])).districts.append(p)
            if not officers.get(p.district.id):
                reasons.append("no community safety officer is set up for it")
            if not any(p in r.districts for r in chosen.values()):
                plan.not_reminded[p.district.name] = reasons
        plan.officers = sorted(chosen.values(), key=lambda r: r.user.get_username())
        analysts = _summary_recipients(window)
        stopped_summaries = mail.opted_out([u.pk for u in analysts], mail.SUMMARIES)
        plan.analysts = [u for u in analysts if u.email and u.pk not in stopped_summaries]
        plans.append(plan)
    return plans


def _deadline(window: WindowInfo, today: dt.date) -> str:
    left = (window.closes_on - today).days
    if left == 0:
        return f"today, {date_text(window.closes_on)}"
    return f"on {window.closes_on:%A} {date_text(window.closes_on)} (in {days_text(left)})"


def _district_items(window: WindowInfo, rows: list[DistrictProgress]) -> list[dict]:
    return [{"name": p.district.name, "missing": [m.text for m in p.missing], "detail": p.detail,
             "count": len(p.missing), "url": grid_link(p.district.code, window)} for p in rows]


def officer_email(plan: WindowReminders, reminder: OfficerReminder, today: dt.date) -> mail.OutgoingEmail:
    window = plan.window
    names = [p.district.name for p in reminder.districts]
    when = "today" if plan.kind == CLOSING_DAY else f"by {date_text(window.closes_on)}"
    subject = f"{window.quarter.short_label} figures for {' and '.join(names)} are due {when}"
    if plan.kind == CLOSING_DAY:
        subject = f"Due today: {window.quarter.short_label} figures for {' and '.join(names)}"
    return mail.OutgoingEmail(
        user=reminder.user, stream=mail.REMINDERS, key=reminder_key(window, plan.kind), subject=subject,
        template="reminder",
        context={
            "name": _display_name(reminder.user), "window": window, "deadline": _deadline(window, today),
            "districts": _district_items(window, reminder.districts), "closing_day": plan.kind == CLOSING_DAY,
            "district_names": " and ".join(names),
            "reason": (f"you are a community safety officer for {' and '.join(names)}, and "
                       f"{'it has' if len(names) == 1 else 'they have'} figures missing from the collection of "
                       f"{window.title}, which closes on {date_text(window.closes_on)}. Reminders go out a week "
                       "before a collection closes and on its closing day, only while figures are missing"),
        },
    )


def summary_email(plan: WindowReminders, analyst, today: dt.date) -> mail.OutgoingEmail:
    window = plan.window
    outstanding = plan.outstanding
    reminded: dict[str, list[str]] = {}
    for r in plan.officers:
        for p in r.districts:
            reminded.setdefault(p.district.name, []).append(_display_name(r.user))
    complete = [p.district.name for p in plan.progress if p.complete]
    subject = (f"{window.quarter.short_label} collection: {len(outstanding)} of {len(plan.progress)} "
               f"district{'s' if len(plan.progress) != 1 else ''} still have figures missing")
    return mail.OutgoingEmail(
        user=analyst, stream=mail.SUMMARIES, key=reminder_key(window, plan.kind), subject=subject,
        template="reminder_summary",
        context={
            "name": _display_name(analyst), "window": window, "deadline": _deadline(window, today),
            "closing_day": plan.kind == CLOSING_DAY, "complete": complete,
            "districts": [{**item, "reminded": reminded.get(item["name"], []),
                           "not_reminded": plan.not_reminded.get(item["name"], [])}
                          for item in _district_items(window, outstanding)],
            "window_url": mail.absolute_url(reverse("collection-window", args=[window.id])),
            "reason": (f"you opened the collection of {window.title}" if window.created_by_id == analyst.pk
                       else f"you are a county analyst and the collection of {window.title} has figures missing")
                      + ". A summary goes out with each reminder, only while figures are missing",
        },
    )


def send_due_reminders(today: dt.date | str | None = None, *, dry_run: bool = False) -> mail.SendReport:
    """Send every reminder and summary due ``today`` (default: today), each once; a report of what happened.

    Safe to run as often as you like: an email already sent is never sent again (crimedata.mail.send_once).
    """
    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    today = today or timezone.localdate()
    generation = data_generation()
    ref = reference_data(generation)
    report = mail.SendReport()
    plans = plan_reminders(today, ref, generation)
    if not plans:
        report.note(f"No collection window is due a reminder on {date_text(today)}.")
    for plan in plans:
        label = f"{plan.window.title} ({'closing day' if plan.kind == CLOSING_DAY else 'a week before'})"
        if not plan.outstanding:
            report.note(f"{label}: every district is complete, so no reminders.")
            continue
        emails = [officer_email(plan, r, today) for r in plan.officers]
        emails += [summary_email(plan, a, today) for a in plan.analysts]
        for district, reasons in plan.not_reminded.items():
            report.note(f"{label}: nobody to remind for {district}" + (f" ({'; '.join(reasons)})" if reasons else "") + ".")
        for email in emails:
            report.deliver(email, dry_run=dry_run)
    return report
