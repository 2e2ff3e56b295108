"""A priority's status against the previous year's assessment, derived from themes.

Each priority has a main theme and may cover others (Maidstone's 2016/17
"Community resilience" covered CSE, Prevent, modern slavery and organised
crime). Comparing this year's themes with last year's gives:

- **cross-cutting**: this year it is a cross-cutting theme, not a named priority;
- **retained**: a named priority sharing a theme with one of last year's named priorities;
- **new**: a named priority sharing no theme with last year's named priorities;
- **dropped**: one of last year's named priorities none of whose themes appears
  this year at all (neither as a priority nor as a cross-cutting theme).

With no previous assessment recorded there is nothing to compare, so a named
priority's status is unknown (None), never guessed. Officers can override the
derived status (the pages say when they have).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

RETAINED = "retained"
NEW = "new"
DROPPED = "dropped"
CROSS_CUTTING = "cross_cutting"

STATUS_LABELS = {
    RETAINED: "Retained",
    NEW: "New",
    DROPPED: "Dropped",
    CROSS_CUTTING: "Cross-cutting",
}

KIND_PRIORITY = "priority"
KIND_CROSS_CUTTING = "cross_cutting"


@dataclass(frozen=True)
class PriorityThemes:
    """What the derivation needs to know about one priority."""

    key: Hashable
    kind: str  # KIND_PRIORITY or KIND_CROSS_CUTTING
    themes: frozenset[str]  # the main theme and every theme it covers


@dataclass
class Derivation:
    """Derived status per current priority (by key) and last year's dropped priorities (keys)."""

    statuses: dict[Hashable, str | None] = field(default_factory=dict)
    dropped: list[Hashable] = field(default_factory=list)
    compared: bool = False  # False when there was no previous assessment to compare with


def derive_statuses(
    current: Sequence[PriorityThemes], previous: Sequence[PriorityThemes] | None
) -> Derivation:
    """Derive each current priority's status and list last year's dropped priorities.

    ``previous`` is None when no assessment exists for the year before.
    """
    result = Derivation(compared=previous is not None)
    previous_named = set().union(*(p.themes for p in previous or () if p.kind == KIND_PRIORITY))
    for row in current:
        if row.kind == KIND_CROSS_CUTTING:
            result.statuses[row.key] = CROSS_CUTTING
        elif previous is None:
            result.statuses[row.key] = None
        else:
            result.statuses[row.key] = RETAINED if row.themes & previous_named else NEW
    if previous is not None:
        current_all = set().union(*(row.themes for row in current))
        result.dropped = [p.key for p in previous if p.kind == KIND_PRIORITY and not p.themes & current_all]
    return result


def effective_status(derived: str | None, override: str | None) -> str | None:
    """The status to show: the officer's override when set, else the derived one."""
    return override or derived
