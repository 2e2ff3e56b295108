"""Change on a year earlier, its percentage and direction, and rates per residents.

The one definition of each (docs/methods.md §1), used by the entry grid's
plausibility check and, applied to whole tables, by
``assessments.comparison.compute``. Every function takes numbers or numpy
arrays alike and gives NaN (or None for a direction) where an input is
missing, so a missing figure never turns into 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

UP, DOWN, SAME = "up", "down", "same"


def _floats(value):
    """A numpy float, or a float array; None and pandas' NA become NaN. Numpy's, not Python's: dividing a
    Python float by zero raises, numpy's gives NaN or infinity, which the callers turn into NaN."""
    if np.ndim(value) == 0:
        return np.float64(np.nan if pd.isna(value) else value)
    if isinstance(value, (pd.Series, pd.api.extensions.ExtensionArray)):
        return pd.array(value, dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
    values = np.asarray(value)
    if values.dtype.kind in "fiub":
        return values.astype(float)
    return np.array([np.nan if pd.isna(v) else v for v in values.ravel()], dtype=float).reshape(values.shape)


def _result(values):
    return float(values) if np.ndim(values) == 0 else values


def change(count, previous):
    """count − previous (NaN when either is missing)."""
    return _result(_floats(count) - _floats(previous))


def change_pct(count, previous):
    """(count − previous) ÷ previous × 100; NaN when either is missing or a year earlier was 0
    (a rise from nothing has no percentage)."""
    count, previous = _floats(count), _floats(previous)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(previous > 0, (count - previous) / previous * 100, np.nan)
    return _result(pct)


def rate(count, population, base=1000):
    """count ÷ population × base (per 1,000 residents by default); NaN without a population."""
    count, population, base = _floats(count), _floats(population), _floats(base)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(population > 0, count / population * base, np.nan)
    return _result(value)


def direction(difference):
    """"up", "down" or "same" for a change (None where it is missing); arrays give an object array."""
    difference = _floats(difference)
    words = np.select([difference > 0, difference < 0, difference == 0], [UP, DOWN, SAME], default="")
    words = np.where(np.isnan(difference), None, words).astype(object)
    return words.item() if np.ndim(words) == 0 else words
