"""Collection windows without a database: what is missing, states, timing, the checks on a window, reminders due."""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crimedata.collections import (
    COMPLETE,
    DUE,
    LATE,
    NOT_OPEN,
    SIGNED_OFF,
    DistrictProgress,
    WindowInfo,
    WindowRequest,
    missing_cells,
    progress_from_frame,
    window_problems,
)
from crimedata.entry import Quarter, completeness_counts
from crimedata.periods import parse_month
from crimedata.reminders import CLOSING_DAY, WEEK_BEFORE, reminder_due, reminder_key
from crimedata.selectors import CategoryInfo, DistrictInfo, GroupInfo, ReferenceData
from crimedata.signoff import SignOffInfo

Q1 = Quarter(2016, 1)  # April to June 2016


def m(text: str) -> int:
    return parse_month(text)


def _category(slug, grain, name=None, order=0):
    return CategoryInfo(id=order + 1, slug=slug, name=name or slug, short_name="", parent=None, family="x",
                        unit="count", rate_base=1000, polarity="lower", adds_to_parent=True, suppress_below=None,
                        source="", definition="", entry="district", grain=grain, proportion_of=None,
                        display_order=order)


ASB = _category("asb-incidents", "month", "Anti-social behaviour incidents", 1)
MARAC = _category("marac-cases", "quarter", "MARAC cases", 2)
MAIDSTONE = DistrictInfo(id=6, code="E07000110", name="Maidstone", slug="maidstone", former_names=(),
                         police_division="west", in_kcc_area=True)
ASHFORD = DistrictInfo(id=1, code="E07000105", name="Ashford", slug="ashford", former_names=(),
                       police_division="east", in_kcc_area=True)
REF = ReferenceData(districts=(ASHFORD, MAIDSTONE), categories=(ASB, MARAC),
                    groups=(GroupInfo(id=1, slug="kent", name="Kent", description="", district_codes=()),))


def window(id=1, quarter=Q1, opens="2016-07-01", closes="2016-07-31", categories=("asb-incidents", "marac-cases"),
           districts=("E07000105", "E07000110")) -> WindowInfo:
    return WindowInfo(id=id, quarter=quarter, opens_on=dt.date.fromisoformat(opens),
                      closes_on=dt.date.fromisoformat(closes), note="", category_slugs=tuple(categories),
                      district_codes=tuple(districts), created_by_id=None, created_by="")


def request(**changes) -> WindowRequest:
    values = dict(quarter=Q1, opens_on=dt.date(2016, 7, 1), closes_on=dt.date(2016, 7, 31),
                  category_slugs=("asb-incidents",), district_codes=("E07000110",))
    values.update(changes)
    return WindowRequest(**values)


# --- What is missing -------------------------------------------------------------------------------------


def test_missing_lists_each_month_and_quarter_total_with_no_figure():
    stored = {"asb-incidents": [(m("2016-04"), m("2016-04"))]}
    expected, missing = missing_cells(stored, [ASB, MARAC], Q1)
    assert expected == 4
    assert [x.text for x in missing] == [
        "Anti-social behaviour incidents: May 2016",
        "Anti-social behaviour incidents: June 2016",
        "MARAC cases: quarter total (April 2016 to June 2016)",
    ]


def test_a_quarter_figure_for_a_monthly_category_fills_its_months_but_a_year_figure_does_not():
    quarter_figure = {"asb-incidents": [(m("2016-04"), m("2016-06"))]}
    assert missing_cells(quarter_figure, [ASB], Q1)[1] == []
    year_figure = {"asb-incidents": [(m("2016-01"), m("2016-12"))]}
    assert len(missing_cells(year_figure, [ASB], Q1)[1]) == 3


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["asb-incidents", "marac-cases"]), st.integers(0, 8), st.integers(0, 3)),
                max_size=8))
def test_missing_agrees_with_the_completeness_page_on_any_figures(periods):
    # Figures between January and September 2016, of 1 to 4 months: whatever is stored, a window and the
    # completeness page must count the same cells as entered.
    start = m("2016-01")
    rows = [(slug, start + s, start + s + length) for slug, s, length in periods]
    frame = pd.DataFrame({"district": ["E07000110"] * len(rows), "category": [r[0] for r in rows],
                          "start": [r[1] for r in rows], "end": [r[2] for r in rows], "value": [1] * len(rows),
                          "provisional": [False] * len(rows)})
    expected, entered, _ = completeness_counts(frame, [ASB, MARAC], ["E07000110"], [Q1])[("E07000110", Q1)]
    stored = {}
    for slug, s, e in rows:
        stored.setdefault(slug, []).append((s, e))
    ours_expected, missing = missing_cells(stored, [ASB, MARAC], Q1)
    assert (ours_expected, ours_expected - len(missing)) == (expected, entered)


