"""Each alert rule on known series, through the product's own SPC and significance code (no database).

SPC series are the reference vectors of /work/shared/reference/methods.md §1.4 (B: a single point above the
upper limit; D: a run of 8 below the centre line, then a point above the limit), charted by
assessments.spc.chart.build_chart. Changes and group comparisons are worked out by
assessments.comparison.significance.add_significance: 5,285 against 5,040 with the same population is a
significant rise (p = 0.016, docs/methods.md §3).
"""

from __future__ import annotations

import dataclasses
import numpy as np
import pandas as pd
import pytest

from assessments.alerts.rules import (
    CHANGE,
    POSITION,
    SPC,
    WORSE_THAN_GROUP,
    change_alert,
    group_alert,
    position_alert,
    spc_alert,
)
from assessments.comparison.compute import records
from assessments.comparison.significance import add_significance
from assessments.spc.chart import SpcOptions, build_chart
from assessments.spc.series import period_label
from crimedata.entry import Quarter
from crimedata.periods import Window, parse_month
from crimedata.reference import NO_JUDGEMENT
from tests.unit.crimedata.test_collections import MAIDSTONE, _category



def category(slug, name, **changes):
    return dataclasses.replace(_category(slug, "month", name), **{"family": "recorded-crime", **changes})


ROBBERY = category("robbery", "Robbery")
VIOLENT = category("violent-crime", "Violent crime")
DOMESTIC = category("domestic-abuse-incidents", "Domestic abuse incidents", family="domestic-abuse",
                    polarity=NO_JUDGEMENT)

VECTOR_B = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
VECTOR_D = [420, 435, 410, 428, 441, 415, 430, 422, 438, 419, 426, 433,
            405, 398, 401, 396, 399, 402, 395, 390, 470, 412, 409, 415]


def series(values, first: str, provisional_last: bool = False) -> pd.DataFrame:
    start = parse_month(first)
    windows = [Window(start + i, start + i) for i in range(len(values))]
    return pd.DataFrame({
        "start": [w.start for w in windows], "end": [w.end for w in windows],
        "label": [period_label(w) for w in windows], "short_label": [period_label(w, True) for w in windows],
        "value": np.array(values, dtype=float),
        "provisional": [provisional_last and i == len(values) - 1 for i in range(len(values))],
    })


def chart(values, first, category=ROBBERY, **kwargs):
    return build_chart(series(values, first, **kwargs), district=MAIDSTONE, category=category, options=SpcOptions())


def test_a_point_above_the_upper_limit_is_a_concern_with_its_rule_in_words():
    alert = spc_alert(chart(VECTOR_B, "2016-01").columns, Quarter(2016, 1).window, district=MAIDSTONE,
                      category=ROBBERY, path="/spc/E07000110/robbery/?grain=month")
    assert alert.rule == SPC and alert.headline == "Special cause: concern"
    assert alert.text == ("Robbery in Maidstone, May 2016: 10 crimes. That is special cause variation showing a "
                          "concern on the SPC chart: above the upper control limit.")
    assert alert.path == "/spc/E07000110/robbery/?grain=month" and not alert.provisional


def test_a_run_below_the_centre_line_is_an_improvement_and_the_quarters_latest_point_is_reported():
    d = chart(VECTOR_D, "2015-01").columns
    q1 = spc_alert(d, Quarter(2016, 1).window, district=MAIDSTONE, category=ROBBERY, path="/spc/")
    assert q1.headline == "Special cause: improvement"
    assert q1.text == ("Robbery in Maidstone, June 2016: 402 crimes. That is special cause variation showing an "
                       "improvement on the SPC chart: 7 or more points in a row below the centre line.")
    q2 = spc_alert(d, Quarter(2016, 2).window, district=MAIDSTONE, category=ROBBERY, path="/spc/")
    assert q2.headline == "Special cause: concern" and "September 2016: 470 crimes" in q2.text
    assert spc_alert(d, Quarter(2016, 3).window, district=MAIDSTONE, category=ROBBERY, path="/spc/") is None


def test_no_spc_alert_when_neither_direction_is_better_or_nothing_is_special():
    neutral = chart(VECTOR_B, "2016-01", category=DOMESTIC).columns
    assert spc_alert(neutral, Quarter(2016, 1).window, district=MAIDSTONE, category=DOMESTIC, path="/") is None
    assert spc_alert(chart(VECTOR_B, "2016-01").columns, Quarter(2016, 2).window, district=MAIDSTONE,
                     category=ROBBERY, path="/") is None


def test_a_provisional_point_says_so():
    values = VECTOR_B[:4] + [2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 10]  # the spike is the last point, June 2017
    alert = spc_alert(chart(values, "2016-01", provisional_last=True).columns, Quarter(2017, 1).window,
                      district=MAIDSTONE, category=ROBBERY, path="/")
    assert alert.provisional and "June 2017: 10 crimes (provisional)." in alert.text


# --- Comparisons ------------------------------------------------------------------------------------------


WINDOW = Window.ending(parse_month("2016-09"), 12)
PREVIOUS_QUARTER = Window.ending(parse_month("2016-06"), 12)


def rows(**columns) -> list[dict]:
    frame = pd.DataFrame({
        "district": ["E07000110"], "count": [5285], "previous_count": [5040], "population": [100_000],
        "previous_population": [100_000], "provisional": [False], "previous_provisional": [False],
        "rank": [5], "rank_label": ["5"], "previous_rank": [4], "previous_rank_label": ["4"], **columns,
    })
    frame["rate"] = frame["count"] / frame["population"] * 1000
    frame["change_pct"] = (frame["count"] - frame["previous_count"]) / frame["previous_count"] * 100
    return frame


