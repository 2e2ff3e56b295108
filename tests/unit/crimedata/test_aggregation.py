"""The aggregation rules (docs/methods.md §9), with no database."""

import numpy as np
import pandas as pd
import pytest

from crimedata import reference
from crimedata.aggregation import CategoryTree, aggregate, population_for
from crimedata.periods import Window, parse_month

TREE = CategoryTree.from_records((c.slug, c.parent, c.adds_to_parent) for c in reference.CATEGORIES)
MAIDSTONE = "E07000110"
WINDOW_2016 = Window.ending(parse_month("2016-10"))  # November 2015 to October 2016


def figures(rows):
    """rows: (district, category, 'YYYY-MM' start, 'YYYY-MM' end, value[, provisional])."""
    records = []
    for row in rows:
        district, category, start, end, value, *rest = row
        records.append(
            {
                "district": district,
                "category": category,
                "start": parse_month(start),
                "end": parse_month(end),
                "value": value,
                "provisional": bool(rest and rest[0]),
            }
        )
    return pd.DataFrame(records)


def monthly(district, category, first, count, values):
    start = parse_month(first)
    return [
        (district, category, f"{(start + i) // 12}-{(start + i) % 12 + 1:02d}",
         f"{(start + i) // 12}-{(start + i) % 12 + 1:02d}", v)
        for i, v in zip(range(count), values)
    ]


def value_of(result, district, category, window=0):
    frame = result.values
    row = frame[(frame.window == window) & (frame.district == district) & (frame.category == category)]
    assert len(row) == 1
    value = row["value"].iloc[0]
    return None if pd.isna(value) else int(value)


def row_of(result, district, category, window=0):
    frame = result.values
    return frame[(frame.window == window) & (frame.district == district) & (frame.category == category)].iloc[0]


def test_twelve_monthly_figures_tile_a_twelve_month_window():
    data = figures(monthly(MAIDSTONE, "robbery", "2015-11", 12, [5] * 11 + [14]))
    result = aggregate(data, TREE, [WINDOW_2016], categories=["robbery"])
    assert value_of(result, MAIDSTONE, "robbery") == 69
    assert row_of(result, MAIDSTONE, "robbery")["method"] == "direct"


def test_one_twelve_month_figure_tiles_the_window():
    data = figures([(MAIDSTONE, "robbery", "2015-11", "2016-10", 69)])
    result = aggregate(data, TREE, [WINDOW_2016], categories=["robbery"])
    assert value_of(result, MAIDSTONE, "robbery") == 69


def test_four_quarters_tile_a_financial_year():
    data = figures(
        [
            (MAIDSTONE, "marac-cases", "2023-04", "2023-06", 40),
            (MAIDSTONE, "marac-cases", "2023-07", "2023-09", 45),
            (MAIDSTONE, "marac-cases", "2023-10", "2023-12", 50),
            (MAIDSTONE, "marac-cases", "2024-01", "2024-03", 44),
        ]
    )
    result = aggregate(data, TREE, [Window.ending(parse_month("2024-03"))], categories=["marac-cases"])
    assert value_of(result, MAIDSTONE, "marac-cases") == 179


def test_mixed_grains_months_and_quarters_tile_the_window():
    rows = monthly(MAIDSTONE, "robbery", "2015-11", 5, [6, 6, 6, 6, 6])  # Nov 2015 to Mar 2016
    rows += [(MAIDSTONE, "robbery", "2016-04", "2016-06", 15), (MAIDSTONE, "robbery", "2016-07", "2016-09", 16)]
    rows += [(MAIDSTONE, "robbery", "2016-10", "2016-10", 8)]
    result = aggregate(figures(rows), TREE, [WINDOW_2016], categories=["robbery"])
    assert value_of(result, MAIDSTONE, "robbery") == 69


def test_a_missing_month_makes_the_window_missing_not_a_partial_sum():
    data = figures(monthly(MAIDSTONE, "robbery", "2015-11", 11, [6] * 11))  # October 2016 absent
    result = aggregate(data, TREE, [WINDOW_2016], categories=["robbery"])
    assert value_of(result, MAIDSTONE, "robbery") is None
    assert pd.isna(row_of(result, MAIDSTONE, "robbery")["method"])


def test_a_quarter_straddling_the_window_edge_cannot_tile_it():
    rows = [(MAIDSTONE, "marac-cases", "2015-10", "2015-12", 30)]  # Oct-Dec: starts before Nov
    rows += [(MAIDSTONE, "marac-cases", f"{y}-{m:02d}", f"{y}-{m+2:02d}", 30) for y, m in [(2016, 1), (2016, 4), (2016, 7)]]
    rows += [(MAIDSTONE, "marac-cases", "2016-10", "2016-12", 30)]
    result = aggregate(figures(rows), TREE, [WINDOW_2016], categories=["marac-cases"])
    assert value_of(result, MAIDSTONE, "marac-cases") is None


