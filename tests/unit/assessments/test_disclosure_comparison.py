"""Small-number suppression wired to comparison tables (no database), with a brute-force reader."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.comparison.compute import Comparison
from assessments.comparison.significance import add_significance
from assessments.comparison.suppression import disclose_comparison, disclose_rows
from crimedata.periods import Window
from crimedata.roles import ANALYST_VIEW as ANALYST
from crimedata.roles import PARTNER_VIEW as PARTNER
from crimedata.roles import PUBLIC
from crimedata.selectors import CategoryInfo, GroupInfo
from tests.oracles import compare

ADMISSIONS = CategoryInfo(
    id=1, slug="alcohol-hospital-admissions", name="Alcohol-specific hospital admissions", short_name="",
    parent=None, family="service", unit="count", rate_base=10000, polarity="lower", adds_to_parent=True,
    suppress_below=5, source="", definition="", entry="district", grain="quarter", proportion_of=None,
    display_order=1,
)
NAMES = ["Ashford", "Canterbury", "Dover", "Swale", "Thanet", "Medway"]


def build(counts, previous, populations=None, category=ADMISSIONS, rank_by="rate"):
    names = NAMES[: len(counts)]
    populations = populations or [100_000] * len(counts)
    values = pd.DataFrame(
        {"count": pd.array(counts, dtype="Int64"), "provisional": [False] * len(counts),
         "previous_count": pd.array(previous, dtype="Int64"), "previous_provisional": [False] * len(counts)},
        index=names,
    )
    pops = pd.DataFrame({"population": populations, "population_year": [2016] * len(counts)}, index=names)
    return compare(values, pops, pops, category=category, districts=[(n, n) for n in names], rank_by=rank_by)


def by_name(disclosed) -> pd.DataFrame:
    return disclosed.rows.set_index("name")


def test_nothing_is_hidden_without_a_threshold():
    rows, total = build([3, 40, 25], [2, 30, 20])
    disclosed = disclose_rows(rows, total, suppress_below=None, audience=PUBLIC, polarity="lower")
    assert not disclosed.any_suppressed and disclosed.note is None
    assert disclosed.rows["count"].tolist() == [3, 25, 40]
    assert disclosed.rows["count_display"].isna().all()


def test_one_small_district_is_shown_as_less_than_five_and_a_second_is_hidden():
    rows, total = build([3, 40, 25, 60], [10, 30, 20, 50])
    rows = add_significance(rows, total, polarity="lower", base=10000)
    disclosed = disclose_rows(rows, total, suppress_below=5, audience=PUBLIC, polarity="lower")
    frame = by_name(disclosed)
    assert frame.at["Ashford", "count_display"] == "<5"
    assert frame.at["Ashford", "count_suppressed"] == "primary"
    # Kent total − the others would give Ashford, so the smallest other is hidden too.
    assert frame.at["Dover", "count_display"] == "*"
    assert frame.at["Dover", "count_suppressed"] == "secondary"
    assert frame["count"].isna().sum() == 2
    for name in ("Ashford", "Dover"):
        assert pd.isna(frame.at[name, "count"])
        assert np.isnan(frame.at[name, "rate"]) and np.isnan(frame.at[name, "rate_lower"])
        assert pd.isna(frame.at[name, "change"]) and np.isnan(frame.at[name, "change_pct"])
        assert frame.at[name, "direction"] is None and frame.at[name, "vs_group"] is None
        assert frame.at[name, "change_significance"] is None
        assert pd.isna(frame.at[name, "rank"]) and frame.at[name, "rank_label"] is None
        # last year's counts were not small and are still published
        assert not pd.isna(frame.at[name, "previous_count"])
    # Positions are among the two published districts only, and hidden rows go last.
    assert frame["rank_label"].dropna().to_dict() == {"Canterbury": "1", "Swale": "2"}
    assert disclosed.rows["name"].tolist()[-2:] == ["Ashford", "Dover"]
    # The total is published: it no longer gives either hidden count away.
    assert disclosed.total["count"] == 128 and disclosed.total["count_display"] is None
    assert "<5" in disclosed.note and "*" in disclosed.note


def test_analysts_see_the_true_values_marked_suppressed_in_public():
    rows, total = build([3, 40, 25, 60], [10, 30, 20, 50])
    disclosed = disclose_rows(rows, total, suppress_below=5, audience=ANALYST, polarity="lower")
    frame = by_name(disclosed)
    assert frame.at["Ashford", "count"] == 3 and frame.at["Dover", "count"] == 25
    assert frame.at["Ashford", "suppressed_in_public"] and frame.at["Dover", "suppressed_in_public"]
    assert not frame.at["Canterbury", "suppressed_in_public"]
    assert frame["count_display"].isna().all()
    assert frame.at["Ashford", "rank_label"] == "1"
    assert "suppressed in public" in disclosed.note


def test_partners_get_the_public_view():
    rows, total = build([3, 40, 25, 60], [10, 30, 20, 50])
    public = disclose_rows(rows, total, suppress_below=5, audience=PUBLIC, polarity="lower")
    partner = disclose_rows(rows, total, suppress_below=5, audience=PARTNER, polarity="lower")
    pd.testing.assert_frame_equal(public.rows, partner.rows)


def test_a_small_count_last_year_hides_the_change_but_not_this_year():
    rows, total = build([30, 40, 25, 60], [3, 30, 20, 50])
    frame = by_name(disclose_rows(rows, total, suppress_below=5, audience=PUBLIC, polarity="lower"))
    assert frame.at["Ashford", "count"] == 30 and frame.at["Ashford", "previous_count_display"] == "<5"
    assert pd.isna(frame.at["Ashford", "change"]) and np.isnan(frame.at["Ashford", "previous_rate"])
    assert not np.isnan(frame.at["Ashford", "rate"])
    assert pd.isna(frame.at["Ashford", "previous_rank"])


def test_a_small_total_is_hidden_as_a_star():
    rows, total = build([3, 0, 0], [0, 0, 0])
    disclosed = disclose_rows(rows, total, suppress_below=5, audience=PUBLIC, polarity="lower")
    assert disclosed.total["count_display"] == "*"
    assert disclosed.total["count"] is None and disclosed.total["rate"] is None
    assert disclosed.total["change"] is None


def test_zero_and_missing_are_never_suppressed():
    rows, total = build([0, None, 40, 50], [0, 10, 30, 20])
    frame = by_name(disclose_rows(rows, total, suppress_below=5, audience=PUBLIC, polarity="lower"))
    assert frame.at["Ashford", "count"] == 0 and frame.at["Ashford", "count_display"] is None
    assert pd.isna(frame.at["Canterbury", "count"]) and frame.at["Canterbury", "count_suppressed"] is None


def test_ranking_by_count_is_redone_over_published_rows():
    rows, total = build([3, 40, 25, 60], [10, 30, 20, 50], rank_by="count")
    frame = by_name(disclose_rows(rows, total, suppress_below=5, audience=PUBLIC, polarity="lower", rank_by="count"))
    assert frame["rank_label"].dropna().to_dict() == {"Canterbury": "1", "Swale": "2"}


def test_disclose_comparison_reads_the_category_threshold_and_polarity():
    rows, total = build([3, 40, 25, 60], [10, 30, 20, 50])
    group = GroupInfo(id=1, slug="east", name="East", description="", district_codes=tuple(NAMES[:4]))
    window = Window.ending(2016 * 12 + 9)
    comparison = Comparison(
        category=ADMISSIONS, group=group, window=window, previous_window=window.previous_year(), rank_by="rate",
        base=10000, rows=rows, total=total, population_year_wanted=2016, warnings=pd.DataFrame(),
    )
    disclosed = disclose_comparison(comparison, PUBLIC)
    assert disclosed.suppress_below == 5 and disclosed.suppressed_cells == 2
    enriched = add_significance(rows, total, polarity="lower", base=10000)
    assert "vs_group" in disclose_comparison(comparison, PUBLIC, rows=enriched).rows.columns


def test_an_unknown_audience_is_refused():
    rows, total = build([3, 40], [10, 30])
    with pytest.raises(ValueError, match="view of small numbers"):
        disclose_rows(rows, total, suppress_below=5, audience="councillor")


# --- Brute force: nothing hidden can be worked out from what is published ------------------------


def published_knowledge(disclosed, column: str):
    """What a reader of the published table knows about one count column."""
    rows = disclosed.rows
    shown = [None if pd.isna(v) else int(v) for v in rows[column]]
    display = rows[f"{column}_display"].tolist()
    total = disclosed.total[column]
    return shown, display, total


def possible_values(display: str, threshold: int, cap: int) -> list[int]:
    if display.startswith("<"):
        return list(range(1, threshold))
    # "*": not a small count, so 0 or at least the threshold
    return [0, *range(threshold, cap + 1)]


def consistent_values(disclosed, column: str, threshold: int, truth: list[int]) -> dict[int, set[int]]:
    """Every value each hidden cell can take in some table that publishes exactly the same figures."""
    shown, display, total = published_knowledge(disclosed, column)
    hidden = [i for i, text in enumerate(display) if text is not None]
    cap = (total if total is not None else sum(v or 0 for v in truth)) + 3 * threshold
    domains = [possible_values(display[i], threshold, cap) for i in hidden]
    seen: dict[int, set[int]] = {i: set() for i in hidden}
    known = sum(v for v in shown if v is not None)
    for combination in itertools.product(*domains):
        if total is not None and known + sum(combination) != total:
            continue
        for i, value in zip(hidden, combination):
            seen[i].add(value)
    return seen


@st.composite
def small_tables(draw):
    n = draw(st.integers(2, 5))
    count = st.one_of(st.integers(0, 6), st.integers(0, 15), st.integers(0, 40))
    counts = draw(st.lists(count, min_size=n, max_size=n))
    previous = draw(st.lists(count, min_size=n, max_size=n))
    populations = draw(st.lists(st.integers(2_000, 200_000), min_size=n, max_size=n))
    threshold = draw(st.integers(3, 7))
    return counts, previous, populations, threshold


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_tables())
def test_no_hidden_count_can_be_worked_out_from_a_published_comparison(case):
    counts, previous, populations, threshold = case
    category = CategoryInfo(**{**ADMISSIONS.__dict__, "suppress_below": threshold})
    rows, total = build(counts, previous, populations, category=category)
    rows = add_significance(rows, total, polarity="lower", base=10000)
    disclosed = disclose_rows(rows, total, suppress_below=threshold, audience=PUBLIC, polarity="lower")
    frame = disclosed.rows

    truth_rows = rows.set_index("name")
    for column, truth_column in (("count", "count"), ("previous_count", "previous_count")):
        truth = [int(truth_rows.at[name, truth_column]) for name in frame["name"]]
        # every small count is hidden
        for name, value, display in zip(frame["name"], truth, frame[f"{column}_display"]):
            if 0 < value < threshold:
                assert display == f"<{threshold}", (name, value)
        for i, values in consistent_values(disclosed, column, threshold, truth).items():
            assert truth[i] in values
            assert len(values) >= 2, f"{column} of {frame.at[i, 'name']} can be worked out: {values}"

    # nothing derived from a hidden count is published
    hidden = frame["count_display"].notna() | frame["previous_count_display"].notna()
    assert frame.loc[hidden, "change"].isna().all() and frame.loc[hidden, "change_pct"].isna().all()
    assert frame.loc[frame["count_display"].notna(), "rate"].isna().all()
    assert frame.loc[frame["count_display"].notna(), "rate_upper"].isna().all()
    # published positions depend on published rates only
    published = frame[frame["count_display"].isna()]
    rates = [round(v, 1) if not math.isnan(v) else None for v in published["rate"]]
    assert published["rank"].notna().sum() == sum(r is not None for r in rates)


def test_the_brute_force_reader_can_catch_a_leak():
    # Hide Ashford's 3 alone, by hand: total − others gives it back.
    rows, total = build([3, 40, 25], [10, 30, 20])
    disclosed = disclose_rows(rows, total, suppress_below=None, audience=PUBLIC, polarity="lower")
    frame = disclosed.rows
    at = frame.index[frame["name"] == "Ashford"][0]
    frame.loc[at, "count_display"] = "<5"
    frame["count"] = frame["count"].astype("Int64")
    frame.loc[at, "count"] = pd.NA
    seen = consistent_values(disclosed, "count", 5, [3, 25, 40])
    assert seen[at] == {3}
