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

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q

from assessments.statistics.ranking import competition_ranks, rank_labels
from assessments.statistics.rounding import round_half_up
from crimedata.aggregation import Aggregation, aggregate, empty_figures, population_for
from crimedata.models import Figure
from crimedata.periods import Window
from crimedata.selectors import (
    CategoryInfo,
    GroupInfo,
    ReferenceData,
    data_generation,
    figures_frame,
    months_with_data,
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
            if self.history_for is None:
                self._frame = figures_frame(
                    self.ref, first_month=self.first, last_month=self.last,
                    include_provisional=self.include_provisional,
                )
            else:
                self._frame = _figures_with_history(
                    self.ref, self.first, self.last, self.history_for, include_provisional=self.include_provisional
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


def _first_day(month: int) -> dt.date:
    return dt.date(month // 12, month % 12 + 1, 1)


def _figures_with_history(
    ref: ReferenceData, first: int, last: int, district_code: str, *, include_provisional: bool
) -> pd.DataFrame:
    """crimedata.selectors.figures_frame() for every district from ``first`` to ``last``, plus one district's
    figures before ``first``, in one query (same columns and rules: figures lying wholly up to ``last``,
    provisional ones left out unless asked for)."""
    district = ref.district(district_code)
    qs = Figure.objects.filter(period_start__lte=_first_day(last))
    span = Q(period_start__gte=_first_day(first))
    qs = qs.filter(span | Q(district_id=district.id)) if district is not None else qs.filter(span)
    if not include_provisional:
        qs = qs.filter(status=Figure.STATUS_FINAL)
    rows = list(qs.values_list("district_id", "category_id", "period_start", "period_end", "value", "status"))
    if not rows:
        return empty_figures()
    district_ids, category_ids, starts, ends, values, statuses = zip(*rows)
    code_of = {d.id: d.code for d in ref.districts}
    slug_of = {c.id: c.slug for c in ref.categories}
    frame = pd.DataFrame(
        {
            "district": [code_of[i] for i in district_ids],
            "category": [slug_of[i] for i in category_ids],
            "start": np.fromiter((d.year * 12 + d.month - 1 for d in starts), dtype=np.int64, count=len(starts)),
            "end": np.fromiter((d.year * 12 + d.month - 1 for d in ends), dtype=np.int64, count=len(ends)),
            "value": np.asarray(values, dtype=np.int64),
            "provisional": np.asarray(statuses) == Figure.STATUS_PROVISIONAL,
        }
    )
    return frame[frame["end"] <= last].reset_index(drop=True)


def _key_part(text: str) -> str:
    # Memcached and Redis dislike long keys; 36 rolling windows would make one of ~500 characters.
    return text if len(text) <= 80 else hashlib.sha1(text.encode()).hexdigest()


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

    One figures query on a cache miss; none when warm. The key includes the
    data generation, which every import or edit bumps, so a cached result can
    never outlive the figures it came from. ``categories`` limits the result
    to those categories (their descendants are still read, for roll-ups);
    ``source`` lets several aggregations share one figures query.
    """
    spans = "-".join(f"{w.start}.{w.end}" for w in windows)
    wanted = "*" if categories is None else ",".join(categories)
    key = f"aggregation:v2:{generation}:{int(include_provisional)}:{_key_part(spans)}:{_key_part(wanted)}"
    result = cache.get(key)
    if result is None:
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
        result = aggregate(
            figures, ref.tree(), windows, districts=[d.code for d in ref.districts],
            categories=list(categories) if categories is not None else None,
        )
        cache.set(key, result, settings.COMPARISON_CACHE_SECONDS)
    return result


def cached_months_with_data(generation: int, *, include_provisional: bool) -> tuple[int | None, int | None]:
    """First and last month with data visible to this audience (one query on a cache miss)."""
    key = f"months-with-data:v1:{generation}:{int(include_provisional)}"
    bounds = cache.get(key)
    if bounds is None:
        bounds = months_with_data(include_provisional=include_provisional)
        cache.set(key, bounds, settings.COMPARISON_CACHE_SECONDS)
    return bounds


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


# --- Every category at once -------------------------------------------------------------------
# Pages that show many categories (the profile's crime-type table, the overview
# matrix, the district summary API) would otherwise call compare() once per
# category; at ~50 categories the pandas overhead alone took seconds. The
# vectorised version below computes every category in one pass and is cached.

TABLE_COLUMNS = [
    "category", "district", "name", "count", "previous_count", "change", "change_pct", "rate", "previous_rate",
    "base", "population", "previous_population", "population_year", "previous_population_year",
    "provisional", "previous_provisional", "direction", "status",
    "rank_rate", "rank_label_rate", "rank_count", "rank_label_count", "rank_change_pct", "rank_label_change_pct",
    "previous_rank", "previous_rank_label",
]


@dataclass
class ComparisonTable:
    """Every category compared across a group for one window and the year before.

    ``rows``: one row per (category, district), categories in the order asked
    for and districts in name order, with TABLE_COLUMNS: the measures of
    ROW_COLUMNS plus the rate base and the county position by each of the three
    ``rank_by`` choices (``rank_<by>``/``rank_label_<by>``); ``previous_rank``
    is last year's position by rate. ``totals``: the group row per category slug.
    """

    window: Window
    group: GroupInfo
    rows: pd.DataFrame
    totals: dict[str, Total]

    def category_rows(self, slug: str) -> pd.DataFrame:
        return self.rows[self.rows["category"] == slug]

    def district_rows(self, code: str) -> pd.DataFrame:
        return self.rows[self.rows["district"] == code]


def _matrix(frame: pd.DataFrame, column: str, slugs: list[str], codes: list[str], fill) -> np.ndarray:
    """categories × districts array of one column (NaN or False where there is no row)."""
    out = np.full((len(slugs), len(codes)), fill, dtype=float if fill is not False else bool)
    if frame.empty:
        return out
    # Positional fill: a pivot of the long frame costs ~0.3 s at England scale, this a few ms.
    rows = pd.Categorical(frame["category"], categories=slugs).codes
    cols = pd.Categorical(frame["district"], categories=codes).codes
    keep = (rows >= 0) & (cols >= 0)
    if fill is False:
        values = frame[column].to_numpy(dtype=bool)
    else:
        values = frame[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    out[rows[keep], cols[keep]] = values[keep]
    return out


# Rounding for ranks must match round_half_up() (Decimal on the value's shortest
# repr) exactly. Doing that for every value is the slowest step at England scale,
# so values are rounded with numpy and only those within a hair of a half (where
# binary floating point could tip the result) go through the exact function.
_NEAR_HALF = 1e-6


def _shown(values: np.ndarray, decimals: int) -> np.ndarray:
    scale = 10.0**decimals
    scaled = np.abs(values) * scale
    shown = np.sign(values) * np.floor(scaled + 0.5) / scale
    fraction = scaled - np.floor(scaled)
    doubtful = np.flatnonzero(~np.isnan(values) & (np.abs(fraction - 0.5) < _NEAR_HALF))
    for i in doubtful:
        shown[i] = round_half_up(float(values[i]), decimals)
    return shown


def _ranks_of(values: np.ndarray, polarity: str, decimals: int) -> tuple[list, list]:
    """competition_ranks() and rank_labels() for a float array (NaN = unranked), vectorised."""
    present = ~np.isnan(values)
    if not present.any():
        return [None] * len(values), [None] * len(values)
    shown = _shown(values, decimals)
    ordered = np.sort(shown[present])
    if polarity == "higher":
        places = len(ordered) - np.searchsorted(ordered, shown, side="right") + 1
    else:
        places = np.searchsorted(ordered, shown, side="left") + 1
    ranks = [int(r) if ok else None for r, ok in zip(places, present)]
    return ranks, rank_labels(ranks)


def compare_many(
    values: pd.DataFrame,
    populations_now: pd.DataFrame,
    populations_before: pd.DataFrame,
    *,
    categories: Sequence[CategoryInfo],
    districts: Sequence[tuple[str, str]],
    bases: Mapping[str, int] | None = None,
) -> tuple[pd.DataFrame, dict[str, Total]]:
    """compare() for many categories in one pass; the same definitions and results.

    ``values`` is an Aggregation.values frame (window 0 = this period, 1 = the
    year before). ``bases`` overrides a category's rate base by slug.
    Returns (rows with TABLE_COLUMNS, {slug: Total}); see ComparisonTable.
    """
    bases = bases or {}
    codes = [code for code, _ in districts]
    names = np.array([name for _, name in districts], dtype=object)
    slugs = [c.slug for c in categories]
    m, n = len(slugs), len(codes)
    relevant = values[values["category"].isin(slugs) & values["district"].isin(codes)]
    now, before = relevant[relevant["window"] == 0], relevant[relevant["window"] == 1]
    count = _matrix(now, "value", slugs, codes, np.nan)
    previous = _matrix(before, "value", slugs, codes, np.nan)
    provisional = _matrix(now, "provisional", slugs, codes, False) & ~np.isnan(count)
    previous_provisional = _matrix(before, "provisional", slugs, codes, False) & ~np.isnan(previous)
    population = populations_now["population"].reindex(codes).to_numpy(dtype=float)
    previous_population = populations_before["population"].reindex(codes).to_numpy(dtype=float)
    base = np.array([bases.get(c.slug) or c.rate_base for c in categories], dtype=float)[:, None]

    with np.errstate(divide="ignore", invalid="ignore"):
        change = count - previous
        change_pct = np.where(previous > 0, change / previous * 100, np.nan)
        rate = count / population[None, :] * base
        previous_rate = previous / previous_population[None, :] * base
    direction = np.select([change > 0, change < 0, change == 0], ["up", "down", "same"], default=None).astype(object)
    direction[np.isnan(change)] = None
    status = np.where(provisional | previous_provisional, "provisional", "final").astype(object)
    status[np.isnan(count)] = None

    ranks: dict[str, list] = {k: [] for k in TABLE_COLUMNS if k.startswith(("rank", "previous_rank"))}
    totals: dict[str, Total] = {}
    order = np.argsort(names, kind="stable")
    for i, category in enumerate(categories):
        for by, measure in (("rate", rate[i]), ("count", count[i]), ("change_pct", change_pct[i])):
            r, labels = _ranks_of(measure, category.polarity, RANK_DECIMALS[by])
            ranks[f"rank_{by}"].extend(r)
            ranks[f"rank_label_{by}"].extend(labels)
        r, labels = _ranks_of(previous_rate[i], category.polarity, 1)
        ranks["previous_rank"].extend(r)
        ranks["previous_rank_label"].extend(labels)
        totals[category.slug] = _total_of(
            names[order], count[i][order], previous[i][order], population[order], previous_population[order],
            provisional[i][order], previous_provisional[i][order], float(base[i, 0]),
        )

    def flat(array: np.ndarray) -> np.ndarray:
        return array.reshape(-1)

    rows = pd.DataFrame(
        {
            "category": np.repeat(np.array(slugs, dtype=object), n),
            "district": np.tile(np.array(codes, dtype=object), m),
            "name": np.tile(names, m),
            "count": _whole(flat(count)),
            "previous_count": _whole(flat(previous)),
            "change": _whole(flat(change)),
            "change_pct": flat(change_pct),
            "rate": flat(rate),
            "previous_rate": flat(previous_rate),
            "base": np.repeat(base[:, 0].astype(np.int64), n),
            "population": _whole(np.tile(population, m)),
            "previous_population": _whole(np.tile(previous_population, m)),
            "population_year": pd.array(
                np.tile(populations_now["population_year"].reindex(codes).to_numpy(dtype=object), m), dtype="Int64"
            ),
            "previous_population_year": pd.array(
                np.tile(populations_before["population_year"].reindex(codes).to_numpy(dtype=object), m), dtype="Int64"
            ),
            "provisional": flat(provisional),
            "previous_provisional": flat(previous_provisional),
            "direction": pd.Series(flat(direction), dtype=object),
            "status": pd.Series(flat(status), dtype=object),
            **{
                key: pd.Series(value, dtype=object) if "label" in key else pd.array(value, dtype="Int64")
                for key, value in ranks.items()
            },
        }
    )
    return rows[TABLE_COLUMNS], totals


def _whole(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Floats holding whole numbers (NaN when missing) as nullable integers."""
    return pd.array(np.asarray(values, dtype=float), dtype="Float64").astype("Int64")


def _total_of(
    names, count, previous, population, previous_population, provisional, previous_provisional, base: float
) -> Total:
    """The group row from arrays in district-name order (same rules as _total)."""
    has = ~np.isnan(count)
    missing = names[~has].tolist()
    missing_previous = names[has & np.isnan(previous)].tolist()
    total = int(count[has].sum()) if has.any() else None
    people = population[has]
    rate = None
    if total is not None and not np.isnan(people).any() and people.sum() > 0:
        rate = total / float(people.sum()) * base
    previous_total = previous_rate = None
    if total is not None and not missing_previous:
        previous_total = int(previous[has].sum())
        before = previous_population[has]
        if not np.isnan(before).any() and before.sum() > 0:
            previous_rate = previous_total / float(before.sum()) * base
    change = None if previous_total is None else total - previous_total
    change_pct = None if previous_total in (None, 0) else change / previous_total * 100
    return Total(
        count=total,
        previous_count=previous_total,
        change=change,
        change_pct=change_pct,
        rate=rate,
        previous_rate=previous_rate,
        population=int(people.sum()) if total is not None and not np.isnan(people).any() else None,
        districts_with_data=int(has.sum()),
        districts_in_group=len(names),
        missing=missing,
        missing_previous=missing_previous,
        provisional=bool(provisional[has].any() or previous_provisional[has].any()),
    )


def comparison_rows(category_rows: pd.DataFrame, rank_by: str) -> pd.DataFrame:
    """One category's rows from a ComparisonTable as compare() returns them (ROW_COLUMNS, rank order)."""
    if rank_by not in RANK_BY_CHOICES:
        raise ValueError(f"rank_by must be one of {', '.join(RANK_BY_CHOICES)}")
    frame = category_rows.copy()
    frame["rank"] = frame[f"rank_{rank_by}"]
    frame["rank_label"] = frame[f"rank_label_{rank_by}"]
    frame["_unranked"] = frame["rank"].isna()
    frame["_order"] = frame["rank"].fillna(10**9)
    frame = frame.sort_values(["_unranked", "_order", "name"], kind="stable")
    return frame[ROW_COLUMNS].reset_index(drop=True)


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

    def table(self) -> ComparisonTable:
        """Every category at once (cached per data generation, window, group and audience)."""
        if self._table is None:
            key = (
                f"comparison-table:v1:{self.generation}:{int(self.include_provisional)}:"
                f"{self.window.start}.{self.window.end}:{_key_part(self.group.slug)}"
            )
            table = cache.get(key)
            if table is None:
                rows, totals = compare_many(
                    self.aggregation.values[self.aggregation.values["window"].isin([0, 1])],
                    self.populations_now,
                    self.populations_before,
                    categories=self.ref.categories,
                    districts=self.districts,
                )
                table = ComparisonTable(window=self.window, group=self.group, rows=rows, totals=totals)
                cache.set(key, table, settings.COMPARISON_CACHE_SECONDS)
            self._table = table
        return self._table

    def published(self, category_slug: str, audience: str, *, rank_by: str = "rate", base: int | None = None,
                  confidence: float = 0.95):
        """compare() with its intervals, significance and small-number suppression for one audience
        (assessments.disclosure.publish_comparison), cached like the comparison itself: the tests are
        pure but not free (an exact binomial test per district)."""
        from assessments.disclosure import publish_comparison
        from assessments.wording import group_short_name

        key = (
            f"published:v1:{self.generation}:{int(self.include_provisional)}:{self.window.start}.{self.window.end}:"
            f"{_key_part(self.group.slug)}:{_key_part(category_slug)}:{rank_by}:{base}:{audience}:{confidence}"
        )
        result = cache.get(key)
        if result is None:
            result = publish_comparison(
                self.compare(category_slug, rank_by=rank_by, base=base), audience, confidence=confidence,
                group_area=group_short_name(self.group.name),
            )
            cache.set(key, result, settings.COMPARISON_CACHE_SECONDS)
        return result

    def compare(self, category_slug: str, *, rank_by: str = "rate", base: int | None = None) -> Comparison:
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
                self.aggregation.values[self.aggregation.values["window"].isin([0, 1])],
                self.populations_now,
                self.populations_before,
                categories=[category],
                districts=self.districts,
                bases={category_slug: base},
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


# --- Trends ----------------------------------------------------------------------------------


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


# A 3-year trend of rolling 12-month rates, as the strategic assessments chart it.
TREND_POINTS = 36
TREND_LENGTH = 12


def trend_windows(end: int, points: int = TREND_POINTS, length: int = TREND_LENGTH) -> list[Window]:
    return [Window.ending(end - offset, length) for offset in range(points - 1, -1, -1)]


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
    key = (
        f"trend:v1:{generation}:{int(include_provisional)}:{_key_part(category_slug)}:{end}:{points}:{length}:"
        f"{_key_part(group.slug)}"
    )
    trend = cache.get(key)
    if trend is not None:
        return trend
    windows = trend_windows(end, points, length)
    aggregation = cached_aggregation(
        ref, windows, include_provisional=include_provisional, generation=generation,
        categories=[category_slug], source=source,
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
    values = values[(values["category"] == category_slug) & values["district"].isin(codes)]
    frame = values[["window", "district", "value", "provisional"]].rename(columns={"value": "count"}).copy()
    frame["end"] = frame["window"].map({i: w.end for i, w in enumerate(windows)})
    frame["year"] = frame["window"].map({i: w.population_year() for i, w in enumerate(windows)})
    denominators = pd.concat(
        [by_year[year][["population"]].assign(year=year) for year in by_year]
    ).reset_index()
    frame = frame.merge(denominators, on=["year", "district"], how="left")
    frame["rate"] = frame["count"].astype("Float64").to_numpy(dtype=float, na_value=np.nan) / frame["population"] * (
        category.rate_base
    )
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
                "rate": count / population * category.rate_base if complete and population > 0 else np.nan,
                "missing": missing,
            }
        )
    group_line = pd.DataFrame(group_rows, columns=["end", "count", "population", "rate", "missing"])
    group_line["count"] = pd.array(group_line["count"].tolist(), dtype="Int64")
    trend = Trend(
        category=category,
        group=group,
        windows=windows,
        base=category.rate_base,
        districts=frame[["end", "district", "name", "count", "population", "rate", "provisional"]],
        group_line=group_line,
    )
    cache.set(key, trend, settings.COMPARISON_CACHE_SECONDS)
    return trend
