"""The comparison service: counts, change, rates and county positions for a group.

This is the engine behind the comparison page, the district profile, the Kent
overview, the open-data API and the evidence on assessment pages. The pure
part (``compare``) works on DataFrames; ``comparison_frame`` fetches and
caches. Definitions follow domain.md §6 and methods.md §5 and §7:

- change = count − previous count; change % = change ÷ previous × 100;
- rate = count ÷ population × base (per 1,000 residents unless the category says otherwise);
- county position: 1 is best by the category's polarity (no judgement: lowest
  first), ranked on the value as displayed (rates and change % to 1 decimal
  place, counts exactly), ties share a place ("2=") and the next is skipped;
- districts with no figure are unranked and listed last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.cache import cache

from assessments.statistics.ranking import competition_ranks, rank_labels
from crimedata.aggregation import Aggregation, aggregate, population_for
from crimedata.periods import Window
from crimedata.selectors import (
    CategoryInfo,
    GroupInfo,
    ReferenceData,
    data_generation,
    figures_frame,
    populations_frame,
    reference_data,
)

RANK_BY_CHOICES = {
    "rate": "rate per residents",
    "count": "number recorded",
    "change_pct": "change on last year (%)",
}
# Ranks use the precision the pages display (methods.md §5).
RANK_DECIMALS = {"rate": 1, "count": 0, "change_pct": 1}

ROW_COLUMNS = [
    "district", "name", "count", "previous_count", "change", "change_pct", "rate", "previous_rate",
    "population", "previous_population", "population_year", "previous_population_year", "rank", "rank_label",
    "previous_rank", "previous_rank_label", "direction", "status", "provisional", "previous_provisional",
]


@dataclass
class Total:
    """The group row: totals over the districts that have data, and which ones do not."""

    count: int | None
    previous_count: int | None
    change: int | None
    change_pct: float | None
    rate: float | None
    previous_rate: float | None
    population: int | None
    districts_with_data: int
    districts_in_group: int
    missing: list[str] = field(default_factory=list)
    missing_previous: list[str] = field(default_factory=list)
    provisional: bool = False


@dataclass
class Comparison:
    """One category compared across a group's districts for a window and the year before."""

    category: CategoryInfo
    group: GroupInfo
    window: Window
    previous_window: Window
    rank_by: str
    base: int
    rows: pd.DataFrame  # ROW_COLUMNS, in rank order with unranked rows last
    total: Total
    population_year_wanted: int
    warnings: pd.DataFrame  # data-quality mismatches for this category (aggregation warnings)

    @property
    def population_years_used(self) -> list[int]:
        years = self.rows["population_year"].dropna().unique().tolist()
        return sorted(int(y) for y in years)

    @property
    def population_is_substitute(self) -> bool:
        return any(y != self.population_year_wanted for y in self.population_years_used)

    def row(self, district_code: str) -> dict | None:
        match = self.rows[self.rows["district"] == district_code]
        return None if match.empty else match.iloc[0].to_dict()


def _rank(values: pd.Series, polarity: str, decimals: int) -> tuple[pd.Series, pd.Series]:
    ranks = competition_ranks([None if pd.isna(v) else float(v) for v in values], polarity=polarity, decimals=decimals)
    # object dtype keeps an unranked label as None (pandas 3 would infer a string dtype with NaN).
    return (
        pd.Series(pd.array(ranks, dtype="Int64"), index=values.index),
        pd.Series(rank_labels(ranks), index=values.index, dtype=object),
    )


