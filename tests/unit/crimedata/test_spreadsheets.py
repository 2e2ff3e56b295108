"""Cells for the CSV and Excel files we hand out: no text can start a formula, numbers stay numbers."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crimedata.spreadsheets import FORMULA_STARTS, safe_cell


@pytest.mark.parametrize(
    "text", ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "\0x"]
)
def test_text_that_could_run_as_a_formula_gets_a_leading_apostrophe(text):
    assert safe_cell(text) == "'" + text


def test_ordinary_values_are_untouched():
    assert safe_cell("Tunbridge Wells") == "Tunbridge Wells" and safe_cell("") == ""
    assert safe_cell(-8.9) == -8.9 and safe_cell(np.int64(7)) == 7 and isinstance(safe_cell(np.int64(7)), int)
    assert safe_cell(None) is None and safe_cell(float("nan")) is None
    assert safe_cell(dt.date(2016, 4, 1)) == dt.date(2016, 4, 1)
    assert safe_cell(True) == "yes"


@given(st.text())
def test_no_text_cell_can_start_a_formula(text):
    cleaned = safe_cell(text)
    assert not cleaned.startswith(FORMULA_STARTS) and cleaned in (text, "'" + text)
