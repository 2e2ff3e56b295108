"""Fetching and caching what a comparison needs: the aggregated figures and the populations.

``comparison_context`` is where every page, the API and the plan evidence
start: the values for a window and the year before (and any extra windows,
for trends), for every district, aggregated once and cached per data
generation. ``ComparisonContext.table()`` then compares every category at once
(``assessments.comparison.compute``) and ``compare()`` gives one category,
ranked as asked. Intervals, significance and small-number suppression sit a
layer above (``assessments.comparison.suppression.published_for``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from assessments.comparison.compute import (
    RANK_BY_CHOICES,
    Comparison,
    ComparisonTable,
    compare_many,
    comparison_rows,
)
from crimedata.aggregation import Aggregation, aggregate, population_for
from crimedata.cache import cache_key, cached
from crimedata.periods import Window
from crimedata.selectors import (
    GroupInfo,
    ReferenceData,
    data_generation,
    figures_frame,
    months_with_data,
    populations_frame,
    reference_data,
)


class FiguresSource:
    """Figures for a range of months, fetched at most once and shared by several aggregations.

    The district profile aggregates two sets of windows (this year and last for
    every category; 36 rolling years for the trend). On a cold cache both would
    read overlapping figures; a shared source reads them in one query. With
    ``history_for`` (a district code) the same query also reads that district's
    whole history up to ``last``, for its SPC charts.
    """

    def __init__(self, ref: ReferenceData, first: int, last: int, *, include_provisional: bool,
                 history_for: str | None = None) -> None:
        self.ref = ref
        self.first = first
        self.last = last
        self.include_provisional = include_provisional
        self.history_for = history_for
        self._frame: pd.DataFrame | None = None

    def covers(self, first: int, last: int, include_provisional: bool) -> bool:
        return self.first <= first and last <= self.last and include_provisional == self.include_provisional

    def _read(self) -> pd.DataFrame:
        if self._frame is None:
            self._frame = figures_frame(
                self.ref, first_month=self.first, last_month=self.last,
                include_provisional=self.include_provisional, history_for=self.history_for,
            )
        return self._frame

    def frame(self, first: int, last: int, categories: Sequence[str] | None = None) -> pd.DataFrame:
        frame = self._read()
        keep = (frame["start"] >= first) & (frame["end"] <= last)
        if categories is not None:
            keep &= frame["category"].isin(list(categories))
        return frame[keep].reset_index(drop=True)

    def history(self) -> pd.DataFrame:
        """Every figure of ``history_for`` up to ``last`` (FIGURE_COLUMNS)."""
        if self.history_for is None:
            raise ValueError("This source was not asked for a district's history.")
        frame = self._read()
        return frame[(frame["district"] == self.history_for) & (frame["end"] <= self.last)].reset_index(drop=True)


def cached_aggregation(
    ref: ReferenceData,
    windows: Sequence[Window],
    *,
    include_provisional: bool,
    generation: int,
    categories: Sequence[str] | None = None,
    source: FiguresSource | None = None,
) -> Aggregation:
    """Values for every district and category for the windows (cached per data generation).

    One figures query on a cache miss; none when warm. ``categories`` limits
    the result to those categories (their descendants are still read, for
    roll-ups); ``source`` lets several aggregations share one figures query.
    """
    spans = "-".join(f"{w.start}.{w.end}" for w in windows)
    wanted = "*" if categories is None else ",".join(categories)

    def build() -> Aggregation:
        first = min(w.start for w in windows)
        last = max(w.end for w in windows)
        needed = None
        if categories is not None:
            tree = ref.tree()
            needed = set(categories)
            for slug in categories:
                needed.update(tree.descendants(slug))
            needed = sorted(needed)
        if source is not None and source.covers(first, last, include_provisional):
            figures = source.frame(first, last, needed)
        else:
            figures = figures_frame(
                ref, categories=needed, first_month=first, last_month=last, include_provisional=include_provisional
            )
        return aggregate(
            figures, ref.tree(), windows, districts=[d.code for d in ref.districts],
            categories=list(categories) if categories is not None else None,
        )

    return cached(cache_key("aggregation:v3", generation, include_provisional, spans, wanted), build)


def cached_months_with_data(generation: int, *, include_provisional: bool) -> tuple[int | None, int | None]:
    """First and last month with data visible to this audience (one query on a cache miss)."""
    return cached(
        cache_key("months-with-data:v2", generation, include_provisional),
        lambda: months_with_data(include_provisional=include_provisional),
    )


def cached_populations(ref: ReferenceData, generation: int) -> pd.DataFrame:
    return cached(cache_key("populations:v2", generation), lambda: populations_frame(ref))


@dataclass
class ComparisonContext:
    """Everything a page needs to compare many categories for one window and group."""

    ref: ReferenceData
    generation: int
    window: Window
    group: GroupInfo
    include_provisional: bool
    aggregation: Aggregation
    populations_now: pd.DataFrame
    populations_before: pd.DataFrame
    _table: ComparisonTable | None = field(default=None, repr=False, compare=False)

    @property
    def districts(self) -> list[tuple[str, str]]:
        return [(d.code, d.name) for d in self.ref.districts if d.code in self.group.district_codes]

    def _values(self) -> pd.DataFrame:
        values = self.aggregation.values
        return values[values["window"].isin([0, 1])]

    def table(self) -> ComparisonTable:
        """Every category at once (cached per data generation, window, group and audience)."""
        if self._table is None:
            def build() -> ComparisonTable:
                rows, totals = compare_many(
                    self._values(), self.populations_now, self.populations_before,
                    categories=self.ref.categories, districts=self.districts,
                )
                return ComparisonTable(window=self.window, group=self.group, rows=rows, totals=totals)

            self._table = cached(
                cache_key("comparison-table:v2", self.generation, self.include_provisional,
                          f"{self.window.start}.{self.window.end}", self.group.slug),
                build,
            )
        return self._table

    def compare(self, category_slug: str, *, rank_by: str = "rate", base: int | None = None) -> Comparison:
        """One category's comparison, ranked by ``rank_by``; rates per ``base`` residents (the category's own
        base by default)."""
        category = self.ref.category(category_slug)
        if category is None:
            raise KeyError(category_slug)
        if rank_by not in RANK_BY_CHOICES:
            raise ValueError(f"rank_by must be one of {', '.join(RANK_BY_CHOICES)}")
        if base is None or base == category.rate_base:
            table = self.table()
            category_rows, total = table.category_rows(category_slug), table.totals[category_slug]
        else:
            category_rows, totals = compare_many(
                self._values(), self.populations_now, self.populations_before,
                categories=[category], districts=self.districts, bases={category_slug: base},
            )
            total = totals[category_slug]
        warnings = self.aggregation.warnings
        warnings = warnings[(warnings["category"] == category_slug) & (warnings["window"].isin([0, 1]))]
        return Comparison(
            category=category,
            group=self.group,
            window=self.window,
            previous_window=self.window.previous_year(),
            rank_by=rank_by,
            base=base or category.rate_base,
            rows=comparison_rows(category_rows, rank_by),
            total=total,
            population_year_wanted=self.window.population_year(),
            warnings=warnings,
        )


def comparison_context(
    window: Window,
    group_slug: str,
    *,
    include_provisional: bool,
    extra_windows: Sequence[Window] = (),
    ref: ReferenceData | None = None,
    generation: int | None = None,
    source: FiguresSource | None = None,
) -> ComparisonContext:
    """Fetch (or reuse from cache) the values for ``window`` and the year before.

    ``extra_windows`` are aggregated in the same pass (positions 2 onwards in
    ``aggregation.values``), for trends. Raises KeyError for an unknown group.
    Queries: 1 for the generation (unless given) and, on a cold cache, the
    reference data (4), figures (1, or none with a ``source`` already read)
    and populations (1).
    """
    if generation is None:
        generation = data_generation()
    ref = ref or reference_data(generation)
    group = ref.group(group_slug)
    if group is None:
        raise KeyError(group_slug)
    windows = [window, window.previous_year(), *extra_windows]
    aggregation = cached_aggregation(
        ref, windows, include_provisional=include_provisional, generation=generation, source=source
    )
    populations = cached_populations(ref, generation)
    codes = [d.code for d in ref.districts]
    return ComparisonContext(
        ref=ref,
        generation=generation,
        window=window,
        group=group,
        include_provisional=include_provisional,
        aggregation=aggregation,
        populations_now=population_for(populations, window, codes),
        populations_before=population_for(populations, window.previous_year(), codes),
    )
