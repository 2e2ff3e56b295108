"""The district profile's parts from computed comparisons: headlines, crime types, proportionality, trend (no database)."""

import numpy as np
import pandas as pd
import pytest

from assessments.comparison.compute import ComparisonTable, compare_many
from assessments.comparison.context import ComparisonContext
from assessments.comparison.headline import headlines
from assessments.comparison.pages import total_missing_note
from assessments.comparison.trend import Trend
from assessments.profile.sections import KEY_THEMES, crime_type_rows, proportions, trend_rows
from crimedata.aggregation import Aggregation
from crimedata.periods import Window, parse_month
from tests.comparison_data import reference_snapshot

REF = reference_snapshot()
KENT = REF.group("kent")
TW, SEV = "E07000116", "E07000111"
WINDOW = Window.ending(parse_month("2016-09"))

# Tunbridge Wells, October 2015 to September 2016 and the year before (seed 000).
TW_FIGURES = {
    "all-crime": (5285, 5040),
    "asb-incidents": (2253, 2236),
    "burglary-dwelling": (155, 240),
    "drug-offences": (189, 212),
    "violence-against-the-person": (1723, 1400),
    "domestic-abuse-incidents": (1403, 1319),
}


def context_for(figures_by_district: dict[str, dict[str, tuple]]) -> ComparisonContext:
    """A comparison context over the figures, as a page would have it (no database)."""
    rows = []
    for code, figures in figures_by_district.items():
        for slug, (now, before) in figures.items():
            rows.append({"window": 0, "district": code, "category": slug, "value": now, "provisional": False})
            rows.append({"window": 1, "district": code, "category": slug, "value": before, "provisional": False})
    values = pd.DataFrame(rows)
    values["value"] = values["value"].astype("Int64")
    codes = list(KENT.district_codes)
    population = pd.DataFrame({"population": [116_240.0] * len(codes), "population_year": pd.array([2016] * len(codes),
                               dtype="Int64")}, index=codes)
    districts = [(d.code, d.name) for d in REF.districts if d.code in codes]
    out, totals = compare_many(values, population, population, categories=REF.categories, districts=districts)
    table = ComparisonTable(window=WINDOW, group=KENT, rows=out, totals=totals)
    aggregation = Aggregation(values=values, warnings=pd.DataFrame(), windows=[WINDOW, WINDOW.previous_year()])
    return ComparisonContext(ref=REF, generation=0, window=WINDOW, group=KENT, include_provisional=False,
                             aggregation=aggregation, populations_now=population, populations_before=population,
                             _table=table)


def table_for(figures_by_district: dict[str, dict[str, tuple]]) -> ComparisonTable:
    return context_for(figures_by_district).table()


def test_headline_box_for_all_recorded_crime():
    others = {slug: (now + 500, before + 100) for slug, (now, before) in TW_FIGURES.items()}
    boxes = headlines(context_for({TW: TW_FIGURES, SEV: others}), TW, KEY_THEMES)
    crime = boxes["all-crime"]
    assert crime.level == "5,285 crimes" and crime.previous_level == "5,040 crimes"
    assert crime.change_text == "An increase of 245 crimes (4.9%)"
    assert crime.peer == "Best out of 2 Kent areas (lowest by volume; previously 1st)"
    assert boxes["burglary-dwelling"].change_text == "A decrease of 85 crimes (35.4%)"
    # Domestic abuse reports have no better direction: "lowest", never "best".
    assert boxes["domestic-abuse-incidents"].peer.startswith("Lowest rate of 2 Kent areas")
    # A theme without any figure still gets its box, saying so.
    assert boxes["road-casualties"].level is None
    assert boxes["road-casualties"].peer.startswith("No position")


def test_proportionality_is_a_share_of_crime_plus_asb_as_tunbridge_wells_shows_it():
    result = proportions(table_for({TW: TW_FIGURES}), TW, REF)
    assert result.total == 5285 + 2253
    assert result.base_label == "all recorded crime plus anti-social behaviour incidents"
    shares = {r["slug"]: r["share"] for r in result.rows}
    assert shares["asb-incidents"] == pytest.approx(2253 / 7538 * 100)  # 29.9%
    assert result.rows[0]["slug"] == "asb-incidents"  # largest share first
    # Parts with no figure show as missing, never as a 0% share.
    assert shares["robbery"] is None


def test_proportionality_without_asb_uses_all_crime_and_says_so():
    figures = {k: v for k, v in TW_FIGURES.items() if k != "asb-incidents"}
    result = proportions(table_for({TW: figures}), TW, REF)
    assert result.total == 5285 and "no anti-social behaviour figure" in result.base_label


def test_crime_type_rows_follow_the_published_tree_order_with_depth():
    rows = crime_type_rows(table_for({TW: TW_FIGURES}), TW, REF)
    slugs = [r["slug"] for r in rows]
    assert slugs[:3] == ["all-crime", "victim-based-crime", "violent-crime"]
    assert slugs.index("violence-against-the-person") == slugs.index("violent-crime") + 1
    by_slug = {r["slug"]: r for r in rows}
    assert by_slug["violence-against-the-person"]["depth"] == 3
    assert by_slug["all-crime"]["change"] == 245 and by_slug["all-crime"]["rank_label_rate"] == "1"
    assert by_slug["robbery"]["count"] is None


def test_total_note_names_missing_districts():
    table = table_for({TW: TW_FIGURES, SEV: {"all-crime": (6263, None)}})
    notes = total_missing_note(table.totals["all-crime"], "Kent (12 KCC districts)")
    assert "leaves out Ashford, Canterbury" in notes[0] and "have no figure for this period" in notes[0]
    assert "no Kent (12 KCC districts) total for a year earlier because Sevenoaks has no figure" in notes[1]


def test_trend_rows_pair_the_district_with_the_group_and_keep_gaps():
    windows = [Window.ending(parse_month("2016-08")), Window.ending(parse_month("2016-09"))]
    districts = pd.DataFrame({
        "end": [w.end for w in windows], "district": [TW, TW], "name": ["Tunbridge Wells"] * 2,
        "count": pd.array([5200, None], dtype="Int64"), "population": [116_240.0, 116_240.0],
        "rate": [44.7, np.nan], "provisional": [False, False],
    })
    group_line = pd.DataFrame({"end": [w.end for w in windows], "count": pd.array([90_000, None], dtype="Int64"),
                               "population": [1.5e6, np.nan], "rate": [60.0, np.nan], "missing": [[], ["Dover"]]})
    trend = Trend(category=REF.category("all-crime"), group=KENT, windows=windows, base=1000, districts=districts,
                  group_line=group_line)
    rows = trend_rows(trend, TW)
    assert [r["label"] for r in rows] == ["August 2016", "September 2016"]
    assert rows[0]["rate"] == 44.7 and rows[0]["group_rate"] == 60.0
    assert rows[1]["count"] is None and rows[1]["rate"] is None and rows[1]["group_rate"] is None
    assert rows[1]["group_missing"] == ["Dover"]
