"""Fingertips comparisons (docs/methods.md §2.4) and year-on-year significance (docs/methods.md §3)."""

from __future__ import annotations

import math

import pytest

from assessments.statistics.intervals import count_ci
from assessments.statistics.significance import (
    FINGERTIPS_CODES,
    FINGERTIPS_COLOURS,
    NO_COMPARISON_COLOUR,
    change_significance,
    compare_with_benchmark,
    compare_with_benchmark_two_levels,
)

# --- Fingertips one-level comparison -------------------------------------------------------


@pytest.mark.parametrize("kent_value", [50.0, 40.0, 60.0])
def test_benchmark_inside_or_on_a_bound_is_similar(kent_value):
    assert compare_with_benchmark(52.0, 40.0, 60.0, kent_value, "lower") == "similar"
    assert compare_with_benchmark(52.0, 40.0, 60.0, kent_value, "higher") == "similar"
    assert compare_with_benchmark(52.0, 40.0, 60.0, kent_value, "none") == "similar"


def test_polarity_decides_better_or_worse():
    # area below the benchmark
    assert compare_with_benchmark(30.0, 25.0, 35.0, 59.0, "lower") == "better"  # RagLowIsGood: low crime is good
    assert compare_with_benchmark(30.0, 25.0, 35.0, 59.0, "higher") == "worse"
    assert compare_with_benchmark(30.0, 25.0, 35.0, 59.0, "none") == "lower"
    # area above the benchmark
    assert compare_with_benchmark(80.0, 75.0, 85.0, 59.0, "lower") == "worse"
    assert compare_with_benchmark(80.0, 75.0, 85.0, 59.0, "higher") == "better"
    assert compare_with_benchmark(80.0, 75.0, 85.0, 59.0, "none") == "higher"


def test_just_outside_a_bound_is_not_similar():
    assert compare_with_benchmark(52.0, 40.0, 60.0, 60.000001, "lower") == "better"
    assert compare_with_benchmark(52.0, 40.0, 60.0, 39.999999, "lower") == "worse"


def test_missing_inputs_give_no_comparison():
    assert compare_with_benchmark(None, 1, 2, 3, "lower") is None
    assert compare_with_benchmark(1.5, 1, float("nan"), 3, "lower") is None
    with pytest.raises(ValueError):
        compare_with_benchmark(1, 1, 2, 3, "RagLowIsGood")


# --- two levels -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kent_value, lower_is_better, higher_is_better, no_judgement",
    [
        (50.0, "similar", "similar", "similar"),
        (45.0, "similar", "similar", "similar"),  # on the 95% bound
        (43.0, "worse", "better", "higher"),  # between the 95% and 99.8% lower limits
        (40.0, "worse", "better", "higher"),  # on the 99.8% bound
        (30.0, "worst", "best", "highest"),  # below the 99.8% interval
        (57.0, "better", "worse", "lower"),
        (70.0, "best", "worst", "lowest"),
    ],
)
def test_two_levels(kent_value, lower_is_better, higher_is_better, no_judgement):
    args = (50.0, 45.0, 55.0, 40.0, 60.0, kent_value)
    assert compare_with_benchmark_two_levels(*args, "lower") == lower_is_better
    assert compare_with_benchmark_two_levels(*args, "higher") == higher_is_better
    assert compare_with_benchmark_two_levels(*args, "none") == no_judgement
    assert compare_with_benchmark_two_levels(None, 45.0, 55.0, 40.0, 60.0, kent_value, "lower") is None


def test_codes_and_colours():
    assert FINGERTIPS_CODES["worse"] == 1 and FINGERTIPS_CODES["similar"] == 2 and FINGERTIPS_CODES["better"] == 3
    assert FINGERTIPS_CODES["worst"] == 4 and FINGERTIPS_CODES["best"] == 5
    assert FINGERTIPS_COLOURS["rag"] == {
        "worse": "#c00000", "similar": "#ffc000", "better": "#92d050", "worst": "#821733", "best": "#00b092",
    }
    assert FINGERTIPS_COLOURS["bob"] == {
        "lower": "#5555E6", "similar": "#ffc000", "higher": "#C2CCFF", "lowest": "#252563", "highest": "#C1F4F0",
    }
    assert NO_COMPARISON_COLOUR == "#c9c9c9"


# --- two values, CI overlap -------------------------------------------------------------------


def test_the_byars_intervals_of_5285_and_5040_overlap():
    # Why the change is tested directly: comparing the two intervals would call this rise "similar".
    current, previous = count_ci(5285), count_ci(5040)
    assert current.lower <= previous.upper


# --- Year-on-year (docs/methods.md §3) -------------------------------------------------------------


def test_5285_against_5040_with_unchanged_population():
    result = change_significance(5285, 5040)
    assert result.z == pytest.approx(2.411, abs=5e-4)
    assert result.p_normal == pytest.approx(0.0159, abs=5e-5)
    assert result.z_corrected == pytest.approx(2.401, abs=5e-4)
    assert result.p_corrected == pytest.approx(0.0163, abs=5e-5)
    assert result.p_exact == pytest.approx(0.0163, abs=5e-5)
    assert result.p_exact == pytest.approx(0.016333213, rel=1e-6)
    assert result.expected_share == 0.5
    assert result.significant is True
    assert result.significant_998 is False
    assert result.rate_ratio == pytest.approx(1.0486, abs=5e-5)
    assert result.rate_ratio_lower == pytest.approx(1.0089, abs=5e-5)
    assert result.rate_ratio_upper == pytest.approx(1.0899, abs=5e-5)


def test_equal_populations_are_the_same_as_none():
    assert change_significance(5285, 5040, 180_000, 180_000).p_exact == change_significance(5285, 5040).p_exact


def test_population_growth_makes_the_rise_not_significant():
    result = change_significance(5285, 5040, current_population=182_000, previous_population=180_000)
    assert result.expected_share == pytest.approx(0.50276, abs=5e-6)
    assert result.p_exact == pytest.approx(0.066, abs=5e-4)
    assert result.significant is False
    assert result.rate_ratio == pytest.approx((5285 / 182_000) / (5040 / 180_000))
    assert result.z_corrected is None and result.p_corrected is None
    expected_z = (5285 - 10325 * result.expected_share) / math.sqrt(
        10325 * result.expected_share * (1 - result.expected_share)
    )
    assert result.z == pytest.approx(expected_z)


def test_zero_and_missing_counts():
    assert change_significance(None, 5) is None
    assert change_significance(5, float("nan")) is None
    assert change_significance(0, 0) is None
    from_zero = change_significance(6, 0)
    assert from_zero.p_exact == pytest.approx(2 * 0.5**6)
    assert from_zero.rate_ratio is None and from_zero.rate_ratio_lower is None
    to_zero = change_significance(0, 6)
    assert to_zero.rate_ratio == 0.0 and to_zero.rate_ratio_lower is None
    assert to_zero.z == pytest.approx(-math.sqrt(6))


def test_small_equal_counts_are_not_significant():
    result = change_significance(3, 3)
    assert result.p_exact == pytest.approx(1.0)
    assert result.z == 0 and result.z_corrected == 0
    assert result.significant is False


def test_bad_counts_are_refused():
    with pytest.raises(ValueError):
        change_significance(-1, 5)
    with pytest.raises(ValueError):
        change_significance(2.5, 5)
    with pytest.raises(ValueError):
        change_significance(2, 5, 0, 100)


def test_as_dict():
    assert change_significance(5285, 5040).as_dict()["significant"] is True
