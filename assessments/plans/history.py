"""Who changed what in an assessment and its plan, and when (from django-simple-history).

History rows keep the ids of the rows they describe, so the records of a
deleted priority's actions are still found through the priority's own history.
One query per kind of record (11), however many changes there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models

from assessments.models import (
    Action,
    ActionUpdate,
    FundedOutcome,
    GrantApplication,
    MorileScore,
    OutcomeUpdate,
    PccGrant,
    Priority,
    StrategicAssessment,
    Target,
)

CHANGE_TYPES = {"+": "Added", "~": "Changed", "-": "Removed"}
# Bookkeeping fields that change on every save and mean nothing to a reader.
IGNORED = {"id", "version"}
LIMIT = 500


@dataclass(frozen=True)
class HistoryEntry:
    when: dt.datetime
    who: str
    change: str
    what: str
    label: str
    fields: list[str]
    reason: str | None


def _label(record) -> str:
    for name in ("title", "project", "measure", "description", "service", "text"):
        value = getattr(record, name, None)
        if value:
            return value if len(value) <= 90 else value[:87] + "…"
    if isinstance(record, MorileScore.history.model):
        return f"{record.theme.name if record.theme_id else 'theme'}: risk {record.risk}, CSP score {record.csp_score}"
    if hasattr(record, "plan_year"):
        return f"{record.plan_year}/{(record.plan_year + 1) % 100:02d}"
    return ""


def _changed_fields(model: type[models.Model], previous, current) -> list[str]:
    names = []
    for field in model._meta.concrete_fields:
        if field.attname in IGNORED:
            continue
        if getattr(previous, field.attname) != getattr(current, field.attname):
            names.append(str(field.verbose_name))
    return names


def assessment_history(assessment: StrategicAssessment) -> list[HistoryEntry]:
    """Every recorded change to the assessment and everything in its plan, newest first."""

    def records(model, **where):
        return list(model.history.filter(**where).select_related("history_user").order_by("history_date"))

    groups: list[tuple[type[models.Model], list]] = []
    groups.append((StrategicAssessment, records(StrategicAssessment, id=assessment.id)))
    groups.append((PccGrant, records(PccGrant, assessment_id=assessment.id)))
    priorities = records(Priority, assessment_id=assessment.id)
    groups.append((Priority, priorities))
    actions = records(Action, priority_id__in={r.id for r in priorities})
    groups.append((Action, actions))
    groups.append((ActionUpdate, records(ActionUpdate, action_id__in={r.id for r in actions})))
    groups.append((Target, records(Target, assessment_id=assessment.id)))
    grants = records(GrantApplication, assessment_id=assessment.id)
    groups.append((GrantApplication, grants))
    outcomes = records(FundedOutcome, grant_id__in={r.id for r in grants})
    groups.append((FundedOutcome, outcomes))
    groups.append((OutcomeUpdate, records(OutcomeUpdate, outcome_id__in={r.id for r in outcomes})))
    morile = list(
        MorileScore.history.filter(assessment_id=assessment.id).select_related("history_user", "theme")
        .order_by("history_date")
    )
    groups.append((MorileScore, morile))

    entries: list[HistoryEntry] = []
    for model, rows in groups:
        last_seen: dict[int, object] = {}
        for record in rows:
            previous = last_seen.get(record.id)
            fields = _changed_fields(model, previous, record) if previous is not None and record.history_type == "~" else []
            last_seen[record.id] = record
            user = record.history_user
            entries.append(HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.get_username()) if user else "System (no signed-in user)",
                change=CHANGE_TYPES.get(record.history_type, record.history_type),
                what=str(model._meta.verbose_name).capitalize(),
                label=_label(record),
                fields=fields,
                reason=record.history_change_reason,
            ))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:LIMIT]