def test_children_roll_up_when_the_parent_has_no_direct_figure():
    data = figures(
        [
            (MAIDSTONE, "violence-against-the-person", "2015-11", "2016-10", 3390),
            (MAIDSTONE, "sexual-offences", "2015-11", "2016-10", 284),
            (MAIDSTONE, "robbery", "2015-11", "2016-10", 69),
        ]
    )
    result = aggregate(data, TREE, [WINDOW_2016], categories=["violent-crime"])
    assert value_of(result, MAIDSTONE, "violent-crime") == 3743
    assert row_of(result, MAIDSTONE, "violent-crime")["method"] == "children"


def test_roll_up_is_missing_when_any_additive_child_is_missing():
    data = figures(
        [
            (MAIDSTONE, "violence-against-the-person", "2015-11", "2016-10", 3390),
            (MAIDSTONE, "sexual-offences", "2015-11", "2016-10", 284),
        ]
    )
    result = aggregate(data, TREE, [WINDOW_2016], categories=["violent-crime"])
    assert value_of(result, MAIDSTONE, "violent-crime") is None


def test_non_additive_categories_never_add_into_a_parent():
    # Hate crime has no parent and must not add into all crime; child KSI must not add into KSI.
    assert "hate-crime" not in TREE.descendants("all-crime")
    assert "child-ksi" not in TREE.descendants("road-casualties")
    tree = CategoryTree.from_records([("total", None, True), ("a", "total", True), ("flag", "total", False)])
    data = figures([("X", "a", "2016-01", "2016-12", 10), ("X", "flag", "2016-01", "2016-12", 4)])
    result = aggregate(data, tree, [Window.ending(parse_month("2016-12"))])
    assert value_of(result, "X", "total") == 10


def test_direct_figure_takes_precedence_and_a_mismatch_is_warned():
    data = figures(
        [
            (MAIDSTONE, "violent-crime", "2015-11", "2016-10", 3750),
            (MAIDSTONE, "violence-against-the-person", "2015-11", "2016-10", 3390),
            (MAIDSTONE, "sexual-offences", "2015-11", "2016-10", 284),
            (MAIDSTONE, "robbery", "2015-11", "2016-10", 69),
        ]
    )
    result = aggregate(data, TREE, [WINDOW_2016], categories=["violent-crime"])
    assert value_of(result, MAIDSTONE, "violent-crime") == 3750
    assert row_of(result, MAIDSTONE, "violent-crime")["method"] == "direct"
    warning = result.warnings.iloc[0]
    assert (warning["category"], warning["direct_value"], warning["children_value"]) == ("violent-crime", 3750, 3743)


def test_matching_direct_and_children_give_no_warning():
    data = figures(
        [
            (MAIDSTONE, "vehicle-crime", "2015-11", "2016-10", 686),
            (MAIDSTONE, "theft-of-motor-vehicle", "2015-11", "2016-10", 182),
            (MAIDSTONE, "theft-from-motor-vehicle", "2015-11", "2016-10", 504),
        ]
    )
    result = aggregate(data, TREE, [WINDOW_2016], categories=["vehicle-crime"])
    assert value_of(result, MAIDSTONE, "vehicle-crime") == 686
    assert result.warnings.empty


def test_provisional_input_makes_the_derived_value_provisional():
    rows = monthly(MAIDSTONE, "theft-of-motor-vehicle", "2015-11", 12, [15] * 12)
    rows += [r + (False,) for r in monthly(MAIDSTONE, "theft-from-motor-vehicle", "2015-11", 11, [42] * 11)]
    rows += [(MAIDSTONE, "theft-from-motor-vehicle", "2016-10", "2016-10", 42, True)]
    result = aggregate(figures(rows), TREE, [WINDOW_2016], categories=["vehicle-crime", "theft-of-motor-vehicle"])
    assert bool(row_of(result, MAIDSTONE, "vehicle-crime")["provisional"]) is True
    assert bool(row_of(result, MAIDSTONE, "theft-of-motor-vehicle")["provisional"]) is False


def test_several_windows_at_once_give_each_its_own_value():
    data = figures(monthly(MAIDSTONE, "robbery", "2014-11", 24, list(range(1, 25))))
    windows = [WINDOW_2016, WINDOW_2016.previous_year(), Window.ending(parse_month("2016-10"), 1)]
    result = aggregate(data, TREE, windows, categories=["robbery"])
    assert value_of(result, MAIDSTONE, "robbery", 0) == sum(range(13, 25))
    assert value_of(result, MAIDSTONE, "robbery", 1) == sum(range(1, 13))
    assert value_of(result, MAIDSTONE, "robbery", 2) == 24


