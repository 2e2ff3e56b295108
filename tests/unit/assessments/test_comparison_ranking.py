"""Ranking, change and rate as the comparison pages compute them (docs/methods.md §5, §7; no database).

compare() is the per-category reference implementation; compare_many() is the
vectorised one every page uses. Both must give identical results.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.comparison.compute import ROW_COLUMNS, comparison_rows, compare_many
from assessments.wording import format_pct, format_rate
from crimedata.selectors import CategoryInfo
from tests.oracles import compare

BASE = CategoryInfo(
    id=1, slug="all-crime", name="All recorded crime", short_name="", parent=None, family="recorded-crime",
    unit="count", rate_base=1000, polarity="lower", adds_to_parent=True, suppress_below=None, source="",
    definition="", entry="county", grain="month", proportion_of=None, display_order=1,
)


def category(slug="all-crime", polarity="lower", rate_base=1000):
    return CategoryInfo(**{**BASE.__dict__, "slug": slug, "polarity": polarity, "rate_base": rate_base})


def aggregation_values(counts: dict, previous: dict, slug="all-crime", provisional=()):
    """An Aggregation.values frame: window 0 = this period, 1 = a year earlier."""
    rows = []
    for window, values in ((0, counts), (1, previous)):
        for code, value in values.items():
            rows.append({"window": window, "district": code, "category": slug,
                         "value": value, "provisional": (window, code) in provisional, "method": "direct"})
    frame = pd.DataFrame(rows)
    frame["value"] = frame["value"].astype("Int64")
    return frame


def populations(values: dict, year=2016):
    return pd.DataFrame({"population": {k: float(v) if v is not None else np.nan for k, v in values.items()},
                         "population_year": pd.array([year] * len(values), dtype="Int64")},
                        index=list(values))


def run_many(counts, previous, pops, cat=None, rank_by="rate", previous_pops=None, names=None):
    cat = cat or category()
    codes = list(counts)
    names = names or {c: c for c in codes}
    rows, totals = compare_many(
        aggregation_values(counts, previous, cat.slug), populations(pops),
        populations(previous_pops or pops, 2015), categories=[cat], districts=[(c, names[c]) for c in codes],
    )
    return comparison_rows(rows, rank_by), totals[cat.slug]


def test_methods_section_5_vector_gives_1_2eq_2eq_2eq_5_6():
    # Rates 20.0, 15.3, 15.3, 15.3, 12.1, 9.8 per 1,000 with 10,000 residents each; highest = 1.
    counts = {"A": 200, "B": 153, "C": 153, "D": 153, "E": 121, "F": 98}
    rows, _ = run_many(counts, counts, dict.fromkeys(counts, 10_000), cat=category(polarity="higher"))
    assert rows["name"].tolist() == ["A", "B", "C", "D", "E", "F"]
    assert rows["rank_label"].tolist() == ["1", "2=", "2=", "2=", "5", "6"]
    assert rows["rank"].tolist() == [1, 2, 2, 2, 5, 6]


def test_lower_is_better_reverses_the_order_and_ties_skip_the_next_place():
    counts = {"A": 98, "B": 153, "C": 153, "D": 200}
    rows, _ = run_many(counts, counts, dict.fromkeys(counts, 10_000))
    assert rows["rank_label"].tolist() == ["1", "2=", "2=", "4"]


def test_ranks_use_the_rate_as_displayed_to_one_decimal_place():
    # 58.04 and 57.96 both show as 58.0: they share 5th, as Maidstone and Dover did ("5=").
    counts = {"Maidstone": 5804, "Dover": 5796, "Canterbury": 6100}
    rows, _ = run_many(counts, counts, dict.fromkeys(counts, 100_000))
    labels = dict(zip(rows["name"], rows["rank_label"]))
    assert labels == {"Dover": "1=", "Maidstone": "1=", "Canterbury": "3"}


def test_tunbridge_wells_all_crime_change_rate_and_rounding():
    rows, _ = run_many({"TW": 5285}, {"TW": 5040}, {"TW": 116_240})
    row = rows.iloc[0]
    assert row["change"] == 245 and row["direction"] == "up"
    assert row["change_pct"] == pytest.approx(4.8611, abs=1e-4)
    assert format_pct(row["change_pct"]) == "+4.9%"  # the published "4.7%" was a typing slip
    assert row["rate"] == pytest.approx(45.466, abs=1e-3)  # iQuanta printed 45.466
    assert format_rate(row["rate"]) == "45.5"


# The Kent ASB table, November 2015 to October 2016 against the year before (seed 002 §4.1).
KENT_ASB = {
    "Canterbury": (3852, 4231), "Dover": (3380, 3701), "Tonbridge and Malling": (2326, 2469),
    "Medway": (8747, 8983), "Swale": (3904, 3991), "Gravesham": (3274, 3337), "Thanet": (5368, 5337),
    "Shepway": (2948, 2890), "Sevenoaks": (2012, 1970), "Maidstone": (3697, 3588), "Tunbridge Wells": (2287, 2200),
    "Dartford": (2990, 2620), "Ashford": (1856, 1582),
}


def test_kent_asb_table_ranked_by_change_from_canterbury_to_ashford():
    counts = {k: v[0] for k, v in KENT_ASB.items()}
    previous = {k: v[1] for k, v in KENT_ASB.items()}
    rows, total = run_many(counts, previous, dict.fromkeys(counts, 100_000), cat=category("asb-incidents"),
                           rank_by="change_pct")
    assert rows["name"].tolist() == list(KENT_ASB)
    assert rows["rank_label"].tolist() == [str(i) for i in range(1, 14)]
    # −379 ÷ 4,231 = −8.96%: rounded half-up it is −9.0% (the published table truncated it to −8.9%).
    assert format_pct(rows.iloc[0]["change_pct"]) == "\u22129.0%"
    assert format_pct(rows.iloc[-1]["change_pct"]) == "+17.3%"
    # The published Kent row said 46,641 vs 46,897 (-256): its rows add up to 46,899.
    assert (total.count, total.previous_count, total.change) == (46_641, 46_899, -258)


def test_no_judgement_categories_rank_lowest_first():
    counts = {"A": 300, "B": 100, "C": 200}
    rows, _ = run_many(counts, counts, dict.fromkeys(counts, 1000), cat=category("domestic-abuse-incidents", "none"))
    assert rows["name"].tolist() == ["B", "C", "A"]


def test_missing_districts_are_unranked_listed_last_and_named_in_the_total():
    rows, total = run_many({"A": 100, "B": None, "C": 200}, {"A": 90, "B": 80, "C": None},
                           {"A": 10_000, "B": 10_000, "C": 10_000})
    assert rows["name"].tolist() == ["A", "C", "B"]
    assert rows.iloc[2]["rank_label"] is None and pd.isna(rows.iloc[2]["rank"])
    assert rows.iloc[2]["status"] is None and rows.iloc[2]["direction"] is None
    assert total.count == 300 and total.missing == ["B"]
    assert total.previous_count is None and total.missing_previous == ["C"]


def test_group_rate_is_total_count_over_total_population():
    _, total = run_many({"A": 100, "B": 900}, {"A": 100, "B": 900}, {"A": 10_000, "B": 30_000})
    assert total.rate == pytest.approx(25.0)  # 1,000 / 40,000 × 1,000, not (10 + 30) / 2


def test_change_from_zero_has_no_percentage():
    rows, total = run_many({"A": 5}, {"A": 0}, {"A": 1000})
    assert rows.iloc[0]["change"] == 5 and pd.isna(rows.iloc[0]["change_pct"])
    assert total.change_pct is None


def test_provisional_inputs_mark_the_row_and_the_total():
    cat = category()
    rows, totals = compare_many(
        aggregation_values({"A": 10, "B": 20}, {"A": 9, "B": 19}, provisional={(1, "B")}),
        populations({"A": 1000, "B": 1000}), populations({"A": 1000, "B": 1000}), categories=[cat],
        districts=[("A", "A"), ("B", "B")],
    )
    assert rows.set_index("district")["status"].to_dict() == {"A": "final", "B": "provisional"}
    assert totals[cat.slug].provisional


def test_a_base_override_changes_rates_but_not_counts():
    cat = category()
    rows, _ = compare_many(aggregation_values({"A": 10}, {"A": 9}), populations({"A": 1000}),
                           populations({"A": 1000}), categories=[cat], districts=[("A", "A")],
                           bases={"all-crime": 10_000})
    assert rows.iloc[0]["rate"] == pytest.approx(100.0) and rows.iloc[0]["base"] == 10_000
    assert rows.iloc[0]["count"] == 10


counts_strategy = st.lists(st.one_of(st.none(), st.integers(0, 5000)), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    polarity=st.sampled_from(["lower", "higher", "none"]),
    rank_by=st.sampled_from(["rate", "count", "change_pct"]),
)
def test_compare_many_matches_compare_for_any_figures(data, polarity, rank_by):
    current = data.draw(counts_strategy)
    n = len(current)
    previous = data.draw(st.lists(st.one_of(st.none(), st.integers(0, 5000)), min_size=n, max_size=n))
    pops = data.draw(st.lists(st.one_of(st.none(), st.integers(1, 300_000)), min_size=n, max_size=n))
    codes = [f"D{i}" for i in range(n)]
    cat = category(polarity=polarity)
    counts, before = dict(zip(codes, current)), dict(zip(codes, previous))
    population = populations(dict(zip(codes, pops)))
    # The reference: one category at a time.
    values = pd.DataFrame({
        "count": pd.array(current, dtype="Int64"), "provisional": [False] * n,
        "previous_count": pd.array(previous, dtype="Int64"), "previous_provisional": [False] * n,
    }, index=codes)
    expected_rows, expected_total = compare(values, population, population, category=cat,
                                            districts=[(c, c) for c in codes], rank_by=rank_by)
    rows, totals = compare_many(aggregation_values(counts, before), population, population, categories=[cat],
                                districts=[(c, c) for c in codes])
    got = comparison_rows(rows, rank_by)
    pd.testing.assert_frame_equal(got[ROW_COLUMNS], expected_rows[ROW_COLUMNS])
    total = totals[cat.slug]
    for key in ("count", "previous_count", "change", "population", "districts_with_data", "missing"):
        assert getattr(total, key) == getattr(expected_total, key)
    for key in ("rate", "previous_rate", "change_pct"):
        a, b = getattr(total, key), getattr(expected_total, key)
        assert (a is None and b is None) or math.isclose(a, b)
    assert sorted(total.missing_previous) == sorted(expected_total.missing_previous)
