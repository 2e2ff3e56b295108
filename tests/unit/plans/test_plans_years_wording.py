"""Plan years in URLs and the plain sentences written for councillors (no database)."""

from collections import Counter
from dataclasses import replace
from decimal import Decimal

import pytest

from assessments.charts import sparkline
from assessments.comparison.headline import Headline, TrendPoint
from assessments.plans.targets import ACHIEVED, NOT_ACHIEVED, NOT_YET_KNOWN
from assessments.plans.wording import overall_position, rag_sentence, targets_sentence
from assessments.plans.years import BadPlanYear, parse_plan_year, plan_year_label, plan_year_slug
from crimedata.periods import Window, parse_month
from tests.comparison_data import reference_snapshot


def test_plan_years_round_trip():
    assert parse_plan_year("2017-18") == 2017
    assert parse_plan_year("2017/18") == 2017
    assert parse_plan_year("1999-00".replace("1999", "2099")) == 2099
    assert plan_year_slug(2017) == "2017-18" and plan_year_label(2017) == "2017/18"
    assert plan_year_slug(2099) == "2099-00"


@pytest.mark.parametrize(("text", "message"), [
    ("2017", "must be written like 2017-18"),
    ("2017-19", "write 2017-18"),
    ("1990-91", "must start between"),
    ("", "must be written like"),
])
def test_bad_plan_years_get_a_plain_reason(text, message):
    with pytest.raises(BadPlanYear, match=message):
        parse_plan_year(text)


ALL_CRIME = reference_snapshot().category("all-crime")


def _headline(polarity="lower", **values):
    return Headline(category=replace(ALL_CRIME, polarity=polarity), group_name="Kent (12 KCC districts)", **values)


SPAN = Window(parse_month("2015-10"), parse_month("2016-09")).span_label


def test_rag_targets_and_overall_position_sentences():
    assert rag_sentence(Counter({"green": 3, "amber": 1, None: 2})) == (
        "Of 6 actions: 3 on track (green), 1 with some concerns (amber) and 2 with no update yet."
    )
    assert rag_sentence(Counter()) == "No actions have been recorded for this priority."
    assert rag_sentence(Counter({None: 20})) == "None of the 20 actions has a progress update yet."
    assert targets_sentence([ACHIEVED, NOT_ACHIEVED, NOT_YET_KNOWN]) == (
        "Of 3 targets: 1 achieved, 1 not achieved and 1 not yet known."
    )
    assert targets_sentence([NOT_YET_KNOWN]) == "Of 1 target: 1 not yet known."
    assert targets_sentence([]) is None
    text = overall_position(Counter({"red": 1}), [ACHIEVED], [Decimal("18000"), Decimal("1500")], 2,
                            Decimal("1500"))
    assert text == (
        "Of 1 action: 1 off track (red). Of 1 target: 1 achieved. £19,500.00 was awarded to 2 funded projects; "
        "outcome reports received: 2 of 2. £1,500.00 was reported unspent."
    )


def test_sparkline_scales_to_its_own_range_and_breaks_at_gaps():
    line = sparkline([10.0, 20.0, 15.0], width=120, height=32, pad=4)
    assert line.segments == ["4,28 60,4 116,16"]
    assert line.dots == [(4.0, 28.0), (60.0, 4.0), (116.0, 16.0)]
    gap = sparkline([10.0, None, 12.0])
    assert gap.segments == [] and len(gap.dots) == 2  # two lone points, no line drawn across the gap
    assert sparkline([None, None]).dots == []
    flat = sparkline([5.0, 5.0])
    assert flat.dots == [(4.0, 16.0), (116.0, 16.0)]


def test_headline_position_text_and_judgement():
    h = _headline(rank=4, rank_label="4=", ranked_of=12, direction="down")
    assert h.position_text == "4th= of 12 (1st = lowest rate, the best)"
    assert h.judgement == "better"
    neutral = _headline(polarity="none", rank=1, rank_label="1", ranked_of=12, direction="up")
    assert neutral.position_text.startswith("Lowest rate of 12") and neutral.judgement == "neutral"
    assert _headline().position_text is None and _headline().judgement == "none"
    assert TrendPoint(window=Window(1, 12), value=None, provisional=False).value is None
