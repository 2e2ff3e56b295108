"""The pure comparison: change, rates, group rate and county positions (no database)."""

import pandas as pd
import pytest

from crimedata.selectors import CategoryInfo
from tests.oracles import compare

ALL_CRIME = CategoryInfo(
    id=1, slug="all-crime", name="All recorded crime", short_name="", parent=None, family="recorded-crime",
    unit="count", rate_base=1000, polarity="lower", adds_to_parent=True, suppress_below=None, source="",
    definition="", entry="county", grain="month", proportion_of=None, display_order=1,
)
DA = CategoryInfo(**{**ALL_CRIME.__dict__, "slug": "domestic-abuse-incidents", "polarity": "none"})


def run(counts, previous, populations, category=ALL_CRIME, rank_by="rate", previous_populations=None):
    codes = [f"D{i}" for i in range(len(counts))]
    values = pd.DataFrame(
        {"count": pd.array(counts, dtype="Int64"), "provisional": [False] * len(codes),
         "previous_count": pd.array(previous, dtype="Int64"), "previous_provisional": [False] * len(codes)},
        index=codes,
    )
    pops = pd.DataFrame({"population": populations, "population_year": [2016] * len(codes)}, index=codes)
    before = pops if previous_populations is None else pd.DataFrame(
        {"population": previous_populations, "population_year": [2015] * len(codes)}, index=codes
    )
    return compare(values, pops, before, category=category, districts=[(c, c) for c in codes], rank_by=rank_by)


def test_tunbridge_wells_all_crime_change_and_rate():
    rows, _ = run([5285], [5040], [116_240])
    row = rows.iloc[0]
    assert row["change"] == 245
    assert row["change_pct"] == pytest.approx(4.861, abs=1e-3)  # the document printed 4.7%: a typing slip
    assert row["rate"] == pytest.approx(45.466, abs=1e-3)  # iQuanta printed 45.466
    assert row["direction"] == "up"


def test_ranks_share_places_and_skip_the_next_on_the_displayed_rate():
    # Rates 10.0, 12.04, 11.96, 15.0: 12.04 and 11.96 both display as 12.0 and share 2nd.
    rows, _ = run([100, 1204, 1196, 150], [1, 1, 1, 1], [10_000, 100_000, 100_000, 10_000])
    labels = dict(zip(rows["name"], rows["rank_label"]))
    assert labels == {"D0": "1", "D1": "2=", "D2": "2=", "D3": "4"}


def test_lower_is_better_ranks_the_biggest_fall_first_by_change_pct():
    # The Kent ASB table ranks Canterbury (-8.9%) first and Ashford (+17.3%) last.
    rows, _ = run([3852, 1856, 3380], [4231, 1582, 3701], [1, 1, 1], rank_by="change_pct")
    assert rows["name"].tolist() == ["D0", "D2", "D1"]
    assert rows["rank_label"].tolist() == ["1", "2", "3"]


def test_no_judgement_ranks_lowest_first():
    rows, _ = run([300, 100, 200], [1, 1, 1], [1000, 1000, 1000], category=DA)
    assert rows["name"].tolist() == ["D1", "D2", "D0"]


def test_missing_district_is_unranked_listed_last_and_named_in_the_total():
    rows, total = run([100, None, 200], [90, 80, None], [10_000, 10_000, 10_000])
    assert rows["name"].tolist() == ["D0", "D2", "D1"]
    assert pd.isna(rows.iloc[2]["rank"]) and rows.iloc[2]["rank_label"] is None
    assert rows.iloc[2]["status"] is None
    assert total.count == 300 and total.missing == ["D1"]
    # D2 has no previous figure: the total's previous count would be partial, so it is missing.
    assert total.previous_count is None and total.change is None and total.missing_previous == ["D2"]
    assert pd.isna(rows.iloc[1]["change"]) and rows.iloc[1]["direction"] is None


def test_group_rate_is_total_count_over_total_population_not_a_mean_of_rates():
    _, total = run([100, 900], [100, 900], [10_000, 90_000])
    # Mean of rates would be (10 + 10) / 2 = 10 as well; make them differ:
    _, total = run([100, 900], [100, 900], [10_000, 30_000])
    assert total.rate == pytest.approx(1000 / 40_000 * 1000)  # 25.0, not (10 + 30) / 2 = 20


def test_change_pct_from_zero_is_missing_not_infinite():
    rows, _ = run([5], [0], [1000])
    assert pd.isna(rows.iloc[0]["change_pct"]) and rows.iloc[0]["change"] == 5


def test_previous_rate_uses_the_previous_years_population():
    rows, _ = run([110], [100], [110_000], previous_populations=[100_000])
    assert rows.iloc[0]["rate"] == pytest.approx(1.0) and rows.iloc[0]["previous_rate"] == pytest.approx(1.0)
    assert rows.iloc[0]["previous_population_year"] == 2015


def test_unknown_rank_by_is_refused():
    with pytest.raises(ValueError):
        run([1], [1], [1], rank_by="volume")
