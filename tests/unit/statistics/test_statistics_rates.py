"""Rates, change and direction with missing values kept missing (domain.md §6, methods.md §7)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from assessments.statistics.rates import (
    change,
    change_pct,
    change_pct_series,
    change_series,
    direction,
    direction_series,
    group_rate,
    rate,
    rate_series,
    rates_frame,
    share,
)
from assessments.statistics.rounding import round_half_up


def test_tunbridge_wells_all_crime_headline():
    # 5,285 crimes against 5,040: +245, 4.9% (the published 4.7% was a typing slip)
    assert change(5285, 5040) == 245
    assert change_pct(5285, 5040) == pytest.approx(4.861111, abs=1e-6)
    assert round_half_up(change_pct(5285, 5040), 1) == 4.9
    assert direction(5285, 5040) == "up"


def test_rate_per_thousand_and_ten_thousand():
    assert rate(5285, 116_200) == pytest.approx(45.4819277, abs=1e-6)
    assert round_half_up(rate(362, 128_400, base=10_000), 1) == 28.2  # Ashford One Stop Shop


@pytest.mark.parametrize(
    "count, population",
    [(None, 1000), (5, None), (float("nan"), 1000), (5, 0), (5, -3), (pd.NA, 1000)],
)
def test_rate_is_none_without_a_usable_denominator(count, population):
    assert rate(count, population) is None


def test_change_pct_never_infinite():
    assert change_pct(5, 0) is None
    assert change_pct(0, 0) is None
    assert change_pct(None, 10) is None
    assert change_pct(10, None) is None
    assert change_pct(0, 10) == -100.0


def test_direction():
    assert direction(3, 5) == "down"
    assert direction(5, 5) == "same"
    assert direction(None, 5) is None


def test_group_rate_is_total_over_total_not_mean_of_rates():
    assert group_rate([10, 90], [1000, 9000]) == pytest.approx(10.0)
    # the mean of the two rates would be 10.0 too; make them differ:
    assert group_rate([10, 180], [1000, 9000]) == pytest.approx(19.0)
    assert group_rate([10, None], [1000, 9000]) is None
    assert group_rate([], []) is None
    with pytest.raises(ValueError):
        group_rate([1], [1, 2])


def test_share():
    assert share(2253, 7538) == pytest.approx(29.888564, abs=1e-6)
    assert share(1, 0) is None and share(None, 4) is None


def test_vectorised_versions_keep_missing_as_nan():
    current = pd.Series([5285, None, 10, 0, 7], dtype="Int64")
    previous = pd.Series([5040, 100, 0, 0, pd.NA], dtype="Int64")
    population = pd.Series([116_200, 164_500, 0, 1000, 1000])
    rates = rate_series(current, population)
    assert rates[0] == pytest.approx(45.4819277, abs=1e-6)
    assert np.isnan(rates[1]) and np.isnan(rates[2])
    assert rates[3] == 0.0
    changes = change_series(current, previous)
    assert changes.tolist()[0] == 245 and np.isnan(changes[1]) and changes[2] == 10 and np.isnan(changes[4])
    pct = change_pct_series(current, previous)
    assert pct[0] == pytest.approx(4.861111, abs=1e-6)
    assert np.isnan(pct[1]) and np.isnan(pct[2]) and np.isnan(pct[3]) and np.isnan(pct[4])
    assert not np.isinf(pct).any()
    assert direction_series(current, previous).tolist() == ["up", None, "up", "same", None]


def test_vectorised_matches_scalar_on_a_district_by_category_grid():
    rng = np.random.default_rng(3)
    n = 13 * 40
    counts = rng.integers(0, 500, n).astype(float)
    previous = rng.integers(0, 500, n).astype(float)
    counts[rng.choice(n, 40, replace=False)] = np.nan
    previous[rng.choice(n, 40, replace=False)] = np.nan
    previous[rng.choice(n, 10, replace=False)] = 0
    population = rng.integers(50_000, 300_000, n).astype(float)
    frame = pd.DataFrame({"count": counts, "previous": previous, "population": population})
    out = rates_frame(frame)
    for i in range(n):
        for column, scalar in (
            ("rate", rate(counts[i], population[i])),
            ("change", change(counts[i], previous[i])),
            ("change_pct", change_pct(counts[i], previous[i])),
        ):
            value = out[column][i]
            if scalar is None:
                assert np.isnan(value)
            else:
                assert value == pytest.approx(scalar)
        assert out["direction"][i] == direction(counts[i], previous[i])


def test_rates_frame_previous_rate_and_input_untouched():
    frame = pd.DataFrame({"count": [10.0], "previous": [5.0], "population": [1000.0], "previous_population": [500.0]})
    out = rates_frame(frame, previous_population="previous_population")
    assert out["rate"][0] == 10.0 and out["previous_rate"][0] == 10.0
    assert "rate" not in frame
