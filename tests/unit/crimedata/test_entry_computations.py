"""Entry grid arithmetic without a database: quarters, tiling, change, the note rule, completeness."""

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crimedata.entry import (
    FINAL, MISSING, PARTLY, PROVISIONAL, SIGNED_OFF, Quarter, completeness_counts, completeness_state, format_change,
    latest_ended_quarter, needs_note, parse_count, quarter_is_open, recent_quarters, selectable_quarters, tiled_value,
)
from crimedata.measures import change_pct
from crimedata.periods import Window, parse_month
from crimedata.selectors import CategoryInfo


def m(text: str) -> int:
    return parse_month(text)


# --- Quarters -----------------------------------------------------------------------------------


def test_quarter_one_is_april_to_june_of_the_financial_year():
    q = Quarter.parse("2016-q1")
    assert q.window == Window(m("2016-04"), m("2016-06"))
    assert q.label == "Q1 2016/17 (April to June 2016)"
    assert Quarter.parse("2016-q4").window == Window(m("2017-01"), m("2017-03"))
    assert Quarter.parse("2016-Q4").short_label == "Q4 2016/17"


@pytest.mark.parametrize("text", ["2016-q5", "2016-q0", "16-q1", "2016q1", "2016-1", ""])
def test_a_badly_written_quarter_is_refused_with_a_plain_reason(text):
    with pytest.raises(ValueError, match="YYYY-qN"):
        Quarter.parse(text)


@pytest.mark.parametrize(
    ("month", "expected"),
    [("2016-04", "2016-q1"), ("2016-06", "2016-q1"), ("2016-07", "2016-q2"), ("2016-12", "2016-q3"),
     ("2017-01", "2016-q4"), ("2017-03", "2016-q4")],
)
def test_the_quarter_containing_a_month(month, expected):
    assert Quarter.containing(m(month)).slug == expected


def test_quarters_shift_across_financial_years():
    assert Quarter(2016, 4).shifted(1) == Quarter(2017, 1)
    assert Quarter(2016, 1).shifted(-1) == Quarter(2015, 4)
    assert Quarter(2016, 2).previous_year() == Quarter(2015, 2)


def test_recent_quarters_end_with_the_last_finished_one():
    today = dt.date(2016, 11, 21)  # in Q3 2016/17
    assert latest_ended_quarter(today) == Quarter(2016, 2)
    assert [q.slug for q in recent_quarters(today, 3)] == ["2016-q2", "2016-q1", "2015-q4"]
    assert selectable_quarters(today, years=1)[0] == Quarter(2016, 3)
    assert quarter_is_open(Quarter(2016, 3), today) and not quarter_is_open(Quarter(2016, 4), today)


# --- Tiling, change and the note rule --------------------------------------------------------------


def test_a_window_is_the_sum_of_figures_that_tile_it():
    q = Window(m("2016-04"), m("2016-06"))
    months = [(m("2016-04"), m("2016-04"), 10), (m("2016-05"), m("2016-05"), 20), (m("2016-06"), m("2016-06"), 30)]
    assert tiled_value(months, q) == 60
    assert tiled_value([(q.start, q.end, 55)], q) == 55


def test_a_partly_covered_window_is_missing_never_a_partial_sum():
    q = Window(m("2016-04"), m("2016-06"))
    assert tiled_value([(m("2016-04"), m("2016-04"), 10), (m("2016-05"), m("2016-05"), 20)], q) is None
    assert tiled_value([], q) is None
    # A figure reaching outside the window does not count towards it.
    assert tiled_value([(m("2016-01"), m("2016-06"), 99)], q) is None


@pytest.mark.parametrize(
    ("value", "last_year", "pct", "text"),
    [(120, 100, 20.0, "+20.0%"), (75, 100, -25.0, "\u221225.0%"), (100, 100, 0.0, "0.0%"), (5, 0, None, ""),
     (None, 100, None, ""), (100, None, None, "")],
)
def test_change_is_computed_from_the_counts(value, last_year, pct, text):
    shown = change_pct(value, last_year)
    assert math.isnan(shown) if pct is None else shown == pct
    assert format_change(shown) == text
    assert format_change(None) == ""


@pytest.mark.parametrize(
    ("value", "last_year", "needed"),
    [(150, 100, False), (151, 100, True), (50, 100, False), (49, 100, True), (1, 0, True), (0, 0, False),
     (500, None, False), (0, 10, True)],
)
def test_a_change_of_more_than_half_either_way_needs_a_note(value, last_year, needed):
    assert needs_note(value, last_year) is needed


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_the_note_rule_agrees_with_the_change_shown(value, last_year):
    assert needs_note(value, last_year) == (abs(change_pct(value, last_year)) > 50)


@pytest.mark.parametrize(("text", "value"), [("", None), ("  ", None), ("12", 12), ("1,234", 1234), (" 0 ", 0)])
def test_typed_counts(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize("text", ["-1", "1.5", "12x", "XXX", "1e3", "½"])
def test_typed_counts_that_are_not_whole_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_count(text)


# --- Completeness -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "entered", "provisional", "signed", "state"),
    [(12, 0, 0, False, MISSING), (12, 5, 0, False, PARTLY), (12, 12, 3, False, PROVISIONAL),
     (12, 12, 0, False, FINAL), (12, 4, 0, True, SIGNED_OFF)],
)
def test_completeness_states(expected, entered, provisional, signed, state):
    assert completeness_state(expected, entered, provisional, signed) == state


def _category(slug, grain):
    return CategoryInfo(id=0, slug=slug, name=slug, short_name="", parent=None, family="x", unit="count",
                        rate_base=1000, polarity="lower", adds_to_parent=True, suppress_below=None, source="",
                        definition="", entry="district", grain=grain, proportion_of=None, display_order=0)


def test_completeness_counts_cells_not_figures():
    monthly, quarterly = _category("asb", "month"), _category("marac", "quarter")
    q = Quarter(2016, 1)
    frame = pd.DataFrame(
        [
            ("A", "asb", m("2016-04"), m("2016-04"), 10, False),
            ("A", "asb", m("2016-05"), m("2016-05"), 10, True),
            ("A", "marac", m("2016-04"), m("2016-06"), 3, False),
            # A monthly category stored as one quarter figure still fills its three cells.
            ("B", "asb", m("2016-04"), m("2016-06"), 30, False),
            # A 12-month figure is not the quarter's.
            ("B", "marac", m("2016-01"), m("2016-12"), 9, False),
        ],
        columns=["district", "category", "start", "end", "value", "provisional"],
    )
    counts = completeness_counts(frame, [monthly, quarterly], ["A", "B", "C"], [q])
    assert counts[("A", q)] == (4, 3, 1)
    assert counts[("B", q)] == (4, 3, 0)
    assert counts[("C", q)] == (4, 0, 0)


def test_the_grid_rounds_a_half_up_like_every_other_page():
    # 85 against 80 is +6.25%: Excel and every page show +6.3%; Python's round() gave the grid +6.2%.
    assert format_change(change_pct(85, 80)) == "+6.3%"
