"""The input rules (crimedata.rules): one set of value, note, period and file-name rules, no database."""

import pandas as pd
import pytest

from crimedata import rules
from crimedata.periods import parse_month

W = rules.WHOLE_NUMBER


@pytest.mark.parametrize("typed,value", [
    ("0", 0), ("7", 7), ("1234", 1234), ("1,234", 1234), ("12,345,678", 12_345_678), (" 42 ", 42), ("007", 7),
    ("", None), ("   ", None),
])
def test_whole_numbers_accepted(typed, value):
    assert rules.whole_number(typed) == value


@pytest.mark.parametrize("typed,message", [
    ("1,2,3,4", f"{W}, with commas only between groups of three digits as in 1,234 (not '1,2,3,4')"),
    ("12,34", f"{W}, with commas only between groups of three digits as in 1,234 (not '12,34')"),
    ("1234,", f"{W}, with commas only between groups of three digits as in 1,234 (not '1234,')"),
    ("12 34", f"{W}, written without spaces ('12 34')"),
    ("12\u00a0345", f"{W}, written without spaces ('12\u00a0345')"),
    ("1e3", f"{W}, written out in full rather than in scientific notation ('1e3')"),
    ("1.5E2", f"{W}, written out in full rather than in scientific notation ('1.5E2')"),
    ("-0", f"{W}, written without a plus or minus sign ('-0')"),
    ("-3", f"{W}, written without a plus or minus sign ('-3')"),
    ("+5", f"{W}, written without a plus or minus sign ('+5')"),
    ("\u22125", f"{W}, written without a plus or minus sign ('\u22125')"),
    ("7.0000000000000001", f"{W}, without a decimal point ('7.0000000000000001')"),
    ("7.0", f"{W}, without a decimal point ('7.0')"),
    ("\u00b2", f"{W}, typed with the digits 0 to 9 ('\u00b2' is superscript two)"),
    ("1\u00bd", f"{W}, typed with the digits 0 to 9 ('\u00bd' is vulgar fraction one half)"),
    ("\u0663", f"{W}, typed with the digits 0 to 9 ('\u0663' is arabic-indic digit three)"),
    ("=SUM(E2:E3)", f"{W}, but the cell holds a formula ('=SUM(E2:E3)'): copy the cells and paste them back as "
                    "values only (Paste Special, then Values), or type the number"),
    ("9" * 16, f"{W} of at most 15 digits"),
    ("9" * 5000, f"{W} of at most 15 digits"),
    ("XXX", W), ("12x", W), ("twelve", W),
    ("5\x00", "contains a NUL character (a zero byte, usually left by copying from another program or by a "
              "damaged file), which cannot be stored: delete it"),
])
def test_whole_numbers_refused_with_their_reason(typed, message):
    with pytest.raises(rules.RuleError) as refused:
        rules.whole_number(typed)
    assert str(refused.value) == message


def test_the_column_rule_agrees_with_the_single_value_rule():
    texts = pd.Series(["1,234", "", "1,2,3,4", "12 34", "1e3", "-0", "+5", "7.0000000000000001", "\u00b2", "5",
                       "9" * 16, "=A1"])
    values, messages = rules.whole_number_column(texts)
    for text, value, message in zip(texts, values, messages):
        try:
            expected_value, expected_message = rules.whole_number(text), ""
        except rules.RuleError as refused:
            expected_value, expected_message = None, str(refused)
        assert message == expected_message
        assert (None if pd.isna(value) else int(value)) == expected_value


def test_implausible_counts():
    assert not rules.implausible_count(100_000, 1) and rules.implausible_count(100_001, 1)
    assert not rules.implausible_count(300_000, 3) and rules.implausible_count(300_001, 3)


@pytest.mark.parametrize("text,problem", [
    ("Rise explained by a new recording practice.", None),
    ("Line one\nline two\ttabbed\r\n", None),
    ("x" * 1000, None),
    ("x" * 1001, "must be 1,000 characters or fewer (it has 1,001)"),
    ("x" * 100_000, "must be 1,000 characters or fewer (it has 100,000)"),
    ("a\x00b", "contains a NUL character (a zero byte, usually left by copying from another program or by a damaged "
               "file), which cannot be stored: delete it"),
    ("ring\x07", "contains a control character (U+0007), which cannot be stored: delete it"),
    ("\x7f", "contains a control character (U+007F), which cannot be stored: delete it"),
    ("=1+1", "starts with '=', which spreadsheets treat as a formula: paste values only, or start the note with a word"),
])
def test_note_rules(text, problem):
    assert rules.note_problem(text) == problem


def test_the_note_column_rule_agrees_with_the_single_note_rule():
    texts = pd.Series(["fine", "x" * 1001, "a\x00b", "=A1", "", "bell\x07"])
    assert list(rules.note_column(texts)) == [rules.note_problem(t) or "" for t in texts]


def test_periods_ending_after_the_current_month_are_refused():
    now = parse_month("2025-09")
    assert rules.period_end_problem(now, now) is None
    assert rules.period_end_problem(now - 5, now) is None
    assert rules.period_end_problem(parse_month("2099-04"), now) == (
        "is in the future (April 2099): a period cannot end after the current month (September 2025)")
    assert rules.period_end_problem(now + 1, now).startswith("is in the future (October 2025)")


@pytest.mark.parametrize("name,kept", [
    ("figures.csv", "figures.csv"),
    ("C:\\Users\\sam\\figures.csv", "figures.csv"),
    ("../../etc/figures.xlsx", "figures.xlsx"),
    ("f" * 246 + ".csv", "f" * 196 + ".csv"),
    ("f" * 300 + ".xlsx", "f" * 195 + ".xlsx"),
    ("f" * 250, "f" * 200),
])
def test_file_names_are_shortened_keeping_their_extension(name, kept):
    assert rules.shortened_file_name(name) == kept
    assert len(rules.shortened_file_name(name)) <= rules.FILE_NAME_MAX_LENGTH


@pytest.mark.parametrize("text,number", [
    ("2016", 2016), ("7", 7), ("\u00b2", None), ("\u0663", None), ("-1", None), ("", None), (None, None),
    ("1" * 19, None), ("12a", None),
])
def test_numbers_in_url_parameters(text, number):
    assert rules.ascii_int(text) == number
