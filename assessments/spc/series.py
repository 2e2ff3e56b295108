"""Reading one district's series for SPC charts: every category, month by month (or quarter by quarter).

A month is ``crimedata.aggregation.aggregate`` over a single-month window, so
it is a direct figure or the sum of its sub-categories, and a month that is
not fully known is missing, never a partial sum. Quarters are financial-year
quarters (April to June first). One figures query per district, shared by
both grains and cached per data generation (``crimedata.cache``); the public
sees final figures only (the caller passes ``include_provisional``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from crimedata.aggregation import aggregate
from crimedata.cache import cache_key, cached
from crimedata.periods import Window, month_label, quarter_label
from crimedata.selectors import CategoryInfo, ReferenceData, figures_frame

MONTH = "month"
QUARTER = "quarter"
GRAINS = {MONTH: "Monthly", QUARTER: "Quarterly"}

SERIES_COLUMNS = ["start", "end", "label", "short_label", "value", "provisional"]


def grains_for(category: CategoryInfo) -> list[str]:
    """Quarterly categories have no monthly figures; monthly ones can be charted either way."""
    return [QUARTER] if category.grain == QUARTER else [MONTH, QUARTER]


def default_grain(category: CategoryInfo) -> str:
    return QUARTER if category.grain == QUARTER else MONTH


# --- Periods --------------------------------------------------------------------------------------


def period_windows(first_month: int, last_month: int, grain: str) -> list[Window]:
    """Every whole month, or every whole financial-year quarter (Apr–Jun first), in the range."""
    if grain == MONTH:
        return [Window(m, m) for m in range(first_month, last_month + 1)]
    if grain != QUARTER:
        raise ValueError(f"grain must be {MONTH!r} or {QUARTER!r}, not {grain!r}.")
    # Quarters end in March, June, September and December: month index % 3 == 2.
    first_end = first_month + 2
    first_end += (2 - first_end % 3) % 3
    return [Window(end - 2, end) for end in range(first_end, last_month + 1, 3)]


def period_label(window: Window, short: bool = False) -> str:
    if window.months == 1:
        return month_label(window.start, short=short)
    label = quarter_label(window.end)
    return label.split(" (")[0] if short else label


# --- Reading the series ------------------------------------------------------------------------------


def _district_figures(ref: ReferenceData, district_code: str, *, include_provisional: bool, generation: int):
    """One district's stored figures (one query), cached so both grains share a single read."""
    return cached(
        cache_key("spc-figures:v1", generation, district_code, include_provisional),
        lambda: figures_frame(ref, districts=[district_code], include_provisional=include_provisional),
    )


def district_series(
    ref: ReferenceData, district_code: str, grain: str, *, include_provisional: bool, generation: int,
    history: Callable[[], pd.DataFrame] | None = None, last_month: int | None = None,
) -> tuple[pd.DataFrame, list[Window]]:
    """Every category's value in every month (or quarter) for one district, cached per data generation.

    Returns (values, windows): values has columns window (position in
    windows), category, value (Int64, <NA> when missing) and provisional.
    One figures query on a cache miss (shared by both grains), none when warm.
    With ``history`` (a function returning the district's figures up to
    ``last_month``, such as a page's FiguresSource.history) the series end at
    ``last_month`` and are read from it instead of a query of their own.
    """

    def build() -> tuple[pd.DataFrame, list[Window]]:
        if history is not None:
            figures = history()
        else:
            figures = _district_figures(ref, district_code, include_provisional=include_provisional,
                                        generation=generation)
        if figures.empty:
            return pd.DataFrame(columns=["window", "category", "value", "provisional"]), []
        windows = period_windows(int(figures["start"].min()), int(figures["end"].max()), grain)
        aggregation = aggregate(figures, ref.tree(), windows, districts=[district_code])
        values = aggregation.values[["window", "category", "value", "provisional"]]
        return values.reset_index(drop=True), windows

    until = () if history is None else (last_month,)
    return cached(cache_key("spc-series:v1", generation, district_code, grain, include_provisional, *until), build)


def _series_from(starts: np.ndarray, ends: np.ndarray, labels: np.ndarray, short_labels: np.ndarray,
                 positions: np.ndarray, value: np.ndarray, provisional: np.ndarray) -> pd.DataFrame:
    known = ~np.isnan(value)
    if not known.any():
        return pd.DataFrame(columns=SERIES_COLUMNS)
    first, last = np.flatnonzero(known)[[0, -1]]
    chosen = positions[first : last + 1]
    return pd.DataFrame(
        {
            "start": starts[chosen],
            "end": ends[chosen],
            "label": labels[chosen],
            "short_label": short_labels[chosen],
            "value": value[first : last + 1],
            "provisional": provisional[first : last + 1],
        }
    )


def _window_arrays(windows: Sequence[Window]) -> tuple[np.ndarray, ...]:
    # Labels are worked out once per window, not once per series.
    return (
        np.array([w.start for w in windows], dtype=np.int64),
        np.array([w.end for w in windows], dtype=np.int64),
        np.array([period_label(w) for w in windows], dtype=object),
        np.array([period_label(w, short=True) for w in windows], dtype=object),
    )


def category_series(values: pd.DataFrame, windows: Sequence[Window], category: str) -> pd.DataFrame:
    """One category's points in date order, from its first known value to its last.

    Columns (SERIES_COLUMNS): start, end (month indexes), label, short_label,
    value (float, NaN for a missing month inside the series) and provisional.
    """
    frame = values[values["category"] == category].sort_values("window")
    return _series_from(
        *_window_arrays(windows),
        frame["window"].to_numpy(dtype=np.int64),
        frame["value"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan),
        frame["provisional"].to_numpy(dtype=bool),
    )


def every_category_series(values: pd.DataFrame, windows: Sequence[Window]) -> dict[str, pd.DataFrame]:
    """category_series() for every category at once (one sort and split instead of one scan each)."""
    ordered = values.sort_values(["category", "window"], kind="stable")
    categories = ordered["category"].to_numpy()
    positions = ordered["window"].to_numpy(dtype=np.int64)
    value = ordered["value"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    provisional = ordered["provisional"].to_numpy(dtype=bool)
    arrays = _window_arrays(windows)
    bounds = np.flatnonzero(np.r_[True, categories[1:] != categories[:-1], True])
    return {
        categories[a]: _series_from(*arrays, positions[a:b], value[a:b], provisional[a:b])
        for a, b in zip(bounds[:-1], bounds[1:])
    }
