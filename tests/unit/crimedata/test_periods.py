"""Whole-month periods and the names the strategic assessments give them."""

import datetime as dt

import pytest

from crimedata.models import period_errors
from crimedata.periods import Window, format_month, month_end, parse_month, quarter_label, quarter_window


@pytest.mark.parametrize(
    "end,months,label",
    [
        ("2024-03", 12, "Financial year 2023/24"),
        ("2020-12", 12, "Calendar year 2020"),
        ("2016-10", 12, "12 months to October 2016"),
        ("2016-06", 3, "Q1 2016/17 (Apr to Jun 2016)"),
        ("2017-03", 3, "Q4 2016/17 (Jan to Mar 2017)"),
        ("2016-10", 1, "October 2016"),
    ],
)
def test_window_labels_use_the_names_officers_use(end, months, label):
    assert Window.ending(parse_month(end), months).label == label


def test_previous_year_is_the_same_months_a_year_earlier():
    window = Window.ending(parse_month("2016-09"))
    assert window.span_label == "October 2015 to September 2016"
    assert window.previous_year().span_label == "October 2014 to September 2015"


def test_quarter_window_counts_quarters_from_april():
    assert quarter_window(2016, 1) == Window(parse_month("2016-04"), parse_month("2016-06"))
    assert quarter_window(2016, 4) == Window(parse_month("2017-01"), parse_month("2017-03"))
    with pytest.raises(ValueError):
        quarter_window(2016, 5)
    assert quarter_label(parse_month("2016-12")) == "Q3 2016/17 (Oct to Dec 2016)"


@pytest.mark.parametrize("text", ["2016-13", "16-10", "October 2016", "2016/10", "", "1899-01"])
def test_parse_month_refuses_what_is_not_a_month(text):
    with pytest.raises(ValueError):
        parse_month(text)


def test_month_round_trip_and_month_end():
    assert format_month(parse_month("2016-02")) == "2016-02"
    assert month_end(parse_month("2016-02")) == dt.date(2016, 2, 29)


def test_a_window_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Window(10, 9)


@pytest.mark.parametrize(
    "start,end,problem",
    [
        (dt.date(2016, 10, 2), dt.date(2016, 10, 31), "first day"),
        (dt.date(2016, 10, 1), dt.date(2016, 10, 30), "last day"),
        (dt.date(2016, 10, 1), dt.date(2016, 9, 30), "before it starts"),
        (dt.date(2015, 10, 1), dt.date(2016, 10, 31), "at most 12 months"),
    ],
)
def test_period_errors_explain_what_is_wrong(start, end, problem):
    assert any(problem in e for e in period_errors(start, end))


def test_a_twelve_month_period_is_fine():
    assert period_errors(dt.date(2015, 11, 1), dt.date(2016, 10, 31)) == []
