"""The comparison: counts, change, rates, county positions and the group total for a group of districts.

This is the only place they are applied to a comparison (docs/methods.md §5,
§7 and §11); the definitions themselves are one each, elsewhere:

- change = count − previous count; change % = change ÷ previous × 100;
  rate = count ÷ population × base (per 1,000 residents unless the category
  says otherwise): ``crimedata.measures``;
- county position: 1 is best by the category's polarity (no judgement: lowest
  first), ranked on the value as displayed (rates and change % to 1 decimal
  place, counts exactly), ties share a place ("2=") and the next is skipped:
  ``assessments.statistics.ranking``;
- districts with no figure are unranked and listed last; the group total
  covers the districts with figures and names the others.

Pure: ``compare_many`` takes the aggregated values and populations and
returns every category at once (``assessments.comparison.context`` fetches
and caches them). At ~50 categories a per-category pandas pass took seconds;
this is one vectorised pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from assessments.statistics.ranking import competition_ranks_array, rank_labels
from crimedata import measures
from crimedata.numbers import is_missing
from crimedata.periods import Window
from crimedata.selectors import CategoryInfo, GroupInfo

RANK_BY_CHOICES = {
    "rate": "rate per residents",
    "count": "number recorded",
    "change_pct": "change on last year (%)",
}
# Ranks use the precision the pages display (docs/methods.md §5).
RANK_DECIMALS = {"rate": 1, "count": 0, "change_pct": 1}

ROW_COLUMNS = [
    "district", "name", "count", "previous_count", "change", "change_pct", "rate", "previous_rate",
    "population", "previous_population", "population_year", "previous_population_year", "rank", "rank_label",
    "previous_rank", "previous_rank_label", "direction", "status", "provisional", "previous_provisional",
]

TABLE_COLUMNS = [
    "category", "district", "name", "count", "previous_count", "change", "change_pct", "rate", "previous_rate",
    "base", "population", "previous_population", "population_year", "previous_population_year",
    "provisional", "previous_provisional", "direction", "status",
    "rank_rate", "rank_label_rate", "rank_count", "rank_label_count", "rank_change_pct", "rank_label_change_pct",
    "previous_rank", "previous_rank_label",
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


def records(frame: pd.DataFrame) -> list[dict]:
    """DataFrame rows as dicts with NaN/<NA> as None (what templates, tables and JSON want)."""
    return [
        {key: (None if is_missing(value) else value) for key, value in row.items()}
        for row in frame.astype(object).to_dict("records")
    ]


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


def _ranks_of(values: np.ndarray, polarity: str, decimals: int) -> tuple[list, list]:
    ranks = competition_ranks_array(values, polarity=polarity, decimals=decimals)
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
    """Every category compared across ``districts`` in one pass.

    ``values`` is an Aggregation.values frame (window 0 = this period, 1 = the
    year before); ``populations_*`` come from crimedata.aggregation.population_for;
    ``districts`` is the group as (code, name) pairs. ``bases`` overrides a
    category's rate base by slug. Returns (rows with TABLE_COLUMNS, {slug: Total});
    see ComparisonTable.
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

    change = measures.change(count, previous)
    change_pct = measures.change_pct(count, previous)
    rate = measures.rate(count, population[None, :], base)
    previous_rate = measures.rate(previous, previous_population[None, :], base)
    direction = measures.direction(change)
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
        # Last year's county position is always by rate, as the crime-type tables show it.
        r, labels = _ranks_of(previous_rate[i], category.polarity, RANK_DECIMALS["rate"])
        ranks["previous_rank"].extend(r)
        ranks["previous_rank_label"].extend(labels)
        totals[category.slug] = group_total(
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
            # object dtype so that "no direction" and "no status" stay None, not NaN.
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


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def group_total(
    names, count, previous, population, previous_population, provisional, previous_provisional, base: float
) -> Total:
    """The group row from one category's arrays, in district-name order.

    The total covers the districts with a figure (the others are named in
    ``missing``); it has a year-earlier total only when every one of them had
    a figure then too, and a rate only when every one has a population: a
    partial total is never shown as the group's. The group rate is the total
    count over the total population, not an average of the districts' rates.
    """
    has = ~np.isnan(count)
    missing = names[~has].tolist()
    missing_previous = names[has & np.isnan(previous)].tolist()
    total = int(count[has].sum()) if has.any() else None
    people = population[has]
    rate = None
    if total is not None and not np.isnan(people).any():
        rate = _number(measures.rate(total, people.sum(), base))
    previous_total = previous_rate = None
    if total is not None and not missing_previous:
        previous_total = int(previous[has].sum())
        before = previous_population[has]
        if not np.isnan(before).any():
            previous_rate = _number(measures.rate(previous_total, before.sum(), base))
    change = change_pct = None
    if previous_total is not None:
        change = int(measures.change(total, previous_total))
        change_pct = _number(measures.change_pct(total, previous_total))
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
    """One category's rows of a ComparisonTable ranked by ``rank_by`` (ROW_COLUMNS, rank order, unranked last)."""
    if rank_by not in RANK_BY_CHOICES:
        raise ValueError(f"rank_by must be one of {', '.join(RANK_BY_CHOICES)}")
    frame = category_rows.copy()
    frame["rank"] = frame[f"rank_{rank_by}"]
    frame["rank_label"] = frame[f"rank_label_{rank_by}"]
    frame["_unranked"] = frame["rank"].isna()
    frame["_order"] = frame["rank"].fillna(10**9)
    frame = frame.sort_values(["_unranked", "_order", "name"], kind="stable")
    return frame[ROW_COLUMNS].reset_index(drop=True)
