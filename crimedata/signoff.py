"""Signing a quarter off: its figures become final and locked.

A county analyst signs off a quarter for one district or for all. In one
transaction, holding the (district, quarter) lock every figure write takes
(``services.lock_district_quarters``), every provisional figure lying in that quarter is marked final
through ``services.save_figures`` (so the status change is in each figure's
history, with who and when), and a SignOff row is stored. From then on
``save_figures`` refuses to change figures in the period (grid, upload and
import command alike) unless an administrator corrects one with a reason.

The selectors at the end let any page say whether (and by whom, when) the
figures it shows were signed off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from crimedata.models import Figure, SignOff
from crimedata.periods import Window, month_end, month_index, month_start
from crimedata.selectors import DistrictInfo
from crimedata.services import (
    FigureInput,
    FigureSaveError,
    bump_data_generation,
    lock_district_quarters,
    save_figures,
)


@dataclass(frozen=True)
class SignOffInfo:
    """A stored sign-off, as pages show it."""

    district_id: int
    start: int  # month indexes
    end: int
    by: str
    at: dt.datetime
    note: str

    @property
    def window(self) -> Window:
        return Window(self.start, self.end)

    @property
    def text(self) -> str:
        """'Signed off by County analyst on 3 May 2024'."""
        local = timezone.localtime(self.at)
        who = f" by {self.by}" if self.by else ""
        return f"Signed off{who} on {local.day} {local:%B %Y}"


def _info(row: dict) -> SignOffInfo:
    name = row["signed_off_by__first_name"] or row["signed_off_by__username"] or ""
    return SignOffInfo(
        district_id=row["district_id"], start=month_index(row["period_start"]), end=month_index(row["period_end"]),
        by=name, at=row["signed_off_at"], note=row["note"],
    )


_FIELDS = ("district_id", "period_start", "period_end", "signed_off_by__username", "signed_off_by__first_name",
           "signed_off_at", "note")


def sign_offs_between(district_ids: Sequence[int] | None, first_month: int, last_month: int) -> dict[int, list[SignOffInfo]]:
    """Sign-offs overlapping months ``first_month``..``last_month``, per district id (one query).

    ``district_ids=None`` means every district.
    """
    qs = SignOff.objects.filter(period_start__lte=month_start(last_month), period_end__gte=month_start(first_month))
    if district_ids is not None:
        qs = qs.filter(district_id__in=list(district_ids))
    out: dict[int, list[SignOffInfo]] = {}
    for row in qs.values(*_FIELDS):
        out.setdefault(row["district_id"], []).append(_info(row))
    return out


def sign_off_covering(district_id: int, window: Window) -> SignOffInfo | None:
    """The sign-off that locks all of ``window`` for a district, if any (one query)."""
    for info in sign_offs_between([district_id], window.start, window.end).get(district_id, ()):
        if info.start <= window.start and window.end <= info.end:
            return info
    return None


def recent_sign_offs(limit: int = 50) -> list[tuple[SignOffInfo, str]]:
    """The latest sign-offs with their district names, newest first (one query)."""
    rows = SignOff.objects.order_by("-signed_off_at", "district__name").values(*_FIELDS, "district__name")[:limit]
    return [(_info(row), row["district__name"]) for row in rows]


@dataclass(frozen=True)
class SignOffPlan:
    """What signing off would do for one district (shown before confirming)."""

    district: DistrictInfo
    already: SignOffInfo | None
    provisional: int  # figures that will become final
    final: int


def plan_sign_off(districts: Sequence[DistrictInfo], window: Window) -> list[SignOffPlan]:
    """For each district: is it already signed off, and how many figures change status (two queries)."""
    ids = [d.id for d in districts]
    signed = sign_offs_between(ids, window.start, window.end)
    counts: dict[tuple[int, str], int] = {}
    for district_id, status in Figure.objects.filter(
        district_id__in=ids, period_start__gte=month_start(window.start), period_end__lte=month_end(window.end)
    ).values_list("district_id", "status"):
        counts[(district_id, status)] = counts.get((district_id, status), 0) + 1
    plans = []
    for d in districts:
        covering = next((s for s in signed.get(d.id, ()) if s.start <= window.start and window.end <= s.end), None)
        plans.append(SignOffPlan(
            district=d, already=covering,
            provisional=counts.get((d.id, Figure.STATUS_PROVISIONAL), 0), final=counts.get((d.id, Figure.STATUS_FINAL), 0),
        ))
    return plans


@dataclass(frozen=True)
class SignOffOutcome:
    signed: list[DistrictInfo]
    already: list[DistrictInfo]
    finalised: int


class SignOffRefused(Exception):
    pass


def sign_off_period(
    *, user, districts: Sequence[DistrictInfo], window: Window, label: str, note: str = "", today: dt.date
) -> SignOffOutcome:
    """Sign ``window`` off for each district not already signed off, in one transaction.

    Provisional figures lying wholly in the window become final through
    save_figures (each with a history row naming the person and the sign-off);
    figures that only partly overlap it (a 12-month total) keep their status
    but are locked too. Raises SignOffRefused, changing nothing, if the
    period has not ended or a figure changed while this ran.
    """
    if window.end >= month_index(today):
        raise SignOffRefused(f"{label} has not ended yet. A period can be signed off once it has ended.")
    plans = plan_sign_off(districts, window)
    todo = [p.district for p in plans if p.already is None]
    already = [p.district for p in plans if p.already is not None]
    finalised = 0
    try:
        finalised = _sign_off(user, todo, window, label, note)
    except IntegrityError as exc:
        # Another analyst signed one of these districts off at the same moment.
        raise SignOffRefused(
            "Someone else signed this period off for one of these districts just now, so nothing was signed off. "
            "Check the sign-offs and try again."
        ) from exc
    return SignOffOutcome(signed=todo, already=already, finalised=finalised)


def _sign_off(user, todo: Sequence[DistrictInfo], window: Window, label: str, note: str) -> int:
    finalised = 0
    with transaction.atomic():
        if todo:
            # The lock every figure write takes on these (district, quarter)s: a grid save or
            # upload running now finishes first (and its figures are finalised below), and one
            # starting now waits, then sees the sign-off and is refused. Only then read.
            lock_district_quarters((d.id, window.start, window.end) for d in todo)
            rows = Figure.objects.filter(
                district_id__in=[d.id for d in todo], status=Figure.STATUS_PROVISIONAL,
                period_start__gte=month_start(window.start), period_end__lte=month_end(window.end),
            ).values_list("district_id", "category_id", "period_start", "period_end", "value", "version")
            inputs = [
                FigureInput(district_id=d, category_id=c, period_start=s, period_end=e, value=v,
                            status=Figure.STATUS_FINAL, note=None, expected_version=version)
                for d, c, s, e, v, version in rows
            ]
            reason = f"Signed off: {label}" + (f". {note}" if note else "")
            try:
                result = save_figures(inputs, user=user, source=Figure.SOURCE_SIGNOFF, source_detail=label,
                                      reason=reason)
            except FigureSaveError as exc:
                raise SignOffRefused(
                    f"{len(exc.result.problems)} figure(s) changed while the period was being signed off, so "
                    "nothing was signed off. Check the figures and sign off again."
                ) from exc
            finalised = result.updated
            SignOff.objects.bulk_create(
                SignOff(district_id=d.id, period_start=month_start(window.start), period_end=month_end(window.end),
                        signed_off_by=user, note=note)
                for d in todo
            )
            # Pages show who signed what off; make cached pages notice.
            bump_data_generation()
    return finalised
