"""The bad-input corpus (fixtures/imports/bad/): every kind of refused file with its expected message.

``expected-errors.json`` in each folder maps a file to the one message the
command prints for it (and the upload page shows). A message that names the
current month holds ``{current_month}``, filled in here.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.utils import timezone

from crimedata.periods import month_index, month_label
from tests.conftest import FIXTURES

BAD = FIXTURES / "imports" / "bad"
BAD_POPULATIONS = BAD / "populations"


def expected_messages(folder: Path = BAD) -> dict[str, str]:
    current = month_label(month_index(timezone.localdate()))
    raw = json.loads((folder / "expected-errors.json").read_text(encoding="utf-8"))
    return {name: message.replace("{current_month}", current) for name, message in raw.items()}


VALUE_PREFIX = "Row 2, value: "
# A blank value means something different in the grid (not entered) than in a file (a mistake).
NOT_IN_THE_GRID = {"blank-value.csv"}


def value_cases() -> dict[str, tuple[str, str]]:
    """The corpus files refused for their value alone: {file: (the value as typed, the rule's message)}.

    The grid must refuse the same text with the same words ("Robbery for October 2016 " + message).
    """
    cases = {}
    for name, message in expected_messages().items():
        if name.endswith(".csv") and message.startswith(VALUE_PREFIX) and name not in NOT_IN_THE_GRID:
            with open(BAD / name, encoding="utf-8", newline="") as text:
                rows = list(csv.DictReader(text))
            cases[name] = (rows[0]["value"], message.removeprefix(VALUE_PREFIX))
    return cases