def compare(
    values: pd.DataFrame,
    populations_now: pd.DataFrame,
    populations_before: pd.DataFrame,
    *,
    category: CategoryInfo,
    districts: Sequence[tuple[str, str]],
    rank_by: str = "rate",
    base: int | None = None,
) -> tuple[pd.DataFrame, Total]:
    """Pure comparison for one category.

    ``values`` is indexed by district code with columns count, provisional,
    previous_count, previous_provisional (count columns nullable).
    ``populations_*`` come from crimedata.aggregation.population_for.
    ``districts`` is the group as (code, name) pairs.
    Returns (rows in ROW_COLUMNS, Total).
    """
    if rank_by not in RANK_BY_CHOICES:
        raise ValueError(f"rank_by must be one of {', '.join(RANK_BY_CHOICES)}")
    base = base or category.rate_base
    codes = [code for code, _ in districts]
    frame = pd.DataFrame({"district": codes, "name": [name for _, name in districts]}).set_index("district")
    values = values.reindex(codes)
    frame["count"] = values["count"].astype("Float64")
    frame["previous_count"] = values["previous_count"].astype("Float64")
    frame["provisional"] = values["provisional"].fillna(False).astype(bool)
    frame["previous_provisional"] = values["previous_provisional"].fillna(False).astype(bool)
    frame["population"] = populations_now["population"].reindex(codes)
    frame["previous_population"] = populations_before["population"].reindex(codes)
    frame["population_year"] = populations_now["population_year"].reindex(codes)
    frame["previous_population_year"] = populations_before["population_year"].reindex(codes)

    count = frame["count"].astype("float64")
    previous = frame["previous_count"].astype("float64")
    frame["change"] = count - previous
    with np.errstate(divide="ignore", invalid="ignore"):
        change_pct = (count - previous) / previous * 100
    frame["change_pct"] = change_pct.where(previous > 0)
    frame["rate"] = count / frame["population"] * base
    frame["previous_rate"] = previous / frame["previous_population"] * base
    direction = np.select(
        [frame["change"] > 0, frame["change"] < 0, frame["change"] == 0], ["up", "down", "same"], default=""
    )
    # object dtype so that "no direction" and "no status" stay None, not NaN.
    frame["direction"] = pd.Series(np.where(frame["change"].isna(), None, direction), index=frame.index, dtype=object)
    status = np.where(frame["provisional"] | frame["previous_provisional"], "provisional", "final")
    frame["status"] = pd.Series(np.where(count.isna(), None, status), index=frame.index, dtype=object)

    decimals = RANK_DECIMALS[rank_by]
    frame["rank"], frame["rank_label"] = _rank(frame[rank_by], category.polarity, decimals)
    # Last year's county position is always by rate, as the crime-type tables show it.
    frame["previous_rank"], frame["previous_rank_label"] = _rank(frame["previous_rate"], category.polarity, 1)

    frame = frame.reset_index()
    frame["_unranked"] = frame["rank"].isna()
    frame["_order"] = frame["rank"].fillna(10**9)
    frame = frame.sort_values(["_unranked", "_order", "name"]).drop(columns=["_unranked", "_order"])
    frame = frame[ROW_COLUMNS].reset_index(drop=True)
    for column in ("count", "previous_count", "change"):
        frame[column] = frame[column].astype("Int64")
    for column in ("rank", "previous_rank", "population_year", "previous_population_year"):
        frame[column] = frame[column].astype("Int64")
    frame["population"] = frame["population"].astype("Int64")
    frame["previous_population"] = frame["previous_population"].astype("Int64")
    return frame, _total(frame, base)


def _total(frame: pd.DataFrame, base: int) -> Total:
    has = frame["count"].notna()
    covered = frame[has]
    missing = frame.loc[~has, "name"].tolist()
    missing_previous = covered.loc[covered["previous_count"].isna(), "name"].tolist()
    count = int(covered["count"].sum()) if len(covered) else None
    population = covered["population"]
    rate = None
    if count is not None and population.notna().all() and population.sum() > 0:
        rate = count / float(population.sum()) * base
    previous_count = None
    previous_rate = None
    if count is not None and not missing_previous:
        previous_count = int(covered["previous_count"].sum())
        before = covered["previous_population"]
        if before.notna().all() and before.sum() > 0:
            previous_rate = previous_count / float(before.sum()) * base
    change = None if previous_count is None else count - previous_count
    change_pct = None if previous_count in (None, 0) else change / previous_count * 100
    return Total(
        count=count,
        previous_count=previous_count,
        change=change,
        change_pct=change_pct,
        rate=rate,
        previous_rate=previous_rate,
        population=int(population.sum()) if count is not None and population.notna().all() else None,
        districts_with_data=len(covered),
        districts_in_group=len(frame),
        missing=missing,
        missing_previous=missing_previous,
        provisional=bool(covered["provisional"].any() or covered["previous_provisional"].any()),
    )


