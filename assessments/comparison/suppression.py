"""Small-number disclosure control for comparison tables, pages, exports and the API (docs/methods.md §4).

Some categories (health data such as alcohol-specific hospital admissions)
forbid publishing small counts: each category's ``suppress_below`` says which
(5 hides 1 to 4; police crime has none). In public and partner views:

- a count from 1 to suppress_below − 1 shows as "<5" (primary suppression);
- further cells are suppressed ("*") until no hidden count can be worked out
  from the group total or the other rows (secondary suppression, by
  ``assessments.statistics.suppression.suppress_table``);
- everything built from a hidden count is withheld too: its rate and
  interval, the change and % change, the direction arrow, the significance
  tests and the comparison with the group;
- county positions are worked out again over the published rows only, so a
  published position cannot narrow down a hidden value.

Who gets which view of small numbers is decided in ``crimedata.roles``
(``small_number_view``): county analysts and administrators, who load and
check the data, see the true values, each marked "suppressed in public".

Everything here is pure (no database, no queries) except ``published_for``,
which caches a published comparison per data generation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from assessments.comparison.compute import RANK_DECIMALS, Comparison, records
from assessments.comparison.context import ComparisonContext
from assessments.comparison.significance import add_significance, total_significance
from assessments.statistics.ranking import competition_ranks, rank_labels
from assessments.statistics.suppression import suppress_table, suppressed_text
from assessments.wording import group_short_name
from crimedata.cache import cache_key, cached
from crimedata.numbers import is_missing
from crimedata.roles import ANALYST_VIEW, check_small_number_view, sees_true_small_numbers

# The row that holds the group total in the table handed to suppress_table().
_TOTAL = "\x00group-total"

# Row columns built from this year's count, from last year's, and from both.
FROM_COUNT = ("rate", "rate_lower", "rate_upper", "rate_ci_method", "vs_group", "vs_group_text")
FROM_PREVIOUS = ("previous_rate",)
FROM_BOTH = (
    "change", "change_pct", "direction", "change_p", "change_significant", "change_significance",
    "change_assessment",
)


@dataclass
class DisclosedComparison:
    """A comparison as it may be shown to one audience.

    rows: the input rows plus
      - count_suppressed / previous_count_suppressed: "primary", "secondary" or None;
      - suppressed_in_public: True when either count is hidden from the public;
      - count_display / previous_count_display: "<5" or "*" where the public
        view hides the count (None otherwise, and always None for analysts);
    and, for public and partner views, hidden counts set to <NA> and
    everything built from them withheld (NaN/None). rank/rank_label (and
    previous_rank/previous_rank_label) then cover the published rows only.
    total: the group total as a dict (fields of compute.Total) with the
    same *_suppressed/*_display keys and withheld values.
    """

    rows: pd.DataFrame
    total: dict
    audience: str
    suppress_below: int | None
    suppressed_cells: int = 0
    reranked: list[str] = field(default_factory=list)

    @property
    def any_suppressed(self) -> bool:
        return self.suppressed_cells > 0

    @property
    def note(self) -> str | None:
        """The footnote a page or export prints under the table, or None when nothing is hidden."""
        if not self.any_suppressed:
            return None
        small = f"1 to {self.suppress_below - 1}"
        if self.audience == ANALYST_VIEW:
            return (
                f"Counts of {small}, and others that would let a reader work them out, are hidden in public "
                f"and partner views; they are shown here marked \u201csuppressed in public\u201d."
            )
        return (
            f"Counts of {small} are shown as \u201c{suppressed_text(self.suppress_below)}\u201d. "
            "Counts shown as \u201c*\u201d are hidden so that the small numbers cannot be worked out "
            "from the total. Rates, changes and positions built from hidden counts are not shown, "
            "and positions are among the districts with published figures."
        )


def _total_dict(total: object) -> dict:
    if total is None:
        return {}
    if dataclasses.is_dataclass(total):
        return dataclasses.asdict(total)
    if isinstance(total, Mapping):
        return dict(total)
    raise TypeError("total must be a comparison Total or a mapping.")


def _float_column(rows: pd.DataFrame, name: str) -> np.ndarray:
    return rows[name].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)


def disclose_rows(
    rows: pd.DataFrame,
    total: object,
    *,
    suppress_below: int | None,
    audience: str,
    polarity: str | None = None,
    rank_by: str = "rate",
) -> DisclosedComparison:
    """Apply primary and secondary suppression to comparison rows and their group total.

    - rows: ``Comparison.rows`` (optionally with assessments.comparison.significance columns);
    - total: ``Comparison.total`` or a mapping with count and previous_count;
    - suppress_below: the category's threshold (None: nothing is suppressed);
    - audience: the view of small numbers, "public", "partner" or "analyst" (crimedata.roles);
    - polarity / rank_by: the comparison's, to work out positions again over
      the published rows (without polarity, hidden rows just lose their place).

    Returns a DisclosedComparison; the input frame is not changed.
    """
    check_small_number_view(audience)
    out = rows.copy()
    total_values = _total_dict(total)
    table = pd.DataFrame(
        {
            "count": np.append(_float_column(out, "count"), _number(total_values.get("count"))),
            "previous_count": np.append(
                _float_column(out, "previous_count"), _number(total_values.get("previous_count"))
            ),
        },
        index=[*[f"row {i}" for i in range(len(out))], _TOTAL],
    )
    result = suppress_table(table, suppress_below, total_row=_TOTAL)
    published = result.published(table)
    reasons = result.reason

    for column in ("count", "previous_count"):
        out[f"{column}_suppressed"] = pd.Series(reasons[column].iloc[:-1].tolist(), index=out.index, dtype=object)
    out["suppressed_in_public"] = out["count_suppressed"].notna() | out["previous_count_suppressed"].notna()
    for column in ("count", "previous_count"):
        total_values[f"{column}_suppressed"] = reasons.at[_TOTAL, column]

    hide = not sees_true_small_numbers(audience)
    for column in ("count", "previous_count"):
        shown = published[column].iloc[:-1].tolist()
        mask = result.mask[column].iloc[:-1].to_numpy()
        out[f"{column}_display"] = pd.Series(
            [text if hidden and hide else None for text, hidden in zip(shown, mask)], index=out.index, dtype=object
        )
        total_hidden = bool(result.mask.at[_TOTAL, column])
        total_values[f"{column}_display"] = published.at[_TOTAL, column] if total_hidden and hide else None

    reranked: list[str] = []
    if hide:
        count_hidden = out["count_suppressed"].notna().to_numpy()
        previous_hidden = out["previous_count_suppressed"].notna().to_numpy()
        _withhold(out, "count", count_hidden, FROM_COUNT)
        _withhold(out, "previous_count", previous_hidden, FROM_PREVIOUS)
        _withhold(out, None, count_hidden | previous_hidden, FROM_BOTH)
        reranked = _rerank(out, count_hidden, previous_hidden, polarity, rank_by)
        if "rank" in reranked and "name" in out.columns:
            # Keep the comparison's order: by position, unplaced rows last.
            out = (
                out.assign(_unranked=out["rank"].isna(), _order=out["rank"].fillna(10**9))
                .sort_values(["_unranked", "_order", "name"], kind="stable")
                .drop(columns=["_unranked", "_order"])
                .reset_index(drop=True)
            )
        _withhold_total(total_values)

    return DisclosedComparison(
        rows=out,
        total=total_values,
        audience=audience,
        suppress_below=suppress_below,
        suppressed_cells=int(result.mask.to_numpy().sum()),
        reranked=reranked,
    )


def _number(value: object) -> float:
    return np.nan if is_missing(value) else float(value)


def _withhold(out: pd.DataFrame, count_column: str | None, hidden: np.ndarray, derived: tuple[str, ...]) -> None:
    if not hidden.any():
        return
    hidden_index = out.index[hidden]
    if count_column is not None:
        out[count_column] = out[count_column].astype("Int64")
        out.loc[hidden_index, count_column] = pd.NA
    for column in derived:
        if column not in out.columns:
            continue
        if pd.api.types.is_numeric_dtype(out[column]) and out[column].dtype != object:
            if pd.api.types.is_integer_dtype(out[column]):
                out[column] = out[column].astype("Int64")
                out.loc[hidden_index, column] = pd.NA
            else:
                out.loc[hidden_index, column] = np.nan
        else:
            out[column] = out[column].astype(object)
            out.loc[hidden_index, column] = None


def _rerank(
    out: pd.DataFrame, count_hidden: np.ndarray, previous_hidden: np.ndarray, polarity: str | None, rank_by: str
) -> list[str]:
    """Positions over the published rows only, so a place cannot bound a hidden value."""
    changed = []
    ranked_on = {"rank": (rank_by, count_hidden | (previous_hidden if rank_by == "change_pct" else False)),
                 "previous_rank": ("previous_rate", previous_hidden)}
    for rank_column, (value_column, hidden) in ranked_on.items():
        if rank_column not in out.columns or not np.any(hidden):
            continue
        label_column = f"{rank_column}_label"
        if polarity is None or value_column not in out.columns:
            ranks = [None if h else r for r, h in zip(out[rank_column].tolist(), hidden)]
            out[rank_column] = pd.array([None if is_missing(r) else r for r in ranks], dtype="Int64")
            if label_column in out.columns:
                out[label_column] = pd.Series(
                    [None if h else label for label, h in zip(out[label_column].tolist(), hidden)],
                    index=out.index, dtype=object,
                )
        else:
            values = [None if h or is_missing(v) else float(v) for v, h in zip(out[value_column].tolist(), hidden)]
            ranks = competition_ranks(values, polarity=polarity, decimals=RANK_DECIMALS.get(value_column, 1))
            out[rank_column] = pd.array(ranks, dtype="Int64")
            if label_column in out.columns:
                out[label_column] = pd.Series(rank_labels(ranks), index=out.index, dtype=object)
        changed.append(rank_column)
    return changed


def _withhold_total(total: dict) -> None:
    count_hidden = total.get("count_suppressed") is not None
    previous_hidden = total.get("previous_count_suppressed") is not None
    if count_hidden:
        total["count"] = None
        total["rate"] = None
    if previous_hidden:
        total["previous_count"] = None
        total["previous_rate"] = None
    if count_hidden or previous_hidden:
        total["change"] = None
        total["change_pct"] = None


def disclose_comparison(comparison: Comparison, audience: str, *, rows: pd.DataFrame | None = None
                        ) -> DisclosedComparison:
    """disclose_rows() for a ``Comparison``.

    Uses the comparison's category (its suppress_below and polarity) and
    rank_by. Pass ``rows`` to disclose an enriched copy of comparison.rows
    (for example with assessments.comparison.significance.add_significance columns).
    """
    return disclose_rows(
        comparison.rows if rows is None else rows,
        comparison.total,
        suppress_below=comparison.category.suppress_below,
        audience=audience,
        polarity=comparison.category.polarity,
        rank_by=comparison.rank_by,
    )



# --- A comparison with its statistics, as one audience may see it -----------------------------------


# Keys the group row gains from assessments.comparison.significance.total_significance().
TOTAL_SIGNIFICANCE_KEYS = (
    "rate_lower", "rate_upper", "rate_ci_method", "change_p", "change_significance", "change_assessment",
)


@dataclass
class PublishedComparison:
    """A Comparison with its intervals, significance and small-number suppression applied for one audience.

    rows: the comparison's rows with the assessments.comparison.significance columns and
    the DisclosedComparison columns (count_display, suppressed_in_public, ...),
    in rank order (positions among the published rows); records: the same as
    dicts. total: the group row (compute.Total's fields) with its own
    interval and change test (TOTAL_SIGNIFICANCE_KEYS) and the disclosure keys.
    """

    comparison: Comparison
    rows: pd.DataFrame
    records: list[dict]
    total: dict
    disclosure: DisclosedComparison
    confidence: float

    @property
    def audience(self) -> str:
        return self.disclosure.audience

    @property
    def note(self) -> str | None:
        return self.disclosure.note

    @property
    def ranked(self) -> int:
        """How many districts have a published position (the "of 12")."""
        return sum(1 for r in self.records if r.get("rank") is not None)

    def row(self, district_code: str) -> dict | None:
        return next((r for r in self.records if r.get("district") == district_code), None)


def publish_comparison(
    comparison: Comparison, audience: str, *, confidence: float = 0.95, group_area: str | None = None
) -> PublishedComparison:
    """Intervals, the comparison with the group, change tests and suppression for one Comparison (pure).

    The statistics come first, from the true counts (assessments.comparison.significance),
    and suppression then withholds everything built from a hidden count. When
    the group total itself is hidden, the group rate is withheld and so is
    every district's comparison with it: "similar to Kent" would say the
    hidden rate lies inside the district's interval.
    """
    category = comparison.category
    area = group_area or group_short_name(comparison.group.name)
    rows = add_significance(
        comparison.rows, comparison.total, polarity=category.polarity, base=comparison.base,
        confidence=confidence, group_area=area,
    )
    disclosed = disclose_comparison(comparison, audience, rows=rows)
    out = disclosed.rows
    total = dict(disclosed.total)
    hide = not sees_true_small_numbers(audience)
    count_hidden = hide and total.get("count_suppressed") is not None
    previous_hidden = hide and total.get("previous_count_suppressed") is not None
    for key in TOTAL_SIGNIFICANCE_KEYS:
        total[key] = None
    if count_hidden:
        out = out.copy()
        out["group_rate"] = np.nan
        for column in ("vs_group", "vs_group_text"):
            out[column] = pd.Series([None] * len(out), index=out.index, dtype=object)
    elif total.get("count") is not None:
        covered = comparison.rows[comparison.rows["count"].notna()]
        before = covered["previous_population"]
        previous_population = float(before.sum()) if len(before) and before.notna().all() else None
        result = total_significance(
            comparison.total, polarity=category.polarity, base=comparison.base,
            previous_population=previous_population, confidence=confidence,
        )
        total.update(rate_lower=result.rate_lower, rate_upper=result.rate_upper, rate_ci_method=result.rate_ci_method)
        if not previous_hidden and total.get("previous_count") is not None:
            total.update(
                change_p=None if result.change is None else result.change.p_exact,
                change_significance=result.change_significance,
                change_assessment=result.change_assessment,
            )
    return PublishedComparison(
        comparison=comparison, rows=out, records=records(out), total=total, disclosure=disclosed,
        confidence=confidence,
    )


def disclose_trend(
    districts: pd.DataFrame,
    district: str,
    *,
    suppress_below: int | None,
    audience: str,
) -> dict[int, dict]:
    """Suppression for one district's rolling trend (assessments.comparison.trend.Trend), window by window.

    Each window is suppressed exactly as the comparison of that window is
    (the same counts, the same group total, so the same cells), so the trend
    gives away nothing the comparison page hides. Returns {end: {count_display,
    count_suppressed, group_count_display}} for the windows where something is
    hidden (empty when the category has no threshold); for analysts the
    displays are None and count_suppressed says what the public does not see.
    """
    check_small_number_view(audience)
    if suppress_below is None or districts.empty:
        return {}
    hide = not sees_true_small_numbers(audience)
    out: dict[int, dict] = {}
    for end, part in districts.groupby("end", sort=True):
        codes = part["district"].tolist()
        if district not in codes:
            continue
        counts = _float_column(part, "count")
        # The comparison page's group total for the window: the districts with figures (compute.Total).
        total = np.nansum(counts) if (~np.isnan(counts)).any() else np.nan
        table = pd.DataFrame({"count": np.append(counts, total)}, index=[*codes, _TOTAL])
        result = suppress_table(table, suppress_below, total_row=_TOTAL)
        if not result.mask.to_numpy().any():
            continue
        published = result.published(table)
        reason = result.reason.at[district, "count"]
        total_hidden = bool(result.mask.at[_TOTAL, "count"])
        out[int(end)] = {
            "count_suppressed": reason,
            "count_display": published.at[district, "count"] if reason is not None and hide else None,
            "group_count_display": published.at[_TOTAL, "count"] if total_hidden and hide else None,
        }
    return out


def published_for(ctx: ComparisonContext, category_slug: str, audience: str, *, rank_by: str = "rate",
                  base: int | None = None, confidence: float = 0.95) -> PublishedComparison:
    """publish_comparison() of one category of a comparison context, cached like the comparison itself: the
    statistics are pure but not free (an exact binomial test per district)."""
    key = cache_key(
        "published:v2", ctx.generation, ctx.include_provisional, f"{ctx.window.start}.{ctx.window.end}",
        ctx.group.slug, category_slug, rank_by, base, audience, confidence,
    )
    return cached(key, lambda: publish_comparison(
        ctx.compare(category_slug, rank_by=rank_by, base=base), audience, confidence=confidence,
        group_area=group_short_name(ctx.group.name),
    ))


# What a district's row of a ComparisonTable takes from its category's published comparison.
PUBLISHED_KEYS = (
    "count", "previous_count", "change", "change_pct", "direction", "rate", "previous_rate", "count_display",
    "previous_count_display", "count_suppressed", "previous_count_suppressed", "suppressed_in_public",
    "change_significance", "change_assessment", "change_p", "previous_rank", "previous_rank_label",
)


def published_row(row: dict, published: PublishedComparison | None, district: str) -> dict:
    """One district's row of a ComparisonTable (as a dict) with its figures as the category's published
    comparison shows them to this reader: hidden counts and everything built from them withheld, the change
    test, and the position by rate among the published rows (``rank_rate``/``rank_label_rate``).

    Pages that show many categories (the profile, the overview, the district summary API) use this, so a
    figure is hidden the same way there as on its category's comparison page.
    """
    mine = published.row(district) if published is not None else None
    if mine is None:
        return row
    out = {**row, **{key: mine.get(key) for key in PUBLISHED_KEYS}}
    out["rank_rate"], out["rank_label_rate"] = mine.get("rank"), mine.get("rank_label")
    return out
