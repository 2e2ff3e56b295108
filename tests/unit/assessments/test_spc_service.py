"""The SPC service's pure part: periods, series, the chart and its figure (no database).

methods.md §1.4 vectors A, B, C (through the chart builder) and D (the worked crime example).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

import pytest

from assessments.spc.chart import (
    SpcOptions,
    StepChangeInfo,
    build_chart,
    chart_figure,
    embed_context,
    improvement_direction,
    rule_text,
)
from assessments.spc.series import category_series, default_grain, grains_for, period_windows
from assessments.spc.summary import chart_summary, default_chart
from crimedata.periods import Window, parse_month
from crimedata.selectors import CategoryInfo, DistrictInfo

MAIDSTONE = DistrictInfo(id=6, code="E07000110", name="Maidstone", slug="maidstone", former_names=(),
                         police_division="west", in_kcc_area=True)
ROBBERY = CategoryInfo(
    id=6, slug="robbery", name="Robbery", short_name="", parent="violent-crime", family="recorded-crime",
    unit="count", rate_base=1000, polarity="lower", adds_to_parent=True, suppress_below=None, source="",
    definition="", entry="county", grain="month", proportion_of=None, display_order=6,
)
DOMESTIC_ABUSE = CategoryInfo(**{**ROBBERY.__dict__, "slug": "domestic-abuse-incidents",
                                 "name": "Domestic abuse incidents", "polarity": "none"})
TREATMENT = CategoryInfo(**{**ROBBERY.__dict__, "slug": "positive-discharges", "name": "Positive discharges",
                            "polarity": "higher"})

RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
    -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
    0.49785048, -1.96661716, 0.70135590, -0.47279141,
]
DEVIATIONS = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
CRIME_24_MONTHS = [
    420, 435, 410, 428, 441, 415, 430, 422, 438, 419, 426, 433,
    405, 398, 401, 396, 399, 402, 395, 390, 470, 412, 409, 415,
]
JAN_2015 = parse_month("2015-01")


def series(values, first=JAN_2015, provisional=()):
    n = len(values)
    windows = [Window(first + i, first + i) for i in range(n)]
    frame = pd.DataFrame({
        "window": range(n), "category": "robbery",
        "value": pd.array([None if v is None else v for v in values], dtype="Float64"),
        "provisional": [i in provisional for i in range(n)],
    })
    return category_series(frame, windows, "robbery")


def chart_of(values, category=ROBBERY, options=SpcOptions(), step_changes=(), **kwargs):
    return build_chart(series(values), district=MAIDSTONE, category=category, options=options,
                       step_changes=step_changes, **kwargs)


# --- Periods and series ----------------------------------------------------------------------------


def test_quarters_are_whole_financial_year_quarters_inside_the_range():
    # April 2012 (index ...3) to March 2014: 8 quarters, the first April to June 2012.
    windows = period_windows(parse_month("2012-04"), parse_month("2014-03"), "quarter")
    assert len(windows) == 8
    assert (windows[0].start, windows[0].end) == (parse_month("2012-04"), parse_month("2012-06"))
    # A range starting mid-quarter skips the partial quarter.
    assert period_windows(parse_month("2012-05"), parse_month("2012-12"), "quarter")[0].start == parse_month("2012-07")
    assert len(period_windows(parse_month("2012-04"), parse_month("2012-06"), "month")) == 3
    with pytest.raises(ValueError):
        period_windows(1, 2, "week")


def test_a_series_runs_from_its_first_known_point_to_its_last_with_gaps_kept():
    frame = series([None, None, 5, None, 7, None])
    assert frame["label"].tolist() == ["March 2015", "April 2015", "May 2015"]
    assert np.isnan(frame["value"].iloc[1])  # missing stays missing, never 0


def test_no_figures_give_an_empty_chart():
    chart = chart_of([None, None])
    assert not chart.has_data and chart.latest is None and chart.result is None
    assert "No figures" in chart.caption()


# --- Vector D: the worked crime example (methods.md §1.4 D) -------------------------------------------


def test_worked_crime_example_limits_and_labels():
    chart = chart_of(CRIME_24_MONTHS, options=SpcOptions(fix_after=12))
    segment = chart.latest_segment
    assert segment.mean == pytest.approx(426.417, abs=1e-3)
    assert segment.mr_bar == pytest.approx(15.364, abs=1e-3)
    assert segment.lpl == pytest.approx(385.549, abs=1e-3)
    assert segment.upl == pytest.approx(467.284, abs=1e-3)
    assert segment.near_lpl == pytest.approx(399.17, abs=1e-2)
    points = chart.points
    variation = points["variation"].tolist()
    assert variation[:12] == ["common"] * 12
    assert variation[12:20] == ["improvement"] * 8  # crime falling is an improvement
    assert variation[20] == "concern"
    assert variation[21:] == ["common"] * 3
    rules = points["rule"].tolist()
    assert [rules[i - 1] for i in (14, 16, 17, 19, 20)] == ["2 in 3 Below CL"] * 5
    assert [rules[i - 1] for i in (13, 15, 18)] == ["7 Points Below CL"] * 3
    assert rules[20] == "Above UCL"
    assert points["variation_text"].iloc[20] == "Special cause: concern (higher)"
    assert points["variation_text"].iloc[12] == "Special cause: improvement (lower)"
    assert points["rule_text"].iloc[12] == "7 or more points in a row below the centre line"
    assert points["rule_text"].iloc[13] == "2 of 3 points close to the lower control limit"
    assert points["variation_text"].iloc[0] == "Common cause"
    # The run starting at point 13 suggests a step change there; nothing is applied.
    assert chart.suggested_step_change == JAN_2015 + 12
    assert chart.suggested_step_change_label == "January 2016"
    assert len(chart.result.segments) == 1


def test_applying_the_suggested_step_change_recalculates_limits_per_segment():
    step = StepChangeInfo(id=1, month=JAN_2015 + 12, reason="New recording rules", created_by="a", created_at=None)
    chart = chart_of(CRIME_24_MONTHS, step_changes=[step])
    assert len(chart.result.segments) == 2
    first, second = chart.result.segments
    assert first.mean == pytest.approx(np.mean(CRIME_24_MONTHS[:12]))
    assert second.mean == pytest.approx(np.mean(CRIME_24_MONTHS[12:]))
    assert chart.points["step_change"].tolist().index(True) == 12
    assert chart.step_changes[0].position == 12
    # Both segments are short: trial limits, said in words.
    assert [n for n in chart.notes if n.startswith("Trial limits")] == [
        "Trial limits: the limits from January 2015 to December 2015 rest on 12 points. Treat them with caution "
        "until there are at least 13.",
        "Trial limits: the limits from January 2016 to December 2016 rest on 12 points. Treat them with caution "
        "until there are at least 13.",
    ]


def test_a_step_change_outside_the_chart_is_listed_but_has_no_effect():
    step = StepChangeInfo(id=1, month=JAN_2015 - 30, reason="Old", created_by="a", created_at=None)
    chart = chart_of(CRIME_24_MONTHS, step_changes=[step])
    assert len(chart.result.segments) == 1 and chart.step_changes[0].position is None
    assert any("outside the charted period" in note for note in chart.notes)


def test_step_change_choices_leave_out_the_first_point_and_used_months():
    step = StepChangeInfo(id=1, month=JAN_2015 + 12, reason="x", created_by="a", created_at=None)
    choices = dict(chart_of(CRIME_24_MONTHS, step_changes=[step]).step_change_choices)
    assert "2015-01" not in choices and "2016-01" not in choices
    assert choices["2015-02"] == "February 2015" and len(choices) == 22


# --- Vectors A and B (methods.md §1.4) through the chart builder ----------------------------------------


def test_vector_a_screened_and_unscreened():
    screened = chart_of(RNORM_123, options=SpcOptions(screen_outliers=True)).latest_segment
    assert (screened.mean, screened.lpl, screened.upl) == (
        pytest.approx(0.1416238, abs=1e-6), pytest.approx(-3.01138, abs=1e-6), pytest.approx(3.294627, abs=1e-6))
    values = list(RNORM_123)
    values[14] = 10
    screened = chart_of(values, options=SpcOptions(screen_outliers=True)).latest_segment
    assert (screened.lpl, screened.upl) == (pytest.approx(-2.383666, abs=1e-6), pytest.approx(3.722497, abs=1e-6))
    plain = chart_of(values).latest_segment  # screening is off by default
    assert (plain.lpl, plain.upl) == (pytest.approx(-4.596625, abs=1e-6), pytest.approx(5.935457, abs=1e-6))


@pytest.mark.parametrize("screen, upl, lpl", [(True, 4.6044, -0.7156), (False, 6.9515, -3.0626)])
def test_vector_b_deviations(screen, upl, lpl):
    chart = chart_of(DEVIATIONS, options=SpcOptions(screen_outliers=screen))
    segment = chart.latest_segment
    assert segment.upl == pytest.approx(upl, abs=5e-5) and segment.lpl == pytest.approx(lpl, abs=5e-5)
    assert chart.points["rule"].tolist()[4] == "Above UCL"
    assert chart.points["variation"].tolist()[4] == "concern"
    # The negative lower limit is clamped to 0 for display only; the true limit is kept.
    assert (chart.points["lpl_display"] == 0).all()
    assert chart.points["lpl"].iloc[0] == pytest.approx(lpl, abs=5e-5)


# --- Vector C: rules through the chart builder ------------------------------------------------------------


def test_vector_c_seven_point_trend_and_a_tie_that_breaks_it():
    # Wide limits from the alternating points, then a rise of one a month for seven months.
    rules = chart_of([10, 30] * 3 + [17, 18, 19, 20, 21, 22, 23] + [10, 30] * 2).points["rule"].tolist()
    assert rules[6:13] == ["7 Point Trend (Increasing)"] * 7
    assert set(rules[:6] + rules[13:]) == {"Common Cause"}
    assert "Trend" not in " ".join(r for r in chart_of([1, 2, 3, 3, 4, 5, 6, 1, 2]).points["rule"])


def test_vector_c_opposite_sides_never_make_two_in_three():
    values = [1, -1] * 8
    values[14], values[15] = 5.5, -5.5
    assert chart_of(values).points["variation"].tolist()[-2:] == ["common", "common"]


def test_run_and_trend_lengths_come_from_the_caller():
    values = [30, 10] * 5 + [25] * 7 + [10, 30] * 3
    seven = chart_of(values).points
    eight = chart_of(values, run_length=8, trend_length=8).points
    assert (seven["rule"] == "7 Points Above CL").sum() == 7
    assert "8 Points Above CL" not in eight["rule"].tolist()


# --- Direction from polarity ---------------------------------------------------------------------------


def test_no_judgement_categories_are_neutral_never_improvement_or_concern():
    chart = chart_of(CRIME_24_MONTHS, category=DOMESTIC_ABUSE, options=SpcOptions(fix_after=12))
    assert chart.direction == "neutral"
    assert set(chart.points["variation"]) == {"common", "neutral"}
    assert chart.points["variation_text"].iloc[20] == "Special cause: neutral (higher)"
    assert chart.points["variation_text"].iloc[12] == "Special cause: neutral (lower)"


def test_higher_is_better_swaps_improvement_and_concern():
    chart = chart_of(CRIME_24_MONTHS, category=TREATMENT, options=SpcOptions(fix_after=12))
    assert chart.points["variation"].iloc[20] == "improvement"
    assert chart.points["variation"].iloc[12] == "concern"


def test_missing_months_are_kept_and_marked():
    values = list(CRIME_24_MONTHS)
    values[5] = None
    chart = chart_of(values)
    assert chart.points["variation"].iloc[5] == "missing"
    assert chart.points["variation_text"].iloc[5] == "No data"


def test_fix_after_is_explained():
    chart = chart_of(CRIME_24_MONTHS, options=SpcOptions(fix_after=30))
    assert any("fixed on the first 30 months" in n and "all their points are used" in n for n in chart.notes)


# --- The figure -------------------------------------------------------------------------------------------------


def test_the_figure_uses_svg_traces_and_marks_special_causes_by_shape_and_label():
    step = StepChangeInfo(id=1, month=JAN_2015 + 12, reason="x", created_by="a", created_at=None)
    frame = series(CRIME_24_MONTHS, provisional={23})
    chart = build_chart(frame, district=MAIDSTONE, category=ROBBERY, options=SpcOptions(near_limits=True),
                        step_changes=[step])
    figure = chart_figure(chart)
    assert {t["type"] for t in figure["data"]} == {"scatter"}  # no WebGL: works under script-src 'self'
    by_name = {t["name"]: t for t in figure["data"]}
    assert {"Centre line (average)", "Upper control limit", "Lower control limit", "Provisional figure",
            "Near upper limit (2 sigma)"} <= set(by_name)
    symbols = {t["marker"]["symbol"] for name, t in by_name.items() if name.startswith("Special cause")}
    assert len(symbols) == len([n for n in by_name if n.startswith("Special cause")])  # one shape each
    assert figure["layout"]["annotations"][0]["text"] == "Step change: January 2016"
    assert len(figure["layout"]["shapes"]) == 1
    # The centre line is broken between segments.
    centre = by_name["Centre line (average)"]
    assert None in centre["x"]
    assert "SPC chart (monthly)" in figure["layout"]["title"]["text"]
    # plotly.py's default template would add kilobytes of unused styling to every page that embeds a chart.
    assert len(json.dumps(figure["layout"].get("template", {}))) < 200
    assert figure["layout"]["yaxis"]["gridcolor"] == "#dddddd"


def test_the_caption_summarises_the_latest_point():
    caption = chart_of(CRIME_24_MONTHS, options=SpcOptions(fix_after=12)).caption()
    assert caption.startswith("Monthly number of robberies in Maidstone, January 2015 to December 2016")
    assert caption.endswith("The latest point, December 2016, is common cause.")


def test_the_summary_describes_the_default_chart():
    chart = chart_of(CRIME_24_MONTHS, options=SpcOptions(fix_after=12, screen_outliers=True))
    default = default_chart(chart)
    assert default.options.fix_after is None and not default.options.screen_outliers
    text = chart_summary(default).text
    assert text.startswith("In December 2016 Maidstone recorded 415 robberies.")
    assert default_chart(default) is default


@pytest.mark.parametrize(
    "rule, text",
    [
        ("Above UCL", "Above the upper control limit"),
        ("Below LCL", "Below the lower control limit"),
        ("6 Point Trend (Decreasing)", "6 or more points in a row, each lower than the last"),
        ("2 in 3 Above CL", "2 of 3 points close to the upper control limit"),
        ("8 Points Above CL", "8 or more points in a row above the centre line"),
        (None, None),
    ],
)
def test_rules_in_plain_english(rule, text):
    assert rule_text(rule) == text


def test_improvement_direction_and_grains():
    assert improvement_direction("lower") == "decrease"
    assert improvement_direction("higher") == "increase"
    assert improvement_direction("none") == "neutral"
    marac = CategoryInfo(**{**ROBBERY.__dict__, "grain": "quarter"})
    assert grains_for(marac) == ["quarter"] and default_grain(marac) == "quarter"
    assert grains_for(ROBBERY) == ["month", "quarter"]
    assert SpcOptions(grain="quarter", fix_after=12, screen_outliers=True).query() == {
        "grain": "quarter", "screen": "1", "fix_after": "12"}


def test_embedding_a_chart_in_another_page():
    chart = chart_of(CRIME_24_MONTHS, options=SpcOptions(fix_after=12))
    context = embed_context(chart, "profile-spc")
    assert context["chart_id"] == "profile-spc" and context["figure"]["data"]
    rows = context["rows"]
    assert len(rows) == 24 and rows[0]["value"] == "420" and rows[0]["mean"] == "426.4"
    assert rows[20]["variation_text"] == "Special cause: concern (higher)"
    assert rows[0]["rule_text"] == ""  # common cause needs no rule
    empty = embed_context(chart_of([None]))
    assert empty["figure"] is None and empty["rows"] == []
    # Counts thousands-separated, and a missing month's number and limits left empty.
    gap = embed_context(chart_of([5285, None] + [5300] * 10))["rows"]
    assert gap[0]["value"] == "5,285" and gap[1]["value"] == "" and gap[1]["missing"]
