"""Writes to assessments and plans: one transaction each, permission-checked and version-checked.

Every write here:

- checks that the user may change the district's plan (officers only their own
  district; county analysts and administrators any) or, for the shared theme
  and agency lists and the MoRiLE multipliers, that they are a county analyst;
- checks the version the edit was based on, so two officers editing the same
  priority never silently overwrite each other (``EditConflict``);
- validates the object (``full_clean``) and writes it in one transaction with
  one history record naming who made the change, when and (optionally) why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.signals import post_save

from assessments.models import (
    Agency,
    MorileMultiplier,
    MorileScore,
    StrategicAssessment,
    Theme,
)
from assessments.statistics.morile import UnknownCspScore
from crimedata import roles

REFERENCE_MODELS = (Theme, Agency, MorileMultiplier)


class EditConflict(Exception):
    """Someone else saved the object after this edit began; nothing was written."""

    def __init__(self, current: models.Model | None) -> None:
        self.current = current
        what = current._meta.verbose_name if current is not None else "item"
        if current is None:
            message = f"This {what} was deleted by someone else while you were editing it."
        else:
            message = (
                f"This {what} was changed by someone else while you were editing it. "
                "Their changes are shown below; make your change again if it is still needed."
            )
        super().__init__(message)


def require_plan_editor(user, assessment: StrategicAssessment) -> None:
    """Raise PermissionDenied unless the user may change this district's plan."""
    if not roles.can_edit_district_texts(user, assessment.district_id):
        raise PermissionDenied("Only the district's own officers and county analysts can change this plan.")


def require_reference_editor(user) -> None:
    if not roles.can_edit_shared_plan_reference(user):
        raise PermissionDenied("Only county analysts can change the shared themes, agencies and MoRiLE multipliers.")


def _locked_current(model: type[models.Model], pk: int, expected_version: int | None) -> models.Model:
    current = model.objects.select_for_update().filter(pk=pk).first()
    if current is None:
        raise EditConflict(None)
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current)
    return current


def _save(
    instance: models.Model,
    *,
    user,
    reason: str,
    expected_version: int | None,
    m2m: Mapping[str, Iterable] | None = None,
    exclude: Sequence[str] = (),
) -> models.Model:
    """Validate and save one object (and its many-to-many fields) with a single history record."""
    model = type(instance)
    creating = instance.pk is None
    if not creating:
        current = _locked_current(model, instance.pk, expected_version)
        instance.version = current.version + 1
    else:
        instance.version = 1
    instance.full_clean(exclude=list(exclude) or None)
    instance._history_user = user if getattr(user, "is_authenticated", False) else None
    instance._change_reason = reason or None
    # One history record per edit, taken after the many-to-many fields are set,
    # rather than one for the row and another for every field's change.
    instance.skip_history_when_saving = True
    try:
        instance.save()
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
    finally:
        del instance.skip_history_when_saving
    post_save.send(sender=model, instance=instance, created=creating, raw=False, using=instance._state.db,
                   update_fields=None)
    return instance


def _delete(model: type[models.Model], pk: int, *, user, reason: str, expected_version: int | None) -> None:
    current = _locked_current(model, pk, expected_version)
    current._history_user = user if getattr(user, "is_authenticated", False) else None
    current._change_reason = reason or None
    current.delete()


def _owner_assessment(instance: models.Model) -> StrategicAssessment:
    """The assessment an object belongs to, for the permission check."""
    for path in ("assessment", "priority.assessment", "action.priority.assessment", "grant.assessment",
                 "outcome.grant.assessment"):
        node = instance
        try:
            for attr in path.split("."):
                node = getattr(node, attr)
        except AttributeError:
            continue
        if isinstance(node, StrategicAssessment):
            return node
    if isinstance(instance, StrategicAssessment):
        return instance
    raise TypeError(f"{type(instance).__name__} does not belong to an assessment.")


@transaction.atomic
def save_plan_object(
    instance: models.Model,
    *,
    user,
    expected_version: int | None = None,
    m2m: Mapping[str, Iterable] | None = None,
    reason: str = "",
    exclude: Sequence[str] = (),
) -> models.Model:
    """Create or update an assessment, priority, action, update, target, grant or funded outcome.

    ``instance`` carries the new values (from a validated form); for an update
    ``expected_version`` is the version the form was built from. Raises
    PermissionDenied, EditConflict or ValidationError; on any of them nothing
    is written. Returns the saved instance.
    """
    require_plan_editor(user, _owner_assessment(instance))
    if isinstance(instance, StrategicAssessment) and instance.pk is not None:
        # An officer moving their assessment to another district is still a change to both.
        before = StrategicAssessment.objects.filter(pk=instance.pk).values_list("district_id", flat=True).first()
        if before is not None and not roles.can_edit_district_texts(user, before):
            raise PermissionDenied("Only the district's own officers and county analysts can change this plan.")
    return _save(instance, user=user, reason=reason, expected_version=expected_version, m2m=m2m, exclude=exclude)


