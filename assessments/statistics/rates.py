"""Rates per resident, change on last year and its direction (domain.md §6, methods.md §7).

Every function keeps missing as missing: a district with no figure has no rate,
no change and no direction, never 0. Division by a zero or absent denominator
gives missing too, never infinity.

Scalar functions return float | None. The *_series functions and
rates_frame() work on whole pandas columns at once (13 districts x 40
categories in one call) and return float64 Series with NaN for missing, or
object Series with None for directions.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .rounding import is_missing

__all__ = [
    "DOWN",
    "SAME",
    "UP",
    "change",
    "change_pct",
    "change_pct_series",
    "change_series",
    "direction",
    "direction_series",
    "group_rate",
    "rate",
    "rate_series",
    "rates_frame",
    "share",
]

UP = "up"
DOWN = "down"
SAME = "same"


def rate(count: float | None, population: float | None, base: float = 1000) -> float | None:
    """count / population x base, e.g. crimes per 1,000 residents.

    Returns None when either figure is missing or the population is not positive.
    """
    if is_missing(count) or is_missing(population) or population <= 0:
        return None
    return float(count) / float(population) * base


def group_rate(
    counts: Iterable[float | None], populations: Iterable[float | None], base: float = 1000
) -> float | None:
    """Group average rate: the group's total count over its total population (domain.md §6).

    This is deliberately not the mean of the districts' rates. Returns None if
    any district's count or population is missing, because a total made from a
    partial set of districts is not the group's total.
    """
    counts, populations = list(counts), list(populations)
    if len(counts) != len(populations):
        raise ValueError("counts and populations must have one entry per district.")
    if not counts or any(is_missing(v) for v in counts + populations):
        return None
    return rate(sum(float(c) for c in counts), sum(float(p) for p in populations), base)


def share(part: float | None, whole: float | None) -> float | None:
    """part as a percentage of whole (ASB 2,253 of 7,538 -> 29.88...).

    Returns None when either is missing or whole is 0.
    """
    if is_missing(part) or is_missing(whole) or whole == 0:
        return None
    return float(part) / float(whole) * 100


def change(current: float | None, previous: float | None) -> float | None:
    """current - previous (5,285 vs 5,040 -> 245). None when either is missing."""
    if is_missing(current) or is_missing(previous):
        return None
    return float(current) - float(previous)


def change_pct(current: float | None, previous: float | None) -> float | None:
    """Change as a percentage of the previous figure (5,285 vs 5,040 -> 4.861...).

    Returns percent units (4.86 means +4.86%), or None when either figure is
    missing or the previous figure is 0 (a rise from nothing has no percentage).
    """
    if is_missing(current) or is_missing(previous) or previous == 0:
        return None
    return (float(current) - float(previous)) / float(previous) * 100


def direction(current: float | None, previous: float | None) -> str | None:
    """"up", "down" or "same" comparing current with previous; None when either is missing.

    This is the arrow only. Whether a rise is good or bad depends on the
    category's polarity, and whether it is real on significance.change_significance().
    """
    difference = change(current, previous)
    if difference is None:
        return None
    return UP if difference > 0 else DOWN if difference < 0 else SAME


def _as_float_array(values: pd.Series | np.ndarray | Iterable) -> np.ndarray:
    """float64 array with NaN for every kind of missing (None, pd.NA, NaN)."""
    if isinstance(values, pd.Series):
        series = values
    else:
        series = pd.Series(values if isinstance(values, np.ndarray) else list(values))
    return pd.to_numeric(series, errors="raise").astype("Float64").to_numpy(dtype="float64", na_value=np.nan)


def _index_of(*candidates: object) -> pd.Index | None:
    for candidate in candidates:
        if isinstance(candidate, pd.Series):
            return candidate.index
    return None


def rate_series(counts: pd.Series, populations: pd.Series, base: float = 1000) -> pd.Series:
    """Vectorised rate(): float64 Series, NaN where a count or population is missing or not positive."""
    c, p = _as_float_array(counts), _as_float_array(populations)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(p > 0, c / p * base, np.nan)
    return pd.Series(out, index=_index_of(counts, populations), name="rate")


def change_series(current: pd.Series, previous: pd.Series) -> pd.Series:
    """Vectorised change(): float64 Series, NaN where either figure is missing."""
    return pd.Series(
        _as_float_array(current) - _as_float_array(previous), index=_index_of(current, previous), name="change"
    )


def change_pct_series(current: pd.Series, previous: pd.Series) -> pd.Series:
    """Vectorised change_pct(): percent units, NaN where missing or where previous is 0."""
    c, p = _as_float_array(current), _as_float_array(previous)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(p != 0, (c - p) / p * 100, np.nan)
    return pd.Series(out, index=_index_of(current, previous), name="change_pct")


def direction_series(current: pd.Series, previous: pd.Series) -> pd.Series:
    """Vectorised direction(): object Series of "up"/"down"/"same", None where missing."""
    d = _as_float_array(current) - _as_float_array(previous)
    labels = np.select([d > 0, d < 0, d == 0], [UP, DOWN, SAME], default="")
    out = np.where(np.isnan(d), None, labels.astype(object))
    return pd.Series(out, index=_index_of(current, previous), name="direction", dtype=object)


def rates_frame(
    frame: pd.DataFrame,
    *,
    count: str = "count",
    population: str = "population",
    previous: str | None = "previous",
    previous_population: str | None = None,
    base: float = 1000,
) -> pd.DataFrame:
    """Add rate and change columns to a frame of counts, one row per district x category.

    Added columns (float64 with NaN for missing unless stated):
    - rate: count / population x base
    - previous_rate: only when previous_population is given
    - change, change_pct (percent units), direction (object: "up"/"down"/"same"/None):
      only when a previous column is given.
    Returns a new DataFrame; the input is not modified.
    """
    out = frame.copy()
    out["rate"] = rate_series(frame[count], frame[population], base)
    if previous is not None and previous in frame:
        if previous_population is not None:
            out["previous_rate"] = rate_series(frame[previous], frame[previous_population], base)
        out["change"] = change_series(frame[count], frame[previous])
        out["change_pct"] = change_pct_series(frame[count], frame[previous])
        out["direction"] = direction_series(frame[count], frame[previous])
    return out
