"""Cells for CSV and Excel files we hand out: safe against formula injection, numbers kept as numbers."""

from __future__ import annotations

import datetime as dt
import math
import numbers

# Text a spreadsheet would run as a formula (OWASP "CSV injection"), and a leading NUL, which some
# spreadsheet programs skip before reading the rest as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def safe_cell(value):
    """A value ready for a spreadsheet: dangerous text gets a leading apostrophe, numbers and dates stay as they
    are, None and NaN stay empty, and yes/no is written as words."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
