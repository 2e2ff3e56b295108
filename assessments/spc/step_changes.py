"""Applying and removing step changes in a series, and their history.

A step change starts new control limits from a month, because the process
itself changed then (a new recording standard, a new service). Only a person
applies one, with a reason, and removing one needs a reason too; both are
kept in the history (``StepChange.history``). The district's officers,
county analysts and administrators may change them
(``crimedata.roles.can_edit_district_texts``): each service checks that
itself, so a direct call cannot skip the check a page makes.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from assessments.models import StepChange
from crimedata import roles
from crimedata.periods import month_label, month_start
from crimedata.selectors import CategoryInfo, DistrictInfo


class StepChangeError(ValueError):
    """A step change that cannot be saved, with a message for the form."""


def _check_editor(user, district: DistrictInfo) -> None:
    if not roles.can_edit_district_texts(user, district.id):
        raise PermissionDenied(f"You cannot change the step changes for {district.name}.")


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise StepChangeError("Give the reason for the step change, for example a change in recording practice.")
    if len(reason) > 2000:
        raise StepChangeError("The reason must be 2,000 characters or fewer.")
    return reason


def add_step_change(*, user, district: DistrictInfo, category: CategoryInfo, month: int, reason: str) -> StepChange:
    """Store a step change from ``month`` (a month index) in the district's series, with the reason.

    Raises PermissionDenied unless the user may edit the district, and
    StepChangeError for a missing reason or a step change already there.
    """
    _check_editor(user, district)
    reason = _clean_reason(reason)
    first_day = month_start(month)
    with transaction.atomic():
        exists = StepChange.objects.filter(district_id=district.id, category_id=category.id, month=first_day)
        if exists.exists():
            raise StepChangeError(f"There is already a step change from {month_label(month)}.")
        step = StepChange(district_id=district.id, category_id=category.id, month=first_day, reason=reason,
                          created_by=user)
        step._history_user = user
        step._change_reason = reason
        try:
            with transaction.atomic():
                step.save()
        except IntegrityError as error:  # someone else added it a moment ago
            raise StepChangeError(f"There is already a step change from {month_label(month)}.") from error
    return step


def remove_step_change(
    *, user, district: DistrictInfo, category: CategoryInfo, step_change_id: int, reason: str
) -> None:
    """Remove a stored step change, keeping who, when and why in its history.

    Raises PermissionDenied unless the user may edit the district, and
    StepChangeError for a missing reason or a step change that is not (or no
    longer) in this series.
    """
    _check_editor(user, district)
    reason = _clean_reason(reason)
    with transaction.atomic():
        step = (
            StepChange.objects.select_for_update()
            .filter(pk=step_change_id, district_id=district.id, category_id=category.id)
            .first()
        )
        if step is None:
            raise StepChangeError("That step change has already been removed, perhaps by someone else.")
        step._history_user = user
        step._change_reason = reason
        step.delete()


def step_change_history(district: DistrictInfo, category: CategoryInfo, limit: int = 50) -> list[dict]:
    """Who added or removed which step change, when and why (newest first; one query)."""
    rows = (
        StepChange.history.filter(district_id=district.id, category_id=category.id)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    kinds = {"+": "Added", "-": "Removed", "~": "Changed"}
    return [
        {
            "action": kinds.get(row.history_type, row.history_type),
            "month": month_label(row.month.year * 12 + row.month.month - 1),
            "when": row.history_date,
            "who": (row.history_user.get_full_name() or row.history_user.get_username()) if row.history_user else "",
            "reason": row.history_change_reason or row.reason,
        }
        for row in rows
    ]
