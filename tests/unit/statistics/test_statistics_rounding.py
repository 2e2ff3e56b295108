"""Round-half-up and ordinals (docs/methods.md §7)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from crimedata.numbers import is_missing, ordinal, round_half_up


@pytest.mark.parametrize(
    "value, decimals, expected",
    [
        (45.466, 1, 45.5),
        (45.45, 1, 45.5),  # banker's rounding would give 45.4
        (2.675, 2, 2.68),  # binary 2.67499999... still rounds as typed
        (0.125, 2, 0.13),
        (4.861111, 1, 4.9),
        (4.85, 1, 4.9),
        (-4.85, 1, -4.9),  # halves go away from zero, as in Excel
        (2.5, 0, 3.0),
        (3.5, 0, 4.0),
        (1234.5, -1, 1230.0),
        (10, 1, 10.0),
        (np.float64(58.05), 1, 58.1),
        (Decimal("0.05"), 1, 0.1),
        ("12.35", 1, 12.4),
    ],
)
def test_round_half_up(value, decimals, expected):
    assert round_half_up(value, decimals) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA])
def test_round_half_up_passes_missing_through_as_none(missing):
    assert round_half_up(missing, 1) is None


def test_round_half_up_refuses_infinity_and_text():
    with pytest.raises(ValueError):
        round_half_up(float("inf"), 1)
    with pytest.raises(ValueError):
        round_half_up("abc", 1)


@pytest.mark.parametrize(
    "n, expected",
    [
        (1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (10, "10th"), (11, "11th"), (12, "12th"),
        (13, "13th"), (21, "21st"), (22, "22nd"), (23, "23rd"), (101, "101st"), (111, "111th"), (112, "112th"),
    ],
)
def test_ordinal(n, expected):
    assert ordinal(n) == expected


def test_is_missing():
    assert is_missing(None) and is_missing(float("nan")) and is_missing(pd.NA) and is_missing(pd.NaT)
    assert not is_missing(0) and not is_missing("") and not is_missing(0.0)
