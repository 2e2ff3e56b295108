"""Trends: the windows a trend is drawn over, and rolling rates for a district and its group.

``trend_windows`` is the one definition of a trend's windows: windows of the
same length ending a fixed number of months apart. The district profile draws
36 rolling 12-month windows a month apart (the strategic assessments' 3-year
trend); the plan evidence shows the same window in each of three years
(``earlier_years``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from assessments.comparison.context import FiguresSource, cached_aggregation, cached_populations
from crimedata import measures
from crimedata.aggregation import population_for
from crimedata.cache import cache_key, cached
from crimedata.periods import Window
from crimedata.selectors import CategoryInfo, GroupInfo, ReferenceData

# A 3-year trend of rolling 12-month rates, as the strategic assessments chart it.
TREND_POINTS = 36
TREND_LENGTH = 12
# The months of figures such a trend reads: 47 up to the period's end.
TREND_SPAN_MONTHS = TREND_POINTS + TREND_LENGTH - 1


def trend_windows(end: int, points: int = TREND_POINTS, length: int = TREND_LENGTH, *, step: int = 1) -> list[Window]:
    """``points`` windows of ``length`` months, the last ending at ``end`` and each ``step`` months after the one
    before, oldest first."""
    return [Window.ending(end - offset * step, length) for offset in range(points - 1, -1, -1)]


def earlier_years(window: Window, years: int = 3) -> list[Window]:
    """The windows a comparison context needs, beyond ``window`` and the year before, for a trend of ``years``
    windows a year apart: the same months two years before and earlier, newest first (as its aggregation
    numbers them: 2, 3, ...)."""
    return trend_windows(window.end, years, window.months, step=12)[-3::-1]


@dataclass
class Trend:
    """Rolling rates for one category: each district and the group, at each month end.

    ``districts``: columns end (month index), district, name, count (Int64),
    population (float), rate (float, NaN when missing), provisional.
    ``group_line``: one row per end: end, count (Int64), population, rate
    (NaN when any district in the group has no figure for that window, so the
    line never shows a partial group), missing (list of district names).
    """

    category: CategoryInfo
    group: GroupInfo
    windows: list[Window]
    base: int
    districts: pd.DataFrame
    group_line: pd.DataFrame

    @property
    def span(self) -> Window:
        return Window(self.windows[0].end, self.windows[-1].end)


def rolling_trend(
    ref: ReferenceData,
    category_slug: str,
    end: int,
    group: GroupInfo,
    *,
    include_provisional: bool,
    generation: int,
    points: int = TREND_POINTS,
    length: int = TREND_LENGTH,
    source: FiguresSource | None = None,
) -> Trend:
    """Rolling ``length``-month counts and rates ending at each of ``points`` months up to ``end``.

    Cached per data generation; on a cache miss one figures query (for this
    category and its parts only), or none with a ``source`` already read.
    """
    category = ref.category(category_slug)
    if category is None:
        raise KeyError(category_slug)
    key = cache_key("trend:v2", generation, include_provisional, category_slug, end, points, length, group.slug)
    return cached(key, lambda: _rolling_trend(ref, category, end, group, include_provisional=include_provisional,
                                              generation=generation, points=points, length=length, source=source))


def _rolling_trend(ref, category, end, group, *, include_provisional, generation, points, length, source) -> Trend:
    windows = trend_windows(end, points, length)
    aggregation = cached_aggregation(
        ref, windows, include_provisional=include_provisional, generation=generation,
        categories=[category.slug], source=source,
    )
    populations = cached_populations(ref, generation)
    codes = [d.code for d in ref.districts if d.code in group.district_codes]
    names = {d.code: d.name for d in ref.districts}
    # Windows sharing a population year share a denominator: look each year up once.
    by_year: dict[int, pd.DataFrame] = {}
    for window in windows:
        year = window.population_year()
        if year not in by_year:
            by_year[year] = population_for(populations, window, codes)
    values = aggregation.values
    values = values[(values["category"] == category.slug) & values["district"].isin(codes)]
    frame = values[["window", "district", "value", "provisional"]].rename(columns={"value": "count"}).copy()
    frame["end"] = frame["window"].map({i: w.end for i, w in enumerate(windows)})
    frame["year"] = frame["window"].map({i: w.population_year() for i, w in enumerate(windows)})
    denominators = pd.concat(
        [by_year[year][["population"]].assign(year=year) for year in by_year]
    ).reset_index()
    frame = frame.merge(denominators, on=["year", "district"], how="left")
    frame["rate"] = measures.rate(frame["count"], frame["population"], category.rate_base)
    frame["name"] = frame["district"].map(names)
    frame = frame.sort_values(["end", "name"]).reset_index(drop=True)
    group_rows = []
    for end_month, part in frame.groupby("end", sort=True):
        missing = part.loc[part["count"].isna(), "name"].tolist()
        complete = not missing and len(part) == len(codes) and part["population"].notna().all()
        count = int(part["count"].sum()) if complete else None
        population = float(part["population"].sum()) if complete else np.nan
        group_rows.append(
            {
                "end": end_month,
                "count": count,
                "population": population,
                "rate": measures.rate(count, population, category.rate_base) if complete else np.nan,
                "missing": missing,
            }
        )
    group_line = pd.DataFrame(group_rows, columns=["end", "count", "population", "rate", "missing"])
    group_line["count"] = pd.array(group_line["count"].tolist(), dtype="Int64")
    return Trend(
        category=category,
        group=group,
        windows=windows,
        base=category.rate_base,
        districts=frame[["end", "district", "name", "count", "population", "rate", "provisional"]],
        group_line=group_line,
    )
