"""Downloads are safe against spreadsheet formula injection, and numbers stay numbers (no database)."""

import csv
import io

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from assessments.exports import csv_bytes, xlsx_bytes
from crimedata.spreadsheets import FORMULA_STARTS, safe_cell


@pytest.mark.parametrize(
    "text", ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "\0x"]
)
def test_dangerous_text_gets_a_leading_apostrophe(text):
    assert safe_cell(text) == "'" + text


def test_ordinary_text_and_numbers_are_untouched():
    assert safe_cell("Tunbridge Wells") == "Tunbridge Wells"
    assert safe_cell("2=") == "2="
    assert safe_cell(-8.9) == -8.9 and safe_cell(245) == 245
    assert safe_cell(np.int64(7)) == 7 and isinstance(safe_cell(np.int64(7)), int)
    assert safe_cell(float("nan")) is None and safe_cell(None) is None


@given(st.text())
def test_no_text_cell_can_start_a_formula(text):
    cleaned = safe_cell(text)
    assert not cleaned.startswith(FORMULA_STARTS)
    assert cleaned in (text, "'" + text)


ROWS = [["District", "Count", "Change %"], ["=HYPERLINK(\"http://evil\",\"x\")", 5285, -8.9], ["-minus", 0, None]]


def test_csv_escapes_text_keeps_numbers_and_reads_as_utf8():
    raw = csv_bytes(ROWS)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[1] == ["'=HYPERLINK(\"http://evil\",\"x\")", "5285", "-8.9"]
    assert rows[2] == ["'-minus", "0", ""]


def test_xlsx_has_no_formulas_and_numeric_cells():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(ROWS, title="A/B: test"))).active
    cells = [[c for c in row] for row in sheet.iter_rows(min_row=2)]
    assert cells[0][0].data_type == "s" and cells[0][0].value.startswith("'=")
    assert cells[0][1].data_type == "n" and cells[0][1].value == 5285
    assert cells[0][2].value == -8.9
    assert all(c.data_type != "f" for row in cells for c in row)
    assert sheet.title == "A B  test"
    assert sheet["A1"].font.bold
