"""Change, change % and rate: one number or a whole column, a missing figure never turning into 0."""

import math

import numpy as np
import pytest

from crimedata.measures import change, change_pct, direction, rate


@pytest.mark.parametrize(("count", "previous"), [(5, 0), (0, 0), (None, 100), (100, None)])
def test_change_pct_of_one_number_is_nan_without_a_base(count, previous):
    assert math.isnan(change_pct(count, previous))


def test_change_pct_of_one_number():
    assert change_pct(5285, 5040) == pytest.approx(4.861111, abs=1e-6)
    assert isinstance(change_pct(120, 100), float) and change_pct(120, 100) == 20.0


def test_a_rate_without_a_population_is_nan():
    assert math.isnan(rate(5, 0)) and math.isnan(rate(5, None))
    assert rate(5, 1000, base=1000) == 5.0


def test_columns_and_single_numbers_agree():
    counts, previous = np.array([120, 5, 0, 75]), np.array([100, 0, 0, 100])
    pct = change_pct(counts, previous)
    assert list(pct[[0, 3]]) == [20.0, -25.0] and np.isnan(pct[1]) and np.isnan(pct[2])
    assert list(direction(change(counts, previous))) == ["up", "up", "same", "down"]
    assert direction(change(None, 3)) is None