def test_progress_states_from_figures_and_sign_offs():
    frame = pd.DataFrame({"district": ["E07000110"] * 4, "category": ["asb-incidents"] * 3 + ["marac-cases"],
                          "start": [m("2016-04"), m("2016-05"), m("2016-06"), m("2016-04")],
                          "end": [m("2016-04"), m("2016-05"), m("2016-06"), m("2016-06")],
                          "value": [1, 2, 3, 4], "provisional": [True] * 4})
    w = window()
    progress = progress_from_frame(frame, {}, [w], REF)
    maidstone, ashford = progress[(1, "E07000110")], progress[(1, "E07000105")]
    assert maidstone.complete and maidstone.entered == 4 and maidstone.state(w, dt.date(2016, 7, 10)) == COMPLETE
    assert not ashford.complete and ashford.detail == "0 of 4 figures entered"
    assert ashford.state(w, dt.date(2016, 6, 30)) == NOT_OPEN
    assert ashford.state(w, dt.date(2016, 7, 31)) == DUE
    assert ashford.state(w, dt.date(2016, 8, 1)) == LATE
    signed = {1: [SignOffInfo(district_id=1, start=m("2016-04"), end=m("2016-06"), by="", at=None, note="")]}
    ashford = progress_from_frame(frame, signed, [w], REF)[(1, "E07000105")]
    assert ashford.complete and ashford.state(w, dt.date(2016, 8, 1)) == SIGNED_OFF


def test_the_window_says_when_it_closes_in_words():
    w = window()
    assert w.title == "Q1 2016/17 figures (April to June 2016)"
    assert w.timing(dt.date(2016, 6, 1)) == "Opens on 1 July 2016, closes on 31 July 2016"
    assert w.timing(dt.date(2016, 7, 26)) == "Closes on 31 July 2016 (in 5 days)"
    assert w.timing(dt.date(2016, 7, 30)) == "Closes on 31 July 2016 (in 1 day)"
    assert w.timing(dt.date(2016, 7, 31)) == "Closes today, 31 July 2016"
    assert w.timing(dt.date(2016, 8, 3)) == "Closed on 31 July 2016 (3 days ago)"


# --- Checking a window ---------------------------------------------------------------------------------------


def test_a_sound_window_has_no_problems():
    assert window_problems(request(), [], REF) == []


def test_a_window_closing_before_it_opens_is_refused_with_the_opening_date():
    problems = window_problems(request(opens_on=dt.date(2016, 8, 10), closes_on=dt.date(2016, 8, 1)), [], REF)
    assert problems == [("closes_on", "The closing date must be on or after the opening date, 10 August 2016")]


def test_a_window_closing_before_the_quarter_has_ended_is_refused():
    problems = window_problems(request(opens_on=dt.date(2016, 6, 1), closes_on=dt.date(2016, 6, 30)), [], REF)
    assert problems == [("closes_on", "The closing date must be after Q1 2016/17 ends on 30 June 2016: its last "
                                      "month's figures cannot be entered before then")]


def test_a_window_with_no_category_or_no_district_is_refused():
    problems = window_problems(request(category_slugs=(), district_codes=()), [], REF)
    assert problems == [("categories", "Choose at least one category to collect"),
                        ("districts", "Choose at least one district to collect from")]


def test_a_window_overlapping_another_for_the_same_figures_names_it():
    other = window(id=7, opens="2016-07-15", closes="2016-08-15")
    problems = window_problems(request(), [other], REF)
    assert problems == [("opens_on", (
        "These dates overlap another window for Q1 2016/17, open from 15 July 2016 to 15 August 2016, which already "
        "asks Maidstone for Anti-social behaviour incidents. Change the dates, the categories or the districts, or "
        "change that window instead"))]
    # The same window being changed does not overlap itself.
    assert window_problems(request(), [other], REF, editing=7) == []


@pytest.mark.parametrize("other", [
    window(id=7, opens="2016-08-01", closes="2016-08-31"),  # after it closes
    window(id=7, categories=("marac-cases",)),  # other categories
    window(id=7, districts=("E07000105",)),  # other districts
    window(id=7, quarter=Quarter(2016, 2), opens="2016-07-01", closes="2016-10-31"),  # another quarter's figures
])
def test_windows_that_do_not_ask_for_the_same_figures_at_the_same_time_do_not_overlap(other):
    assert window_problems(request(), [other], REF) == []


# --- Reminders ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("today", "due"), [
    ("2016-06-30", None), ("2016-07-23", None), ("2016-07-24", WEEK_BEFORE), ("2016-07-28", WEEK_BEFORE),
    ("2016-07-30", WEEK_BEFORE), ("2016-07-31", CLOSING_DAY), ("2016-08-01", None),
])
def test_reminders_fall_due_a_week_before_and_on_the_closing_day(today, due):
    assert reminder_due(window(), dt.date.fromisoformat(today)) == due


def test_a_moved_closing_date_is_a_new_deadline_with_its_own_reminders():
    assert reminder_key(window(), WEEK_BEFORE) == "window-1:2016-07-31:week-before"
    assert reminder_key(window(closes="2016-08-14"), WEEK_BEFORE) != reminder_key(window(), WEEK_BEFORE)


def test_progress_detail_counts_figures():
    p = DistrictProgress(window_id=1, district=MAIDSTONE, expected=1, missing=(), signed_off=False)
    assert p.detail == "1 of 1 figure entered"
