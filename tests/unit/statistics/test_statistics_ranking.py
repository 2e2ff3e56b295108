"""County position with shared places (docs/methods.md §5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.statistics.ranking import competition_ranks, competition_ranks_array, rank_labels


def test_methods_example_higher_is_first():
    ranks = competition_ranks([20.0, 15.3, 15.3, 15.3, 12.1, 9.8], polarity="higher")
    assert ranks == [1, 2, 2, 2, 5, 6]
    assert rank_labels(ranks) == ["1", "2=", "2=", "2=", "5", "6"]


def test_lower_is_better_ranks_lowest_first():
    ranks = competition_ranks([20.0, 15.3, 15.3, 15.3, 12.1, 9.8], polarity="lower")
    assert ranks == [6, 3, 3, 3, 2, 1]
    assert rank_labels(ranks) == ["6", "3=", "3=", "3=", "2", "1"]


def test_no_judgement_is_ordered_lowest_first():
    assert competition_ranks([3.0, 1.0, 2.0], polarity="none") == [3, 1, 2]


def test_tie_then_skip_one_two_equal_four():
    ranks = competition_ranks([1.0, 2.0, 2.0, 3.0], polarity="lower")
    assert rank_labels(ranks) == ["1", "2=", "2=", "4"]


def test_maidstone_kent_table_ties():
    # Year to March 2016, rates per 1,000, lowest = best: Maidstone and Dover both 58 were "5=".
    rates = {"A": 45, "B": 50, "C": 52, "D": 55, "Maidstone": 58, "Dover": 58, "Canterbury": 61, "Shepway": 61, "X": 70}
    labels = dict(zip(rates, rank_labels(competition_ranks(rates.values(), polarity="lower", decimals=0))))
    assert labels["Maidstone"] == labels["Dover"] == "5="
    assert labels["Canterbury"] == labels["Shepway"] == "7="
    assert labels["X"] == "9"


def test_rounding_to_the_displayed_figure_creates_and_breaks_ties():
    # 45.44 and 45.36 both print as 45.4, so they share a place
    assert competition_ranks([45.44, 45.36], polarity="lower") == [1, 1]
    # 45.44 and 45.46 are 0.02 apart but print as 45.4 and 45.5
    assert competition_ranks([45.44, 45.46], polarity="lower") == [1, 2]
    # 45.46 and 45.54 are 0.08 apart but both print as 45.5
    assert competition_ranks([45.46, 45.54], polarity="lower") == [1, 1]
    # half-up, not half-even: 45.45 prints as 45.5 and ties with 45.5
    assert competition_ranks([45.45, 45.5, 45.4], polarity="lower") == [2, 2, 1]
    # ranking exact values when asked
    assert competition_ranks([45.46, 45.54], polarity="lower", decimals=None) == [1, 2]
    assert competition_ranks([45.46, 45.54], polarity="lower", decimals=2) == [1, 2]


def test_missing_values_are_unranked_and_take_no_place():
    ranks = competition_ranks([10.0, None, float("nan"), 5.0, pd.NA], polarity="lower")
    assert ranks == [2, None, None, 1, None]
    assert rank_labels(ranks) == ["2", None, None, "1", None]


def test_unknown_polarity_is_refused():
    with pytest.raises(ValueError, match="polarity"):
        competition_ranks([1.0], polarity="up")


def test_empty_input():
    assert competition_ranks([], polarity="lower") == []
    assert rank_labels([]) == []


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.one_of(
            st.none(),
            st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
            # values that sit on a half when rounded (45.45, 2.675 ...), where binary floats trip up
            st.integers(-100_000, 100_000).map(lambda n: n / 100 + 0.005),
            st.integers(-100_000, 100_000).map(lambda n: n / 20),
        ),
        max_size=15,
    ),
    polarity=st.sampled_from(["lower", "higher", "none"]),
    decimals=st.sampled_from([0, 1, 2]),
)
def test_vectorised_ranks_match_competition_ranks(values, polarity, decimals):
    array = np.array([np.nan if v is None else v for v in values], dtype=float)
    assert competition_ranks_array(array, polarity=polarity, decimals=decimals) == competition_ranks(
        values, polarity=polarity, decimals=decimals)