def test_rolling_windows_match_a_plain_rolling_sum():
    values = list(np.arange(36) * 3 % 17 + 5)
    data = figures(monthly(MAIDSTONE, "robbery", "2014-01", 36, values))
    ends = range(parse_month("2014-12"), parse_month("2016-12") + 1)
    result = aggregate(data, TREE, [Window.ending(e) for e in ends], categories=["robbery"])
    expected = pd.Series(values).rolling(12).sum().dropna().astype(int).tolist()
    got = [value_of(result, MAIDSTONE, "robbery", i) for i in range(len(expected))]
    assert got == expected


def test_districts_with_no_figures_are_listed_as_missing():
    data = figures([(MAIDSTONE, "robbery", "2015-11", "2016-10", 69)])
    result = aggregate(data, TREE, [WINDOW_2016], districts=[MAIDSTONE, "E07000116"], categories=["robbery"])
    assert value_of(result, "E07000116", "robbery") is None


# The Maidstone tree for the 12 months to October 2016 and the year before, exactly as
# published in the Maidstone strategic assessment 2017-18, table 2.3.
MAIDSTONE_TREE = {
    "all-crime": (10271, 9189),
    "victim-based-crime": (9245, 8488),
    # Printed as 2,964, but its own rows add to 2,665 + 222 + 79 = 2,966, and the printed
    # victim-based total (8,488) only adds up with 2,966: a hand-typing slip in the source.
    "violent-crime": (3743, 2966),
    "violence-against-the-person": (3390, 2665),
    "sexual-offences": (284, 222),
    "robbery": (69, 79),
    "burglary-dwelling": (286, 357),
    "burglary-other": (532, 495),
    "vehicle-crime": (686, 583),
    "theft-of-motor-vehicle": (182, 132),
    "theft-from-motor-vehicle": (504, 451),
    "vehicle-interference": (110, 82),
    "theft-and-handling": (2422, 2633),
    "shoplifting": (804, 1077),
    "theft-of-pedal-cycle": (136, 111),
    "other-theft": (1482, 1445),
    "criminal-damage": (1466, 1372),
    "crimes-against-society": (1026, 701),
    "drug-offences": (345, 282),
    "possession-of-weapons": (50, 45),
    "public-order-offences": (402, 227),
    "other-crimes-against-society": (229, 147),
}


def test_the_maidstone_tree_is_reproduced_from_its_leaves():
    rows = []
    for slug, (now, before) in MAIDSTONE_TREE.items():
        if TREE.additive_children(slug) or slug == "drug-offences":
            continue
        rows.append((MAIDSTONE, slug, "2015-11", "2016-10", now))
        rows.append((MAIDSTONE, slug, "2014-11", "2015-10", before))
    # The published table gives drug offences without its split; any split that adds up will do.
    rows += [(MAIDSTONE, "drug-trafficking", "2015-11", "2016-10", 100), (MAIDSTONE, "drug-possession", "2015-11", "2016-10", 245)]
    rows += [(MAIDSTONE, "drug-trafficking", "2014-11", "2015-10", 90), (MAIDSTONE, "drug-possession", "2014-11", "2015-10", 192)]
    result = aggregate(figures(rows), TREE, [WINDOW_2016, WINDOW_2016.previous_year()])
    for slug, (now, before) in MAIDSTONE_TREE.items():
        assert value_of(result, MAIDSTONE, slug, 0) == now, slug
        assert value_of(result, MAIDSTONE, slug, 1) == before, slug
    assert result.warnings.empty


@pytest.mark.parametrize(
    "end,months,year",
    [
        ("2016-09", 12, 2016),  # Oct 2015 to Sep 2016 contains 30 June 2016
        ("2016-05", 12, 2015),  # Jun 2015 to May 2016 contains 30 June 2015
        ("2024-03", 12, 2023),  # financial year 2023/24 uses mid-2023 (docs/methods.md §7)
        ("2023-12", 12, 2023),
        ("2024-03", 3, 2024),  # Jan to Mar 2024: midpoint February 2024
        ("2023-06", 3, 2023),
        ("2023-01", 1, 2023),
    ],
)
def test_population_year_for_a_window(end, months, year):
    assert Window.ending(parse_month(end), months).population_year() == year


def test_population_falls_back_to_the_latest_earlier_year_and_says_so():
    pops = pd.DataFrame(
        {"district": ["A", "A", "B"], "year": [2021, 2022, 2021], "population": [100_000, 101_000, 50_000]}
    )
    out = population_for(pops, Window.ending(parse_month("2024-03")), ["A", "B", "C"])
    assert out.loc["A", "population"] == 101_000 and out.loc["A", "population_year"] == 2022
    assert out.loc["B", "population_year"] == 2021
    assert pd.isna(out.loc["C", "population"]) and pd.isna(out.loc["C", "population_year"])
