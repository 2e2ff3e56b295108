"""Byar's / exact Poisson intervals against the PHEindicatormethods test data (docs/methods.md §2.3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from assessments.statistics.intervals import (
    byars_lower,
    byars_upper,
    count_ci,
    exact_lower,
    exact_upper,
    poisson_ci,
    rate_ci,
    rate_ci_arrays,
    z_value,
)

REL = 1e-9


def test_z_values():
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_value(0.998) == pytest.approx(3.090232, abs=1e-6)


@pytest.mark.parametrize(
    "x, confidence, lower, upper",
    [
        (65, 0.95, 50.163187710459454, 82.849138545939837),
        (1045, 0.95, 982.59320180733255, 1110.3312129856499),
        (65, 0.998, 42.880261471480203, 94.000290844318016),
        (1045, 0.998, 947.94070356103737, 1148.8061609880331),
        (10, 0.998, 2.916318374695686, 24.193724927880535),
    ],
)
def test_byars_table(x, confidence, lower, upper):
    interval = count_ci(x, confidence)
    assert interval.method == "Byars"
    assert interval.lower == pytest.approx(lower, rel=REL)
    assert interval.upper == pytest.approx(upper, rel=REL)
    assert byars_lower(x, confidence) == pytest.approx(lower, rel=REL)
    assert byars_upper(x, confidence) == pytest.approx(upper, rel=REL)


def test_byars_applied_directly_to_one():
    assert byars_lower(1, 0.95) == pytest.approx(0.013072132901504351, rel=REL)
    assert byars_upper(1, 0.95) == pytest.approx(5.5637555824752605, rel=REL)
    # the 99.8% lower limit goes negative, which PHE reports as NA
    assert byars_lower(1, 0.998) is None
    assert byars_upper(1, 0.998) == pytest.approx(9.362180217908362, rel=REL)


def test_method_switches_to_exact_below_ten():
    assert count_ci(9).method == "Exact"
    assert count_ci(10).method == "Byars"
    assert count_ci(1).lower == pytest.approx(exact_lower(1), rel=REL)
    assert count_ci(9).upper == pytest.approx(exact_upper(9), rel=REL)
    assert count_ci(10).lower == pytest.approx(byars_lower(10), rel=REL)


def test_zero_events():
    interval = count_ci(0)
    assert interval.lower == 0.0 and interval.method == "Exact"
    assert interval.upper == pytest.approx(3.6888794541139363, rel=REL)  # chi2(0.975, 2) / 2
    assert byars_lower(0) is None


# phe_rate, multiplier 100: x, n, value, lower95, upper95, lower99.8, upper99.8, method
PHE_RATE = [
    (1, 100, 1, 0.025317807984289897, 5.571643390938898, 0.0010005003335835344, 9.2334134764515845, "Exact"),
    (5, 100, 5, 1.62348639011842, 11.668332079322669, 0.739371731917839, 16.454745203680105, "Exact"),
    (20, 100, 20, 12.211428834875937, 30.889880369197066, 8.922802365144193, 38.085035625041911, "Byars"),
    (65, 100, 65, 50.163187710459454, 82.849138545939837, 42.880261471480203, 94.000290844318016, "Byars"),
    (9856, 12345, 79.837991089509913, 78.269490589767571, 81.430016542721404, 77.375905432710525,
     82.354472770954303, "Byars"),
    (222, 3215, 6.9051321928460334, 6.0265748776526751, 7.8757293708718503, 5.5607376952598537,
     8.4610466817334107, "Byars"),
    (999, 3456, 28.90625, 27.141304936090521, 30.755833237378415, 26.162147596445767, 31.845604819822654, "Byars"),
]


@pytest.mark.parametrize("x, n, value, lower95, upper95, lower998, upper998, method", PHE_RATE)
def test_phe_rate_table(x, n, value, lower95, upper95, lower998, upper998, method):
    r95 = rate_ci(x, n, base=100)
    r998 = rate_ci(x, n, base=100, confidence=0.998)
    assert r95.value == pytest.approx(value, rel=REL)
    assert (r95.lower, r95.upper) == (pytest.approx(lower95, rel=REL), pytest.approx(upper95, rel=REL))
    assert (r998.lower, r998.upper) == (pytest.approx(lower998, rel=REL), pytest.approx(upper998, rel=REL))
    assert r95.method == r998.method == method


def test_phe_rate_per_hundred_thousand():
    r95 = rate_ci(250, 220, base=100_000)
    r998 = rate_ci(250, 220, base=100_000, confidence=0.998)
    assert r95.value == pytest.approx(113636.36363636365, rel=REL)
    assert r95.lower == pytest.approx(99984.947385328764, rel=REL)
    assert r95.upper == pytest.approx(128631.14487455782, rel=REL)
    assert r998.lower == pytest.approx(92710.005544389525, rel=REL)
    assert r998.upper == pytest.approx(137651.23772147458, rel=REL)


def test_phe_rate_table_vectorised():
    x = np.array([row[0] for row in PHE_RATE], dtype=float)
    n = np.array([row[1] for row in PHE_RATE], dtype=float)
    value, lower, upper = rate_ci_arrays(x, n, base=100)
    np.testing.assert_allclose(value, [row[2] for row in PHE_RATE], rtol=REL)
    np.testing.assert_allclose(lower, [row[3] for row in PHE_RATE], rtol=REL)
    np.testing.assert_allclose(upper, [row[4] for row in PHE_RATE], rtol=REL)
    _, lower, upper = rate_ci_arrays(x, n, base=100, confidence=0.998)
    np.testing.assert_allclose(lower, [row[5] for row in PHE_RATE], rtol=REL)
    np.testing.assert_allclose(upper, [row[6] for row in PHE_RATE], rtol=REL)


def test_dashboard_worked_examples():
    r = rate_ci(5285, 180_000)
    assert round(r.value, 2) == 29.36
    assert count_ci(5285).lower == pytest.approx(5143.46, abs=0.005)
    assert count_ci(5285).upper == pytest.approx(5429.44, abs=0.005)
    assert (round(r.lower, 2), round(r.upper, 2)) == (28.57, 30.16)
    r = rate_ci(5040, 180_000)
    assert count_ci(5040).lower == pytest.approx(4901.81, abs=0.005)
    assert count_ci(5040).upper == pytest.approx(5181.10, abs=0.005)
    assert (round(r.value, 2), round(r.lower, 2), round(r.upper, 2)) == (28.00, 27.23, 28.78)
    r = rate_ci(5, 180_000)
    assert r.method == "Exact"
    assert (round(r.value, 3), round(r.lower, 4), round(r.upper, 4)) == (0.028, 0.0090, 0.0648)


def test_poisson_ci_handles_missing_and_switches_per_element():
    counts = pd.Series([0, 1, 9, 10, None, 5285], dtype="Int64")
    lower, upper = poisson_ci(counts)
    assert np.isnan(lower[4]) and np.isnan(upper[4])
    for i, x in enumerate([0, 1, 9, 10]):
        interval = count_ci(x)
        assert lower[i] == pytest.approx(interval.lower, rel=REL)
        assert upper[i] == pytest.approx(interval.upper, rel=REL)
    assert lower[5] == pytest.approx(5143.46, abs=0.005)


def test_missing_and_invalid_inputs():
    assert count_ci(None) is None
    assert rate_ci(5, None) is None and rate_ci(5, 0) is None
    with pytest.raises(ValueError):
        count_ci(-1)
    with pytest.raises(ValueError):
        count_ci(5, confidence=95)
    _, lower, _ = rate_ci_arrays([5, 5], [1000, 0])
    assert np.isnan(lower[1])