def cached_aggregation(
    ref: ReferenceData, windows: Sequence[Window], *, include_provisional: bool, generation: int
) -> Aggregation:
    """Values for every district and category for the windows (cached per data generation).

    One figures query on a cache miss; none when warm. The key includes the
    data generation, which every import or edit bumps, so a cached result can
    never outlive the figures it came from.
    """
    spans = "-".join(f"{w.start}.{w.end}" for w in windows)
    key = f"aggregation:v1:{generation}:{int(include_provisional)}:{spans}"
    result = cache.get(key)
    if result is None:
        first = min(w.start for w in windows)
        last = max(w.end for w in windows)
        figures = figures_frame(ref, first_month=first, last_month=last, include_provisional=include_provisional)
        result = aggregate(figures, ref.tree(), windows, districts=[d.code for d in ref.districts])
        cache.set(key, result, settings.COMPARISON_CACHE_SECONDS)
    return result


def cached_populations(ref: ReferenceData, generation: int) -> pd.DataFrame:
    key = f"populations:v1:{generation}"
    frame = cache.get(key)
    if frame is None:
        frame = populations_frame(ref)
        cache.set(key, frame, settings.COMPARISON_CACHE_SECONDS)
    return frame


def values_for(aggregation: Aggregation, category: str, now: int = 0, before: int = 1) -> pd.DataFrame:
    """count/provisional and previous_count/previous_provisional by district for one category."""
    frame = aggregation.values
    frame = frame[frame["category"] == category]
    current = frame[frame["window"] == now].set_index("district")
    previous = frame[frame["window"] == before].set_index("district")
    return pd.DataFrame(
        {
            "count": current["value"],
            "provisional": current["provisional"],
            "previous_count": previous["value"].reindex(current.index),
            "previous_provisional": previous["provisional"].reindex(current.index),
        }
    )


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

    @property
    def districts(self) -> list[tuple[str, str]]:
        return [(d.code, d.name) for d in self.ref.districts if d.code in self.group.district_codes]

    def compare(self, category_slug: str, *, rank_by: str = "rate", base: int | None = None) -> Comparison:
        category = self.ref.category(category_slug)
        if category is None:
            raise KeyError(category_slug)
        rows, total = compare(
            values_for(self.aggregation, category_slug),
            self.populations_now,
            self.populations_before,
            category=category,
            districts=self.districts,
            rank_by=rank_by,
            base=base,
        )
        warnings = self.aggregation.warnings
        warnings = warnings[(warnings["category"] == category_slug) & (warnings["window"].isin([0, 1]))]
        return Comparison(
            category=category,
            group=self.group,
            window=self.window,
            previous_window=self.window.previous_year(),
            rank_by=rank_by,
            base=base or category.rate_base,
            rows=rows,
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
) -> ComparisonContext:
    """Fetch (or reuse from cache) the values for ``window`` and the year before.

    ``extra_windows`` are aggregated in the same pass (positions 2 onwards in
    ``aggregation.values``), for trends. Raises KeyError for an unknown group.
    Queries: 1 for the generation (unless given) and, on a cold cache, the
    reference data (3), figures (1) and populations (1).
    """
    if generation is None:
        generation = data_generation()
    ref = ref or reference_data(generation)
    group = ref.group(group_slug)
    if group is None:
        raise KeyError(group_slug)
    windows = [window, window.previous_year(), *extra_windows]
    aggregation = cached_aggregation(ref, windows, include_provisional=include_provisional, generation=generation)
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
