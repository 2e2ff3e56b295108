"""Significance columns for a comparison table: intervals, the group comparison, the change test (no database)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from assessments.charts import comparison_bar
from assessments.comparison.compute import records
from assessments.comparison.significance import (
    SIGNIFICANCE_COLUMNS,
    add_significance,
    change_assessment,
    row_change_significance,
    total_significance,
    vs_group_text,
)
from crimedata.selectors import CategoryInfo
from tests.oracles import compare

ALL_CRIME = CategoryInfo(
    id=1, slug="all-crime", name="All recorded crime", short_name="", parent=None, family="recorded-crime",
    unit="count", rate_base=1000, polarity="lower", adds_to_parent=True, suppress_below=None, source="",
    definition="", entry="county", grain="month", proportion_of=None, display_order=1,
)
DOMESTIC_ABUSE = CategoryInfo(**{**ALL_CRIME.__dict__, "slug": "domestic-abuse-incidents", "polarity": "none"})
TREATMENT = CategoryInfo(**{**ALL_CRIME.__dict__, "slug": "positive-discharges", "polarity": "higher"})


def comparison(counts, previous, populations, previous_populations=None, category=ALL_CRIME):
    codes = [f"D{i}" for i in range(len(counts))]
    values = pd.DataFrame(
        {"count": pd.array(counts, dtype="Int64"), "provisional": [False] * len(codes),
         "previous_count": pd.array(previous, dtype="Int64"), "previous_provisional": [False] * len(codes)},
        index=codes,
    )
    now = pd.DataFrame({"population": populations, "population_year": [2016] * len(codes)}, index=codes)
    before = now if previous_populations is None else pd.DataFrame(
        {"population": previous_populations, "population_year": [2015] * len(codes)}, index=codes
    )
    return compare(values, now, before, category=category, districts=[(c, c) for c in codes])


def only_row(frame: pd.DataFrame) -> dict:
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


# --- This year's change (docs/methods.md §3) ----------------------------------------------------------


def test_5285_against_5040_with_the_same_population_is_a_significant_rise():
    rows, total = comparison([5285], [5040], [180_000])
    row = only_row(add_significance(rows, total, polarity="lower"))
    assert row["change_p"] == pytest.approx(0.0163, abs=5e-4)  # the brief's p ≈ 0.016
    assert row["change_significant"] is True
    assert row["change_significance"] == "significant rise"
    assert row["change_assessment"] == "worse"  # more crime, lower is better


def test_the_change_test_allows_for_population_growth():
    # 180,000 -> 182,000 residents: p0 = 0.50276 and the exact p is 0.066, not significant.
    rows, total = comparison([5285], [5040], [182_000], previous_populations=[180_000])
    row = only_row(add_significance(rows, total, polarity="lower"))
    assert row["change_p"] == pytest.approx(0.066, abs=1e-3)
    assert row["change_significant"] is False
    assert row["change_significance"] == "no significant change"
    assert row["change_assessment"] == "similar"


def test_a_change_is_judged_by_polarity_and_never_better_or_worse_without_one():
    assert change_assessment("significant rise", "lower") == "worse"
    assert change_assessment("significant fall", "lower") == "better"
    assert change_assessment("significant rise", "higher") == "better"
    assert change_assessment("significant rise", "none") == "higher"
    assert change_assessment("significant fall", "none") == "lower"
    assert change_assessment("no significant change", "none") == "similar"
    assert change_assessment(None, "lower") is None


def test_a_significant_fall():
    rows, total = comparison([400], [520], [100_000])
    row = only_row(add_significance(rows, total, polarity="lower"))
    assert row["change_significance"] == "significant fall"
    assert row["change_assessment"] == "better"


def test_99_8_percent_asks_for_much_stronger_evidence():
    rows, total = comparison([5285], [5040], [180_000])
    row = only_row(add_significance(rows, total, polarity="lower", confidence=0.998))
    assert row["change_significance"] == "no significant change"  # p = 0.016 is not below 0.002


def test_row_change_significance_is_none_when_a_year_is_missing():
    assert row_change_significance({"count": 10, "previous_count": None}) is None
    assert row_change_significance({"count": pd.NA, "previous_count": 4}) is None


# --- Rate intervals (docs/methods.md §2.1, §2.3) ----------------------------------------------------------


def test_worked_examples_of_rate_intervals():
    rows, total = comparison([5285, 5040, 5], [1, 1, 1], [180_000, 180_000, 180_000])
    frame = add_significance(rows, total, polarity="lower").set_index("district")
    assert frame.at["D0", "rate"] == pytest.approx(29.36, abs=5e-3)
    assert (frame.at["D0", "rate_lower"], frame.at["D0", "rate_upper"]) == (
        pytest.approx(28.57, abs=5e-3), pytest.approx(30.16, abs=5e-3))
    assert (frame.at["D1", "rate_lower"], frame.at["D1", "rate_upper"]) == (
        pytest.approx(27.23, abs=5e-3), pytest.approx(28.78, abs=5e-3))
    assert frame.at["D2", "rate_ci_method"] == "Exact"
    assert (frame.at["D2", "rate_lower"], frame.at["D2", "rate_upper"]) == (
        pytest.approx(0.0090, abs=5e-5), pytest.approx(0.0648, abs=5e-5))
    assert frame.at["D0", "rate_ci_method"] == "Byars"


# phe_rate test data (docs/methods.md §2.3): x, n, value, lower95, upper95, lower99.8, upper99.8, method (per 100).
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


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_the_phe_rate_table_through_the_comparison_columns(confidence):
    rows = pd.DataFrame(
        {"count": pd.array([r[0] for r in PHE_RATE], dtype="Int64"),
         "previous_count": pd.array([None] * len(PHE_RATE), dtype="Int64"),
         "population": pd.array([r[1] for r in PHE_RATE], dtype="Int64"),
         "previous_population": pd.array([None] * len(PHE_RATE), dtype="Int64")}
    )
    rows["rate"] = rows["count"].astype(float) / rows["population"].astype(float) * 100
    frame = add_significance(rows, None, polarity="lower", base=100, confidence=confidence)
    low, high = (3, 4) if confidence == 0.95 else (5, 6)
    for (_, expected), (_, got) in zip(enumerate(PHE_RATE), frame.iterrows()):
        assert got["rate_lower"] == pytest.approx(expected[low], rel=1e-9)
        assert got["rate_upper"] == pytest.approx(expected[high], rel=1e-9)
        assert got["rate_ci_method"] == expected[7]


def test_the_switch_to_the_exact_method_is_below_ten():
    rows, total = comparison([9, 10], [1, 1], [1000, 1000])
    methods = add_significance(rows, total, polarity="lower").set_index("district")["rate_ci_method"]
    assert methods.to_dict() == {"D0": "Exact", "D1": "Byars"}


# --- Against the group rate (docs/methods.md §2.4) --------------------------------------------------


def test_fingertips_comparison_with_the_group_rate_and_polarity():
    # Group: 1,350 crimes per 30,000 residents = 45.0 per 1,000.
    rows, total = comparison([300, 450, 600], [1, 1, 1], [10_000, 10_000, 10_000])
    assert total.rate == pytest.approx(45.0)
    frame = add_significance(rows, total, polarity="lower").set_index("district")
    assert frame["vs_group"].to_dict() == {"D0": "better", "D1": "similar", "D2": "worse"}
    assert frame.at["D0", "vs_group_text"] == "Significantly better than Kent"
    assert frame.at["D1", "vs_group_text"] == "Similar to Kent"
    assert frame["group_rate"].tolist() == pytest.approx([45.0] * 3)


def test_no_judgement_says_higher_or_lower_never_better_or_worse():
    rows, total = comparison([300, 450, 600], [1, 1, 1], [10_000] * 3, category=DOMESTIC_ABUSE)
    frame = add_significance(rows, total, polarity="none", group_area="West Kent").set_index("district")
    assert frame["vs_group"].to_dict() == {"D0": "lower", "D1": "similar", "D2": "higher"}
    assert frame.at["D2", "vs_group_text"] == "Significantly higher than West Kent"
    assert not frame["vs_group_text"].str.contains("better|worse").any()


def test_higher_is_better_swaps_the_judgement():
    rows, total = comparison([300, 600], [1, 1], [10_000] * 2, category=TREATMENT)
    frame = add_significance(rows, total, polarity="higher").set_index("district")
    assert frame["vs_group"].to_dict() == {"D0": "worse", "D1": "better"}


def test_a_group_rate_on_the_interval_bound_is_similar():
    rows = pd.DataFrame({"count": pd.array([65], dtype="Int64"), "previous_count": pd.array([None], dtype="Int64"),
                         "population": pd.array([100], dtype="Int64"),
                         "previous_population": pd.array([None], dtype="Int64"), "rate": [65.0]})
    at_bound = add_significance(rows, 82.849138545939837, polarity="lower", base=100)
    assert at_bound.at[0, "vs_group"] == "similar"
    just_outside = add_significance(rows, 82.85, polarity="lower", base=100)
    assert just_outside.at[0, "vs_group"] == "better"


def test_missing_figures_give_missing_statistics_not_zeros():
    rows, total = comparison([100, None], [90, 80], [10_000, None])
    frame = add_significance(rows, total, polarity="lower").set_index("district")
    assert np.isnan(frame.at["D1", "rate_lower"]) and frame.at["D1", "vs_group"] is None
    assert frame.at["D1", "change_significance"] is None and np.isnan(frame.at["D1", "change_p"])
    assert frame.at["D1", "rate_ci_method"] is None


def test_the_input_frame_is_not_changed_and_every_column_is_added():
    rows, total = comparison([100, 200], [90, 250], [10_000, 20_000])
    before = rows.copy()
    frame = add_significance(rows, total, polarity="lower")
    pd.testing.assert_frame_equal(rows, before)
    assert list(frame.columns) == [*rows.columns, *SIGNIFICANCE_COLUMNS]


def test_only_95_and_99_8_percent_are_offered():
    rows, total = comparison([100], [90], [10_000])
    with pytest.raises(ValueError, match="0.95 or 0.998"):
        add_significance(rows, total, polarity="lower", confidence=0.9)


def test_error_bars_for_the_comparison_chart():
    rows, total = comparison([5285, None], [1, 1], [180_000, 180_000])
    frame = add_significance(rows, total, polarity="lower")
    figure = comparison_bar(records(frame), title="All crime", axis_title="Rate", group_label="Kent average",
                            group_rate=None, interval_label="95% confidence interval")
    bars = figure["data"][0]["error_x"]
    assert bars["array"][0] == pytest.approx(30.16 - 29.36, abs=5e-3)
    assert bars["arrayminus"][0] == pytest.approx(29.36 - 28.57, abs=5e-3)
    assert bars["array"][1] is None and bars["symmetric"] is False


def test_the_group_row_gets_its_own_interval_and_change_test():
    rows, total = comparison([5285, 0], [5040, 0], [90_000, 90_000])
    result = total_significance(total, polarity="lower", previous_population=180_000)
    assert result.change_significance == "significant rise"
    assert result.change.p_exact == pytest.approx(0.0163, abs=5e-4)
    assert result.rate == pytest.approx(29.36, abs=5e-3)
    assert result.rate_lower == pytest.approx(28.57, abs=5e-3)


def test_vs_group_text_handles_unknown():
    assert vs_group_text(None) is None
