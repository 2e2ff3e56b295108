"""Generated commentary: plain English from computed figures (no database)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from assessments.commentary.text import (
    GroupWords,
    Measure,
    category_nouns,
    change_position_phrase,
    crime_type_summary,
    fingerprint,
    group_words,
    headline,
    position_phrase,
    priority_paragraph,
    spc_summary,
    window_phrase,
)
from assessments.comparison.significance import add_significance
from assessments.comparison.suppression import disclose_rows
from assessments.statistics.significance import change_significance
from crimedata.periods import Window
from crimedata.roles import PUBLIC
from crimedata.selectors import CategoryInfo
from tests.oracles import compare

ALL_CRIME = CategoryInfo(
    id=1, slug="all-crime", name="All recorded crime", short_name="", parent=None, family="recorded-crime",
    unit="count", rate_base=1000, polarity="lower", adds_to_parent=True, suppress_below=None, source="",
    definition="", entry="county", grain="month", proportion_of=None, display_order=1,
)
DOMESTIC_ABUSE = CategoryInfo(
    **{**ALL_CRIME.__dict__, "slug": "domestic-abuse-incidents", "name": "Domestic abuse incidents", "polarity": "none"}
)
TREATMENT = CategoryInfo(
    **{**ALL_CRIME.__dict__, "slug": "positive-discharges", "name": "Positive treatment discharges",
       "polarity": "higher"}
)
ADMISSIONS = CategoryInfo(
    **{**ALL_CRIME.__dict__, "slug": "alcohol-hospital-admissions", "name": "Alcohol-specific hospital admissions",
       "suppress_below": 5, "rate_base": 10000}
)
KENT = group_words("kent", "Kent (12 KCC districts)")
SEPTEMBER_2016 = Window.ending(2016 * 12 + 8).label  # "12 months to September 2016"
KENT_DISTRICTS = [
    "Ashford", "Canterbury", "Dartford", "Dover", "Gravesham", "Maidstone", "Sevenoaks", "Folkestone and Hythe",
    "Swale", "Thanet", "Tonbridge and Malling", "Tunbridge Wells",
]


def comparison(counts, previous, populations, category=ALL_CRIME, names=None, previous_populations=None):
    names = names or KENT_DISTRICTS[: len(counts)]
    values = pd.DataFrame(
        {"count": pd.array(counts, dtype="Int64"), "provisional": [False] * len(counts),
         "previous_count": pd.array(previous, dtype="Int64"), "previous_provisional": [False] * len(counts)},
        index=names,
    )
    now = pd.DataFrame({"population": populations, "population_year": [2016] * len(counts)}, index=names)
    before = now if previous_populations is None else pd.DataFrame(
        {"population": previous_populations, "population_year": [2015] * len(counts)}, index=names
    )
    rows, total = compare(values, now, before, category=category, districts=[(n, n) for n in names])
    return add_significance(rows, total, polarity=category.polarity, base=category.rate_base), total


def text_for(rows, district, category=ALL_CRIME, **kwargs):
    records = rows.to_dict("records")
    row = next(r for r in records if r["name"] == district)
    return headline(row, category=category, window_label=SEPTEMBER_2016, group=KENT, rows=records, **kwargs).text


def kent_all_crime():
    # Tunbridge Wells 2015/16: 5,285 crimes against 5,040, 116,240 residents (45.5 per 1,000, lowest of 12).
    counts = [5285, 8500, 6200, 7000, 6900, 9700, 5900, 7600, 10400, 11800, 7000, 5500]
    previous = [5040, 8200, 6100, 6800, 6700, 9500, 5800, 7400, 10300, 11500, 6900, 5300]
    populations = [116_240, 123_000, 101_000, 114_000, 106_000, 165_000, 119_000, 110_000, 144_000, 140_000,
                   126_000, 116_000]
    names = ["Tunbridge Wells", *[n for n in KENT_DISTRICTS if n != "Tunbridge Wells"]]
    return comparison(counts, previous, populations, names=names)


# --- The headline box --------------------------------------------------------------------------------


def test_the_tunbridge_wells_headline_from_the_issue():
    rows, _ = kent_all_crime()
    text = text_for(rows, "Tunbridge Wells")
    assert text.startswith(
        "Tunbridge Wells recorded 5,285 crimes in the 12 months to September 2016, 245 more than the year before "
        "(+4.9%), a statistically significant rise."
    )
    assert "At 45.5 crimes per 1,000 residents it had the lowest rate of the 12 Kent districts." in text
    assert "It was significantly better than the Kent average" in text


def test_positions_count_from_the_nearer_end_and_ties_are_joint():
    assert position_phrase(1, 12, False) == "the lowest rate"
    assert position_phrase(2, 11, False) == "the 2nd lowest rate"
    assert position_phrase(2, 10, True) == "the joint 2nd lowest rate"
    assert position_phrase(11, 2, False) == "the 2nd highest rate"
    assert position_phrase(12, 1, False) == "the highest rate"


def test_a_shared_place_in_a_comparison_reads_joint_2nd():
    # Rates 10.0, 12.0, 12.0, 15.0 per 1,000.
    rows, _ = comparison([100, 120, 120, 150], [100, 120, 120, 150], [10_000] * 4)
    assert "it had the joint 2nd lowest rate of the 4 Kent districts" in text_for(rows, "Canterbury")
    assert "it had the highest rate of the 4 Kent districts" in text_for(rows, "Dover")


def test_higher_is_better_puts_the_highest_first():
    rows, _ = comparison([300, 200, 100], [300, 200, 100], [10_000] * 3, category=TREATMENT)
    assert "the highest rate of the 3 Kent districts" in text_for(rows, "Ashford", category=TREATMENT)
    assert "the lowest rate of the 3 Kent districts" in text_for(rows, "Dartford", category=TREATMENT)


def test_the_smallest_increase_in_kent():
    rows, _ = comparison([1010, 1100, 1200], [1000, 1000, 1000], [100_000] * 3)
    text = text_for(rows, "Ashford")
    assert "That was the smallest increase in Kent." in text
    assert "the largest increase in Kent" in text_for(rows, "Dartford")


def test_change_positions_stay_among_districts_moving_the_same_way():
    records = [
        {"district": "A", "change_pct": -8.9}, {"district": "B", "change_pct": -2.0},
        {"district": "C", "change_pct": 3.0}, {"district": "D", "change_pct": 5.0},
        {"district": "E", "change_pct": 9.0}, {"district": "F", "change_pct": 17.3},
    ]
    group = GroupWords("Kent and Medway", "Kent and Medway areas")
    assert change_position_phrase(records, "A", group) == "the largest fall in Kent and Medway"
    assert change_position_phrase(records, "B", group) == "the smallest fall in Kent and Medway"
    assert change_position_phrase(records, "C", group) == "the smallest increase in Kent and Medway"
    assert change_position_phrase(records, "D", group) == "the 2nd smallest increase of the 6 Kent and Medway areas"
    assert change_position_phrase(records, "E", group) == "the 2nd largest increase of the 6 Kent and Medway areas"
    assert change_position_phrase(records, "F", group) == "the largest increase in Kent and Medway"
    tied = [{"district": d, "change_pct": pct} for d, pct in (("A", 4.0), ("B", 4.0), ("C", 6.0))]
    assert change_position_phrase(tied, "A", group) == "the joint smallest increase in Kent and Medway"


def test_a_change_that_is_not_significant_says_so():
    rows, _ = comparison([1010, 2000], [1000, 2000], [100_000, 100_000])
    text = text_for(rows, "Ashford")
    assert "10 more than the year before (+1.0%), which is no significant change." in text


def test_above_the_kent_average_but_not_significantly():
    # Ashford 52 per 1,000 against a Kent average of 50.2: inside Ashford's interval.
    rows, _ = comparison([520, 5000], [520, 5000], [10_000, 100_000])
    text = text_for(rows, "Ashford")
    assert "It was above the Kent average but not significantly (Kent: 50.2 per 1,000 residents)." in text


def test_no_judgement_is_higher_or_lower_never_better_or_worse():
    rows, _ = comparison([300, 450, 900], [250, 450, 700], [10_000] * 3, category=DOMESTIC_ABUSE)
    for district in ("Ashford", "Canterbury", "Dartford"):
        text = text_for(rows, district, category=DOMESTIC_ABUSE)
        assert not re.search(r"\b(better|worse|improvement|concern)\b", text), text
    assert "It was significantly higher than the Kent average" in text_for(rows, "Dartford", category=DOMESTIC_ABUSE)
    assert "domestic abuse incidents" in text_for(rows, "Dartford", category=DOMESTIC_ABUSE)


def test_a_fall():
    rows, _ = comparison([400, 2000], [520, 2000], [100_000, 100_000])
    text = text_for(rows, "Ashford")
    assert "120 fewer than the year before (\u221223.1%), a statistically significant fall." in text


def test_missing_this_year_is_no_data_not_zero():
    rows, _ = comparison([None, 2000], [520, 2000], [100_000, 100_000])
    text = text_for(rows, "Ashford")
    assert text == "There is no figure for crimes in Ashford in the 12 months to September 2016 (no data)."


def test_missing_last_year_gives_no_change():
    rows, _ = comparison([400, 2000], [None, 2000], [100_000, 100_000])
    text = text_for(rows, "Ashford")
    assert "recorded 400 crimes in the 12 months to September 2016; there is no figure for the year before" in text
    assert "more than" not in text and "fewer than" not in text


def test_missing_population_gives_no_rate():
    rows, _ = comparison([400, 2000], [300, 2000], [None, 100_000])
    assert "No rate can be given: there is no population estimate for Ashford." in text_for(rows, "Ashford")


def test_a_suppressed_count_is_never_printed_or_hinted_at():
    rows, total = comparison([3, 40, 25, 60], [10, 30, 20, 50], [100_000] * 4, category=ADMISSIONS)
    disclosed = disclose_rows(rows, total, suppress_below=5, audience=PUBLIC, polarity="lower")
    records = disclosed.rows.to_dict("records")
    ashford = next(r for r in records if r["name"] == "Ashford")
    text = headline(ashford, category=ADMISSIONS, window_label=SEPTEMBER_2016, group=KENT, rows=records).text
    assert text.startswith("Ashford recorded fewer than 5 alcohol-specific hospital admissions")
    assert "3" not in text and "per 10,000" not in text
    dartford = next(r for r in records if r["name"] == "Dartford")  # the secondary suppression
    text = headline(dartford, category=ADMISSIONS, window_label=SEPTEMBER_2016, group=KENT, rows=records).text
    assert "is not published" in text and "25" not in text


def test_a_suppressed_count_last_year_withholds_the_change():
    rows, total = comparison([30, 40, 25, 60], [3, 30, 20, 50], [100_000] * 4, category=ADMISSIONS)
    records = disclose_rows(rows, total, suppress_below=5, audience=PUBLIC, polarity="lower").rows.to_dict("records")
    ashford = next(r for r in records if r["name"] == "Ashford")
    text = headline(ashford, category=ADMISSIONS, window_label=SEPTEMBER_2016, group=KENT, rows=records).text
    assert "the figure for the year before is not published because the numbers are small" in text
    assert "more than" not in text and "%" not in text


def test_provisional_figures_are_said_to_be_provisional():
    rows, _ = comparison([400, 2000], [300, 2000], [100_000] * 2)
    rows.loc[rows["name"] == "Ashford", "status"] = "provisional"
    assert text_for(rows, "Ashford").endswith("These figures include provisional data and may change.")


def test_a_rate_that_falls_while_the_count_rises_is_explained():
    # 5,285 against 5,040, but the population grew from 150,000 to 170,000: the rate fell.
    rows, _ = comparison([5285, 2000], [5040, 2000], [170_000, 100_000], previous_populations=[150_000, 100_000])
    text = text_for(rows, "Ashford")
    assert (
        "245 more than the year before (+4.9%); allowing for the change in population, the rate per resident "
        "fell significantly."
    ) in text


def test_an_explicit_change_test_and_99_8_percent():
    rows, _ = kent_all_crime()
    text = text_for(rows, "Tunbridge Wells", change=change_significance(5285, 5040), confidence=0.998)
    assert "which is no significant change at the 99.8% level" in text


# --- Fingerprints --------------------------------------------------------------------------------------


def test_the_fingerprint_changes_only_when_the_figures_do():
    rows, _ = kent_all_crime()
    records = rows.to_dict("records")
    row = records[0]
    first = headline(row, category=ALL_CRIME, window_label=SEPTEMBER_2016, group=KENT, rows=records)
    again = headline(dict(row), category=ALL_CRIME, window_label=SEPTEMBER_2016, group=KENT, rows=records)
    assert first.fingerprint == again.fingerprint and len(first.fingerprint) == 64
    changed = {**row, "count": 5286}
    assert headline(changed, category=ALL_CRIME, window_label=SEPTEMBER_2016, group=KENT, rows=records).fingerprint \
        != first.fingerprint
    assert fingerprint({"rate": 45.46600000000001}) == fingerprint({"rate": 45.466})
    assert fingerprint({"rate": 45.466}) != fingerprint({"rate": 45.467})
    assert fingerprint({"a": None}) == fingerprint({"a": float("nan")}) == fingerprint({"a": pd.NA})


# --- Crime-type table ------------------------------------------------------------------------------------


def maidstone_rows():
    # Maidstone, 12 months to October 2016 against the year before (domain.md §5).
    figures = [
        ("Violence against the person", 3390, 2665), ("Sexual offences", 284, 222), ("Robbery", 69, 79),
        ("Burglary dwelling", 286, 357), ("Shoplifting", 804, 1077), ("Public order offences", 402, 227),
        ("Criminal damage", 1466, 1372), ("Theft of a pedal cycle", 136, 111),
    ]
    rows = []
    for name, now, before in figures:
        test = change_significance(now, before)
        rows.append({"name": name, "count": now, "previous_count": before, "change": now - before,
                     "change_pct": (now - before) / before * 100, "change_test": test})
    return rows


def test_the_crime_type_summary():
    text = crime_type_summary(
        maidstone_rows(), district_name="Maidstone", window_label="12 months to October 2016"
    ).text
    assert text.startswith(
        "In the 12 months to October 2016, 5 of the 8 crime types in Maidstone rose and 3 fell compared with the "
        "year before."
    )
    assert ("The rises in public order offences (+77.1%), violence against the person (+27.2%) and sexual offences "
            "(+27.9%)") not in text  # sorted by size of change
    assert "The rises in public order offences (+77.1%), sexual offences (+27.9%) and violence against the person " \
           "(+27.2%) were statistically significant." in text
    assert (
        "The falls in shoplifting (\u221225.3%) and burglary dwelling (\u221219.9%) were statistically significant."
    ) in text
    assert "The other changes were not statistically significant." in text
    assert "The largest rise in number was in violence against the person (+725)." in text


def test_the_crime_type_summary_with_gaps_hidden_and_provisional_figures():
    rows = maidstone_rows()[:2] + [
        {"name": "Drug trafficking", "count": None, "previous_count": 80},
        {"name": "Alcohol-specific hospital admissions", "count": None, "previous_count": 30, "count_display": "<5"},
    ]
    rows[0]["status"] = "provisional"
    text = crime_type_summary(rows, district_name="Maidstone", window_label="12 months to October 2016").text
    assert "2 of the 2 crime types in Maidstone rose" in text
    assert "There are no figures to compare for drug trafficking." in text
    assert "Figures for alcohol-specific hospital admissions are not published because the numbers are small." in text
    assert text.endswith("Some figures are provisional and may change.")


def test_no_significant_change_anywhere():
    rows = [{"name": "Robbery", "count": 69, "previous_count": 79, "change_test": change_significance(69, 79)}]
    text = crime_type_summary(rows, district_name="Maidstone", window_label="12 months to October 2016").text
    assert "None of the changes was statistically significant: no significant change in any of the crime types." in text


# --- Scrutiny priority ------------------------------------------------------------------------------------


def test_the_scrutiny_priority_paragraph():
    rows, _ = comparison([1234, 5000], [1178, 5000], [116_000, 400_000], category=DOMESTIC_ABUSE,
                         names=["Tunbridge Wells", "Maidstone"])
    row = rows[rows["name"] == "Tunbridge Wells"].iloc[0].to_dict()
    text = priority_paragraph(
        "Domestic abuse", [Measure(category=DOMESTIC_ABUSE, row=row)],
        district_name="Tunbridge Wells", window_label=SEPTEMBER_2016, group=KENT,
    ).text
    assert text.startswith(
        "Evidence for the priority \u201cDomestic abuse\u201d in Tunbridge Wells, in the 12 months to September "
        "2016: domestic abuse incidents: 1,234, up 56 (+4.8%) on the year before, no significant change;"
    )
    assert "better" not in text and "worse" not in text
    empty = priority_paragraph("Prevent", [], district_name="Tunbridge Wells", window_label=SEPTEMBER_2016, group=KENT)
    assert "no measures" in empty.text


# --- SPC -------------------------------------------------------------------------------------------------------


def test_spc_summary_for_common_and_special_cause():
    common = spc_summary(
        district_name="Maidstone", category=ALL_CRIME, grain="month", latest_label="March 2024", latest_value=812,
        variation="common_cause", rule_text="Common cause", mean=810.4, upper_limit=980.2, lower_limit=640.6,
        baseline_from_label="April 2021", points=36, trial_limits=False,
    ).text
    assert common == (
        "In March 2024 Maidstone recorded 812 crimes. That is common cause variation: within the control limits of "
        "641 to 980 around an average of 810 a month since April 2021, so it does not signal a change."
    )
    concern = spc_summary(
        district_name="Maidstone", category=ALL_CRIME, grain="quarter", latest_label="Q4 2023/24", latest_value=3100,
        variation="special_cause_concern", rule_text="Above the upper control limit", mean=2400, upper_limit=2900,
        lower_limit=1900, baseline_from_label=None, points=9, trial_limits=True,
        suggested_step_change_label="April 2023", provisional=True,
    ).text
    assert "That is special cause variation showing a concern: above the upper control limit." in concern
    assert "a quarter" in concern and "trial limits: they rest on 9 points" in concern
    assert "A sustained run starts in April 2023" in concern and concern.endswith("may change.")


def test_spc_summary_never_judges_a_category_with_no_judgement():
    text = spc_summary(
        district_name="Dover", category=DOMESTIC_ABUSE, grain="month", latest_label="March 2024", latest_value=300,
        variation="special_cause_neutral_high", rule_text="7 points in a row above the centre line", mean=250,
        upper_limit=320, lower_limit=180, baseline_from_label=None, points=40, trial_limits=False,
    ).text
    assert "higher than usual" in text and "concern" not in text and "improvement" not in text


def test_spc_summary_without_data():
    text = spc_summary(
        district_name="Dover", category=ALL_CRIME, grain="month", latest_label=None, latest_value=None,
        variation=None, rule_text=None, mean=None, upper_limit=None, lower_limit=None, baseline_from_label=None,
        points=0, trial_limits=False,
    ).text
    assert text == "There are no figures for crimes in Dover to chart."


# --- Words --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label, phrase",
    [
        ("12 months to September 2016", "in the 12 months to September 2016"),
        ("Financial year 2016/17", "in financial year 2016/17"),
        ("Calendar year 2016", "in calendar year 2016"),
        ("October 2016", "in October 2016"),
        ("Q1 2016/17 (Apr to Jun 2016)", "in Q1 2016/17 (Apr to Jun 2016)"),
    ],
)
def test_window_phrases(label, phrase):
    assert window_phrase(label) == phrase


def test_category_nouns_and_group_words():
    assert category_nouns("all-crime", "All recorded crime") == ("crime", "crimes")
    assert category_nouns("new-thing", "MARAC referrals") == ("MARAC referral", "MARAC referrals")
    assert category_nouns("policeuk-drugs", "Drugs")[1] == "drugs"
    coastal = group_words("custom", "Coastal districts")
    assert coastal == GroupWords("Coastal districts", "districts in Coastal districts")
    assert KENT.average == "the Kent average"
    rows, _ = comparison([1, 2000], [1, 2000], [100_000, 100_000])
    assert "recorded 1 crime in" in text_for(rows, "Ashford")
