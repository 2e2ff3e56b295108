"""Aggregation: the value of (district, category, window of whole months).

Pure functions over pandas DataFrames; no database access. The rules, in order
(docs/methods.md §9):

1. Direct figures. If the stored figures for the category tile the window
   exactly (12 months, 4 quarters, one 12-month figure, or any mix), the value
   is their sum.
2. Children. Otherwise, if every additive child category has a value for the
   window (recursively), the value is the children's sum. When both a direct
   value and a complete set of children exist, the direct value is used and a
   mismatch is reported as a data-quality warning.
3. Missing. Otherwise the value is missing. Never a partial sum.

A derived value is provisional if any input to it is provisional.

Because stored periods for one district and category never overlap unless
identical (crimedata.services enforces it), the figures lying wholly inside a
window are disjoint, so they tile it exactly when their months add up to the
window's length.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from crimedata.periods import Window

# Columns of the figures frame every function here takes.
FIGURE_COLUMNS = ["district", "category", "start", "end", "value", "provisional"]


@dataclass(frozen=True)
class CategoryTree:
    """Parent links and additivity for every category slug."""

    parent: dict[str, str | None]
    adds_to_parent: dict[str, bool]
    _children: dict[str, list[str]] = field(init=False, repr=False, compare=False)
    _order: list[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        children: dict[str, list[str]] = {slug: [] for slug in self.parent}
        for slug, parent in self.parent.items():
            if parent is not None and self.adds_to_parent.get(slug, True):
                children.setdefault(parent, []).append(slug)
        object.__setattr__(self, "_children", children)
        object.__setattr__(self, "_order", self._deepest_first())

    @classmethod
    def from_records(cls, records: Iterable[tuple[str, str | None, bool]]) -> "CategoryTree":
        """Build from (slug, parent slug or None, adds_to_parent) tuples."""
        parent, adds = {}, {}
        for slug, parent_slug, additive in records:
            parent[slug] = parent_slug
            adds[slug] = additive
        return cls(parent=parent, adds_to_parent=adds)

    def additive_children(self, slug: str) -> list[str]:
        return self._children.get(slug, [])

    def depth(self, slug: str) -> int:
        depth, node = 0, self.parent.get(slug)
        while node is not None:
            depth, node = depth + 1, self.parent.get(node)
        return depth

    def _deepest_first(self) -> list[str]:
        return sorted(self.parent, key=lambda s: (-self.depth(s), s))

    @property
    def deepest_first(self) -> list[str]:
        """Every slug, children before parents, so roll-ups resolve bottom-up."""
        return self._order

    def descendants(self, slug: str) -> list[str]:
        out = []
        for child in self.additive_children(slug):
            out.append(child)
            out.extend(self.descendants(child))
        return out


@dataclass
class Aggregation:
    """The result of ``aggregate``.

    ``values``: one row per (window, district, category) that the caller asked
    about, with columns ``window`` (position in the windows list), ``district``,
    ``category``, ``value`` (pandas nullable Int64; <NA> when missing),
    ``provisional`` (bool) and ``method`` ("direct", "children" or <NA>).

    ``warnings``: one row per data-quality mismatch, with columns ``window``,
    ``district``, ``category``, ``direct_value`` and ``children_value``.
    """

    values: pd.DataFrame
    warnings: pd.DataFrame
    windows: list[Window]


def empty_figures() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "district": pd.Series(dtype="object"),
            "category": pd.Series(dtype="object"),
            "start": pd.Series(dtype="int64"),
            "end": pd.Series(dtype="int64"),
            "value": pd.Series(dtype="int64"),
            "provisional": pd.Series(dtype="bool"),
        }
    )


def _direct_sums(figures: pd.DataFrame, windows: Sequence[Window]) -> pd.DataFrame:
    """Sum figures lying wholly inside each window.

    Returns columns window, district, category, value, months, provisional.
    Windows of the same length are handled together: a figure [s, e] of m months
    lies inside the window ending at w (length L) exactly when e <= w <= s + L - 1,
    so each figure is repeated once per window it belongs to and a single groupby
    does the rest. That keeps long runs of rolling windows (trends, SPC) fast.
    """
    if figures.empty or not windows:
        return pd.DataFrame(columns=["window", "district", "category", "value", "months", "provisional"])
    starts = figures["start"].to_numpy(dtype=np.int64)
    ends = figures["end"].to_numpy(dtype=np.int64)
    months = ends - starts + 1
    pieces = []
    request = pd.DataFrame(
        {"window": range(len(windows)), "length": [w.months for w in windows], "window_end": [w.end for w in windows]}
    )
    for length, wanted in request.groupby("length"):
        window_ends = np.unique(wanted["window_end"].to_numpy(dtype=np.int64))
        eligible = np.flatnonzero(
            (months <= length) & (ends <= window_ends[-1]) & (starts + length - 1 >= window_ends[0])
        )
        if eligible.size == 0:
            continue
        first = ends[eligible]
        count = starts[eligible] + length - first  # how many windows each figure can sit in
        rows = np.repeat(eligible, count)
        offsets = np.arange(rows.size) - np.repeat(np.cumsum(count) - count, count)
        window_end = np.repeat(first, count) + offsets
        keep = np.isin(window_end, window_ends)
        rows, window_end = rows[keep], window_end[keep]
        if rows.size == 0:
            continue
        part = figures.iloc[rows][["district", "category", "value", "provisional"]].copy()
        part["months"] = months[rows]
        part["window_end"] = window_end
        grouped = part.groupby(["window_end", "district", "category"], sort=False).agg(
            value=("value", "sum"), months=("months", "sum"), provisional=("provisional", "any")
        )
        # A window end may be asked for more than once; the merge gives each its own rows.
        pieces.append(grouped.reset_index().merge(wanted[["window", "window_end"]], on="window_end"))
    if not pieces:
        return pd.DataFrame(columns=["window", "district", "category", "value", "months", "provisional"])
    direct = pd.concat(pieces, ignore_index=True).drop(columns="window_end")
    lengths = np.array([w.months for w in windows])
    direct = direct[direct["months"].to_numpy() == lengths[direct["window"].to_numpy()]]
    return direct


def aggregate(
    figures: pd.DataFrame,
    tree: CategoryTree,
    windows: Sequence[Window],
    *,
    districts: Sequence[str] | None = None,
    categories: Sequence[str] | None = None,
) -> Aggregation:
    """Apply the three aggregation rules for every window, district and category.

    ``figures`` has the columns in FIGURE_COLUMNS (start/end are month indexes).
    ``districts`` and ``categories`` say which rows the caller wants back
    (default: every district in ``figures`` and every category in ``tree``).
    Roll-ups always consider every descendant, whatever is asked for.
    """
    windows = list(windows)
    if districts is None:
        districts = sorted(figures["district"].unique()) if not figures.empty else []
    wanted = list(categories) if categories is not None else list(tree.parent)
    needed = set(wanted)
    for slug in wanted:
        needed.update(tree.descendants(slug))
    order = [slug for slug in tree.deepest_first if slug in needed]

    relevant = figures[figures["category"].isin(needed) & figures["district"].isin(districts)]
    direct = _direct_sums(relevant, windows)

    index = pd.MultiIndex.from_product([range(len(windows)), list(districts)], names=["window", "district"])
    value = pd.DataFrame(np.nan, index=index, columns=order)
    provisional = pd.DataFrame(False, index=index, columns=order)
    if not direct.empty:
        keyed = direct.set_index(["window", "district", "category"])
        direct_value = keyed["value"].astype("float64").unstack("category").reindex(index=index, columns=order)
        direct_prov = keyed["provisional"].astype("float64").unstack("category").reindex(index=index, columns=order)
        value = direct_value
        provisional = direct_prov.fillna(0.0).astype(bool)
    method = pd.DataFrame(np.where(value.notna(), "direct", None), index=index, columns=order)

    warning_frames = []
    for slug in order:
        children = tree.additive_children(slug)
        if not children:
            continue
        child_values = value[children]
        complete = child_values.notna().all(axis=1)
        children_sum = child_values.sum(axis=1, min_count=1).where(complete)
        children_prov = provisional[children].any(axis=1)
        has_direct = value[slug].notna()
        mismatch = has_direct & complete & (value[slug] != children_sum)
        if mismatch.any():
            warning_frames.append(
                pd.DataFrame(
                    {
                        "category": slug,
                        "direct_value": value.loc[mismatch, slug].astype("int64"),
                        "children_value": children_sum[mismatch].astype("int64"),
                    }
                )
            )
        use_children = ~has_direct & complete
        value.loc[use_children, slug] = children_sum[use_children]
        provisional.loc[use_children, slug] = children_prov[use_children]
        method.loc[use_children, slug] = "children"

    long = value.stack(future_stack=True).rename("value").to_frame()
    long["provisional"] = provisional.stack(future_stack=True)
    long["method"] = method.stack(future_stack=True)
    long = long.reset_index().rename(columns={"level_2": "category"})
    long = long[long["category"].isin(wanted)]
    long["value"] = long["value"].round().astype("Int64")
    long.loc[long["value"].isna(), "provisional"] = False
    long["provisional"] = long["provisional"].astype(bool)
    long = long.reset_index(drop=True)

    if warning_frames:
        warnings = pd.concat(warning_frames).reset_index()
        warnings = warnings[["window", "district", "category", "direct_value", "children_value"]]
    else:
        warnings = pd.DataFrame(columns=["window", "district", "category", "direct_value", "children_value"])
    return Aggregation(values=long, warnings=warnings, windows=windows)


def population_for(populations: pd.DataFrame, window: Window, districts: Sequence[str]) -> pd.DataFrame:
    """The denominator for each district for a window (docs/methods.md §7).

    ``populations`` has columns district, year, population. Uses the estimate
    for ``window.population_year()``; if that year has none, the latest earlier
    year, and says which year it used. Returns a frame indexed by district with
    columns population (float, NaN when none) and population_year (Int64).
    """
    wanted = window.population_year()
    out = pd.DataFrame(index=pd.Index(list(districts), name="district"))
    usable = populations[populations["year"] <= wanted]
    if usable.empty:
        out["population"] = np.nan
        out["population_year"] = pd.array([pd.NA] * len(out), dtype="Int64")
        return out
    latest = usable.sort_values("year").groupby("district").tail(1).set_index("district")
    out["population"] = latest["population"].reindex(out.index).astype("float64")
    out["population_year"] = latest["year"].reindex(out.index).astype("Int64")
    return out
