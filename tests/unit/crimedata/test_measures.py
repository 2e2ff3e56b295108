"""Change, change %, rates and direction, with missing values kept missing (docs/methods.md §7 and §11)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crimedata.numbers import round_half_up
from crimedata.measures import change, change_pct, direction, rate


def test_tunbridge_wells_all_crime_headline():
    # 5,285 crimes against 5,040: +245, 4.9% (the published 4.7% was a typing slip)
    assert change(5285, 5040) == 245
    assert change_pct(5285, 5040) == pytest.approx(4.861111, abs=1e-6)
    assert round_half_up(change_pct(5285, 5040), 1) == 4.9
    assert direction(change(5285, 5040)) == "up"


def test_rate_per_thousand_and_ten_thousand():
    assert rate(5285, 116_200) == pytest.approx(45.4819277, abs=1e-6)
    assert round_half_up(rate(362, 128_400, base=10_000), 1) == 28.2  # Ashford One Stop Shop


@pytest.mark.parametrize(
    "count, population",
    [(None, 1000), (5, None), (float("nan"), 1000), (5, 0), (5, -3), (pd.NA, 1000)],
)
def test_rate_is_missing_without_a_usable_denominator(count, population):
    assert math.isnan(rate(count, population))


def test_change_pct_never_infinite():
    assert math.isnan(change_pct(5, 0))
    assert math.isnan(change_pct(0, 0))
    assert math.isnan(change_pct(None, 10))
    assert math.isnan(change_pct(10, None))
    assert change_pct(0, 10) == -100.0


def test_direction():
    assert direction(change(3, 5)) == "down"
    assert direction(change(5, 5)) == "same"
    assert direction(change(None, 5)) is None


def test_arrays_keep_missing_as_nan():
    current = pd.Series([5285, None, 10, 0, 7], dtype="Int64")
    previous = pd.Series([5040, 100, 0, 0, pd.NA], dtype="Int64")
    population = pd.Series([116_200, 164_500, 0, 1000, 1000])
    rates = rate(current, population)
    assert rates[0] == pytest.approx(45.4819277, abs=1e-6)
    assert np.isnan(rates[1]) and np.isnan(rates[2])
    assert rates[3] == 0.0
    changes = change(current, previous)
    assert changes.tolist()[0] == 245 and np.isnan(changes[1]) and changes[2] == 10 and np.isnan(changes[4])
    pct = change_pct(current, previous)
    assert pct[0] == pytest.approx(4.861111, abs=1e-6)
    assert np.isnan(pct[1]) and np.isnan(pct[2]) and np.isnan(pct[3]) and np.isnan(pct[4])
    assert not np.isinf(pct).any()
    assert direction(changes).tolist() == ["up", None, "up", "same", None]


def test_arrays_match_numbers_on_a_district_by_category_grid():
    rng = np.random.default_rng(3)
    n = 13 * 40
    counts = rng.integers(0, 500, n).astype(float)
    previous = rng.integers(0, 500, n).astype(float)
    counts[rng.choice(n, 40, replace=False)] = np.nan
    previous[rng.choice(n, 40, replace=False)] = np.nan
    previous[rng.choice(n, 10, replace=False)] = 0
    population = rng.integers(50_000, 300_000, n).astype(float)
    grid = {"rate": rate(counts, population), "change": change(counts, previous),
            "change_pct": change_pct(counts, previous)}
    directions = direction(grid["change"])
    for i in range(n):
        for column, one in (
            ("rate", rate(counts[i], population[i])),
            ("change", change(counts[i], previous[i])),
            ("change_pct", change_pct(counts[i], previous[i])),
        ):
            value = grid[column][i]
            assert (np.isnan(value) and math.isnan(one)) or value == pytest.approx(one)
        assert directions[i] == direction(change(counts[i], previous[i]))


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