def published(frame, group_rate, category=VIOLENT) -> dict:
    return records(add_significance(frame, group_rate, polarity=category.polarity, base=1000))[0]


def test_a_significant_rise_on_a_year_earlier_is_an_alert_judged_by_polarity():
    row = published(rows(), 52.0)
    assert row["change_significance"] == "significant rise" and round(row["change_p"], 3) == 0.016
    alert = change_alert(row, district=MAIDSTONE, category=VIOLENT, window=WINDOW, group_slug="kent",
                         path="/compare/violent-crime/")
    assert alert.rule == CHANGE and alert.headline == "Significant rise"
    assert alert.text == ("Violent crime in Maidstone: 5,285 crimes in the 12 months to September 2016, up from "
                          "5,040 a year earlier (+4.9%). That is a statistically significant rise, a deterioration.")
    no_judgement = published(rows(), 52.0, DOMESTIC)
    text = change_alert(no_judgement, district=MAIDSTONE, category=DOMESTIC, window=WINDOW, group_slug="kent",
                        path="/").text
    assert text.endswith("That is a statistically significant rise.")


def test_a_change_that_is_not_significant_is_no_alert():
    row = published(rows(count=[5100]), 52.0)
    assert row["change_significance"] == "no significant change"
    assert change_alert(row, district=MAIDSTONE, category=VIOLENT, window=WINDOW, group_slug="kent", path="/") is None


def test_a_move_of_three_places_says_whether_the_change_is_significant():
    row = published(rows(count=[5100], rank=[8], rank_label=["8="], previous_rank=[4]), 52.0)
    alert = position_alert(row, district=MAIDSTONE, category=VIOLENT, window=WINDOW, ranked=12, group_area="Kent",
                           group_slug="kent", base=1000, path="/")
    assert alert.rule == POSITION and alert.headline == "Moved from 4th to joint 8th"
    assert alert.text == (
        "Maidstone moved from 4th to joint 8th of 12 Kent areas for violent crime in the 12 months to September "
        "2016, compared with a year earlier (1 = the lowest rate per 1,000 residents, so this is worse); the change "
        "in its figures on a year earlier is not statistically significant.")
    significant = published(rows(rank=[1], previous_rank=[4]), 52.0)
    text = position_alert(significant, district=MAIDSTONE, category=VIOLENT, window=WINDOW, ranked=12,
                          group_area="Kent", group_slug="kent", base=1000, path="/").text
    assert "from 4th to 1st" in text and "so this is better" in text and "is statistically significant" in text


@pytest.mark.parametrize(("now", "before"), [(6, 4), (2, 4), (4, 4)])
def test_a_move_of_fewer_than_three_places_is_no_alert(now, before):
    row = published(rows(rank=[now], previous_rank=[before]), 52.0)
    assert position_alert(row, district=MAIDSTONE, category=VIOLENT, window=WINDOW, ranked=12, group_area="Kent",
                          group_slug="kent", base=1000, path="/") is None


def test_now_significantly_worse_than_the_group_and_not_before():
    # 52.9 per 1,000 (95% CI about 51.4 to 54.3) against Kent's 45.0: worse. A quarter earlier, against 52.0: similar.
    row = published(rows(), 45.0)
    before = published(rows(), 52.0)
    assert (row["vs_group"], before["vs_group"]) == ("worse", "similar")
    alert = group_alert(row, before, district=MAIDSTONE, category=VIOLENT, window=WINDOW,
                        previous_window=PREVIOUS_QUARTER, group_area="Kent", group_slug="kent", base=1000, path="/")
    assert alert.rule == WORSE_THAN_GROUP and alert.headline == "Now significantly worse than Kent"
    assert alert.text == (
        f"Maidstone is now significantly worse than Kent for violent crime: 52.9 per 1,000 residents in the 12 "
        f"months to September 2016 (95% confidence interval {row['rate_lower']:.1f} to {row['rate_upper']:.1f}) "
        "against Kent's 45.0. In the 12 months to June 2016 it was similar to Kent.")
    # Already worse a quarter ago: not news.
    assert group_alert(row, row, district=MAIDSTONE, category=VIOLENT, window=WINDOW, previous_window=PREVIOUS_QUARTER,
                       group_area="Kent", group_slug="kent", base=1000, path="/") is None
    # Better than the group is never this alert.
    better = published(rows(), 60.0)
    assert better["vs_group"] == "better"
    assert group_alert(better, None, district=MAIDSTONE, category=VIOLENT, window=WINDOW,
                       previous_window=PREVIOUS_QUARTER, group_area="Kent", group_slug="kent", base=1000,
                       path="/") is None


def test_withheld_figures_give_no_alert_from_any_rule():
    # What publish_comparison leaves when a count is hidden: no significance, no position, no comparison with the group.
    row = {"count": None, "previous_count": 3, "change_significance": None, "rank": None, "previous_rank": 2,
           "vs_group": None}
    common = dict(district=MAIDSTONE, category=VIOLENT, window=WINDOW, group_slug="kent", path="/")
    assert change_alert(row, **common) is None
    assert position_alert(row, **common, ranked=11, group_area="Kent", base=1000) is None
    assert group_alert(row, None, **common, previous_window=PREVIOUS_QUARTER, group_area="Kent", base=1000) is None
