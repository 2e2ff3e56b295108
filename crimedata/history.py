"""Reads over figures' history: every change, and figures "as reported on" a date.

Every write goes through ``services.save_figures``, which stores one
django-simple-history snapshot per change (who, when, type, reason), so the
history table is complete: a change is a snapshot and its predecessor for the
same figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from crimedata.models import Figure
from crimedata.periods import month_index, month_label

SOURCE_LABELS = dict(Figure.SOURCE_CHOICES)
STATUS_LABELS = dict(Figure.STATUS_CHOICES)


def period_label(start: int, end: int) -> str:
    return month_label(start) if start == end else f"{month_label(start)} to {month_label(end)}"


@dataclass(frozen=True)
class HistoryEntry:
    """One change to one figure."""

    figure_id: int
    when: dt.datetime
    start: int
    end: int
    kind: str  # "entered", "changed" or "removed"
    old_value: int | None
    new_value: int | None
    old_status: str | None
    new_status: str | None
    note: str
    note_changed: bool
    reason: str
    source: str
    source_detail: str
    by: str

    @property
    def period(self) -> str:
        return period_label(self.start, self.end)

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.new_status or "", "")

    @property
    def status_changed(self) -> bool:
        return self.old_status is not None and self.old_status != self.new_status


_KINDS = {"+": "entered", "~": "changed", "-": "removed"}


def figure_history(district_id: int, category_id: int) -> list[HistoryEntry]:
    """Every change to the district's figures for the category, newest first (one query)."""
    rows = (
        Figure.history.filter(district_id=district_id, category_id=category_id)
        .order_by("history_date", "history_id")
        .values_list(
            "id", "history_date", "history_type", "period_start", "period_end", "value", "status", "note", "source",
            "source_detail", "history_change_reason", "history_user__username", "history_user__first_name",
        )
    )
    previous: dict[int, tuple[int, str, str]] = {}
    entries = []
    for (figure_id, when, kind, start, end, value, status, note, source, detail, reason, username,
         first_name) in rows:
        before = previous.get(figure_id)
        entries.append(HistoryEntry(
            figure_id=figure_id, when=when, start=month_index(start), end=month_index(end), kind=_KINDS.get(kind, kind),
            old_value=before[0] if before else None, new_value=value if kind != "-" else None,
            old_status=before[1] if before else None, new_status=status if kind != "-" else None,
            note=note or "", note_changed=(note or "") != (before[2] if before else ""), reason=reason or "",
            source=source, source_detail=detail or "", by=first_name or username or "",
        ))
        previous[figure_id] = (value, status, note or "")
    entries.reverse()
    return entries


@dataclass(frozen=True)
class ReportedFigure:
    """A figure as it stood on a date, beside its value now."""

    start: int
    end: int
    value_then: int | None
    status_then: str | None
    value_now: int | None
    status_now: str | None

    @property
    def period(self) -> str:
        return period_label(self.start, self.end)

    @property
    def changed_since(self) -> bool:
        return (self.value_then, self.status_then) != (self.value_now, self.status_now)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of ``day`` in the site's time zone: 'as reported on 9 February 2017'
    includes everything changed that day."""
    start_next = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(start_next, timezone.get_default_timezone()) - dt.timedelta(microseconds=1)


def as_reported(district_id: int, category_id: int, day: dt.date) -> list[ReportedFigure]:
    """Each period's figure as it stood at the end of ``day`` and as it is now, newest period first.

    Two queries: simple-history's ``as_of`` (the latest snapshot of each
    figure at that moment, leaving out figures not yet entered) and the
    current figures.
    """
    then = {
        (month_index(s), month_index(e)): (v, st)
        for s, e, v, st in Figure.history.as_of(end_of_day(day))
        .filter(district_id=district_id, category_id=category_id)
        .values_list("period_start", "period_end", "value", "status")
    }
    now = {
        (month_index(s), month_index(e)): (v, st)
        for s, e, v, st in Figure.objects.filter(district_id=district_id, category_id=category_id).values_list(
            "period_start", "period_end", "value", "status"
        )
    }
    periods = sorted(set(then) | set(now), reverse=True)
    return [
        ReportedFigure(
            start=s, end=e, value_then=then.get((s, e), (None, None))[0], status_then=then.get((s, e), (None, None))[1],
            value_now=now.get((s, e), (None, None))[0], status_now=now.get((s, e), (None, None))[1],
        )
        for s, e in periods
    ]