@transaction.atomic
def delete_plan_object(instance: models.Model, *, user, expected_version: int | None, reason: str = "") -> None:
    """Delete a plan object (and what hangs off it); history keeps a record of everything deleted."""
    require_plan_editor(user, _owner_assessment(instance))
    _delete(type(instance), instance.pk, user=user, reason=reason, expected_version=expected_version)


@transaction.atomic
def save_reference_object(
    instance: models.Model, *, user, expected_version: int | None = None, reason: str = ""
) -> models.Model:
    """Create or update a theme, an agency or a MoRiLE multiplier (county analysts only)."""
    if not isinstance(instance, REFERENCE_MODELS):
        raise TypeError(f"{type(instance).__name__} is not shared reference data.")
    require_reference_editor(user)
    return _save(instance, user=user, reason=reason, expected_version=expected_version)


@transaction.atomic
def delete_reference_object(instance: models.Model, *, user, expected_version: int | None, reason: str = "") -> None:
    """Delete a theme, agency or multiplier. A theme or agency still in use is protected (ProtectedError)."""
    if not isinstance(instance, REFERENCE_MODELS):
        raise TypeError(f"{type(instance).__name__} is not shared reference data.")
    require_reference_editor(user)
    if isinstance(instance, MorileMultiplier):
        in_use = MorileScore.objects.filter(csp_score=instance.csp_score).exists()
        if in_use:
            raise ValidationError(
                f"CSP score {instance.csp_score} is used in MoRiLE tables, so its multiplier cannot be removed."
            )
    _delete(type(instance), instance.pk, user=user, reason=reason, expected_version=expected_version)


@dataclass(frozen=True)
class MorileRowInput:
    """One row of a submitted MoRiLE table. ``pk`` None for a new row; ``delete`` removes an existing one."""

    pk: int | None
    expected_version: int | None
    theme_id: int | None
    total_harm: Decimal | None
    risk: Decimal | None
    csp_score: int | None
    delete: bool = False


class MorileTableError(ValidationError):
    """The submitted table has problems; ``row_errors`` maps row index to {field: message}."""

    def __init__(self, row_errors: dict[int, dict[str, str]], message: str) -> None:
        super().__init__(message)
        self.row_errors = row_errors


@transaction.atomic
def save_morile_table(
    assessment: StrategicAssessment, rows: Sequence[MorileRowInput], *, user, reason: str = ""
) -> list[MorileScore]:
    """Replace an assessment's MoRiLE rows with the submitted table, in one transaction.

    Every CSP score must have a multiplier in the table (else UnknownCspScore's
    message is reported against that row), each theme may appear once, and
    every existing row must still be at the version the form showed. On any
    problem, raises MorileTableError (or EditConflict) and writes nothing.
    """
    require_plan_editor(user, assessment)
    multipliers = set(MorileMultiplier.objects.values_list("csp_score", flat=True))
    existing = {row.pk: row for row in MorileScore.objects.select_for_update().filter(assessment=assessment)}
    errors: dict[int, dict[str, str]] = {}
    seen_themes: dict[int, int] = {}
    for index, row in enumerate(rows):
        if row.pk is not None:
            current = existing.get(row.pk)
            if current is None:
                raise EditConflict(None)
            if row.expected_version is not None and current.version != row.expected_version:
                raise EditConflict(current)
        if row.delete:
            continue
        problems: dict[str, str] = {}
        if row.theme_id is None:
            problems["theme"] = "Choose a theme."
        elif row.theme_id in seen_themes:
            problems["theme"] = f"This theme is already in row {seen_themes[row.theme_id] + 1}: each theme once."
        else:
            seen_themes[row.theme_id] = index
        if row.risk is None:
            problems["risk"] = "Enter the risk score."
        if row.csp_score is None:
            problems["csp_score"] = "Enter the CSP score."
        elif row.csp_score not in multipliers:
            problems["csp_score"] = str(UnknownCspScore(row.csp_score))
        if problems:
            errors[index] = problems
    if errors:
        raise MorileTableError(errors, "The MoRiLE table has problems; nothing was saved.")
    # Deletions first, so a theme moved from a deleted row to another row stays unique.
    for row in rows:
        if row.delete and row.pk is not None:
            _delete(MorileScore, row.pk, user=user, reason=reason, expected_version=None)
    saved = []
    for row in rows:
        if row.delete:
            continue
        instance = existing[row.pk] if row.pk is not None else MorileScore(assessment=assessment)
        instance.theme_id = row.theme_id
        instance.total_harm = row.total_harm
        instance.risk = row.risk
        instance.csp_score = row.csp_score
        # The version was checked above, under the same lock.
        saved.append(_save(instance, user=user, reason=reason, expected_version=None))
    return saved
