"""Significance for a comparison table: rate intervals, the group comparison and this year's change.

Pure functions over the rows of ``assessments.comparison.compute.Comparison`` (no
database, no queries), so a comparison page gains its statistics for free:

- the rate's confidence interval: Byar's method for counts of 10 or more and
  the exact Poisson interval below 10 (docs/methods.md §2.1), at 95% or 99.8%;
- the district against the group rate, the Fingertips way (docs/methods.md §2.4):
  the group rate inside the district's interval is "similar", otherwise
  "better"/"worse" by the category's polarity, or "higher"/"lower" for
  categories with no judgement (domestic abuse: a rise may be more reporting);
- this year's change: the exact conditional (binomial) test for two Poisson
  counts, adjusted for the change in population (docs/methods.md §3).

The two questions use different methods on purpose; see
``assessments.statistics.significance``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from assessments.statistics.intervals import BYARS, EXACT, EXACT_BELOW, rate_ci, rate_ci_arrays
from assessments.statistics.ranking import check_polarity
from assessments.statistics.significance import (
    BETTER,
    HIGHER,
    LOWER,
    SIMILAR,
    WORSE,
    ChangeSignificance,
    change_significance,
    compare_with_benchmark,
)
from crimedata.numbers import is_missing
from crimedata.reference import HIGHER_IS_BETTER, NO_JUDGEMENT

__all__ = [
    "CONFIDENCE_LEVELS",
    "SIGNIFICANCE_COLUMNS",
    "SIGNIFICANT_FALL",
    "SIGNIFICANT_RISE",
    "NO_SIGNIFICANT_CHANGE",
    "TotalSignificance",
    "add_significance",
    "change_assessment",
    "change_word",
    "check_confidence",
    "row_change_significance",
    "total_significance",
    "vs_group_text",
]

# The two levels Fingertips publishes; 95% is the default everywhere.
CONFIDENCE_LEVELS = {0.95: "95%", 0.998: "99.8%"}

SIGNIFICANT_RISE = "significant rise"
SIGNIFICANT_FALL = "significant fall"
NO_SIGNIFICANT_CHANGE = "no significant change"

# Columns add_significance() adds, in order.
SIGNIFICANCE_COLUMNS = [
    "rate_lower",
    "rate_upper",
    "rate_ci_method",
    "group_rate",
    "vs_group",
    "vs_group_text",
    "change_p",
    "change_significant",
    "change_significance",
    "change_assessment",
]


def check_confidence(confidence: float) -> float:
    """Return the confidence level, or raise ValueError unless it is 0.95 or 0.998."""
    if confidence not in CONFIDENCE_LEVELS:
        raise ValueError(f"Confidence must be 0.95 or 0.998, not {confidence!r}.")
    return confidence


def change_word(result: ChangeSignificance | None, confidence: float = 0.95) -> str | None:
    """"significant rise" / "significant fall" / "no significant change", or None when untested.

    Significance is the exact test's p below 1 − confidence: p < 0.05 at 95%,
    p < 0.002 at 99.8%.
    """
    if result is None:
        return None
    if result.p_exact < 1 - check_confidence(confidence):
        return SIGNIFICANT_RISE if result.current > _expected(result) else SIGNIFICANT_FALL
    return NO_SIGNIFICANT_CHANGE


def _expected(result: ChangeSignificance) -> float:
    # Under "no change in the rate", current is expected to be its population's share of both years.
    return (result.current + result.previous) * result.expected_share


def change_assessment(word: str | None, polarity: str) -> str | None:
    """A significant change judged by polarity: "better"/"worse", or "higher"/"lower" for no judgement.

    "similar" when the change is not significant; None when untested.
    """
    check_polarity(polarity)
    if word is None:
        return None
    if word == NO_SIGNIFICANT_CHANGE:
        return SIMILAR
    rise = word == SIGNIFICANT_RISE
    if polarity == NO_JUDGEMENT:
        return HIGHER if rise else LOWER
    good = rise if polarity == HIGHER_IS_BETTER else not rise
    return BETTER if good else WORSE


def vs_group_text(word: str | None, group_area: str = "Kent") -> str | None:
    """The group comparison as a table cell: "Significantly better than Kent", "Similar to Kent"."""
    if word is None:
        return None
    if word == SIMILAR:
        return f"Similar to {group_area}"
    return f"Significantly {word} than {group_area}"


def row_change_significance(row: Mapping, confidence: float = 0.95) -> ChangeSignificance | None:
    """The exact change test for one Comparison row, using both years' populations.

    Returns None when either count is missing (nothing to test). When a
    population is missing the test treats the population as unchanged.
    """
    return change_significance(
        _number(row.get("count")),
        _number(row.get("previous_count")),
        _number(row.get("population")),
        _number(row.get("previous_population")),
        confidence=confidence,
    )


def _number(value: object) -> float | None:
    return None if is_missing(value) else float(value)


def _group_rate(total: object) -> float | None:
    if total is None or isinstance(total, (int, float)):
        return None if total is None or is_missing(total) else float(total)
    rate = total.get("rate") if isinstance(total, Mapping) else getattr(total, "rate", None)
    return _number(rate)


def add_significance(
    rows: pd.DataFrame,
    total: object,
    *,
    polarity: str,
    base: float = 1000,
    confidence: float = 0.95,
    group_area: str = "Kent",
) -> pd.DataFrame:
    """The comparison rows with SIGNIFICANCE_COLUMNS added (a copy; the input is unchanged).

    - rows: ``Comparison.rows`` (count, previous_count, rate, population,
      previous_population are used).
    - total: ``Comparison.total`` (its ``rate`` is the group rate), a mapping
      with "rate", or the group rate as a number.
    - polarity: the category's ("lower", "higher" or "none"); base: its rate base.
    - confidence: 0.95 (default) or 0.998, for the interval, the group
      comparison and the change test alike.

    Added columns: rate_lower/rate_upper (NaN where the rate is missing),
    rate_ci_method ("Byars", "Exact" or None), group_rate, vs_group
    ("better"/"similar"/"worse", or "higher"/"similar"/"lower" for no
    judgement; None when unknown), vs_group_text, change_p (exact two-sided
    p, NaN when untested), change_significant (True/False/None),
    change_significance ("significant rise"/"significant fall"/"no
    significant change"/None) and change_assessment (the change judged by
    polarity, as vs_group).
    """
    check_polarity(polarity)
    check_confidence(confidence)
    out = rows.copy()
    counts = out["count"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    populations = out["population"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    rate, lower, upper = rate_ci_arrays(counts, populations, base=base, confidence=confidence)
    known = ~np.isnan(rate)
    out["rate_lower"] = lower
    out["rate_upper"] = upper
    out["rate_ci_method"] = pd.Series(
        np.where(known, np.where(counts < EXACT_BELOW, EXACT, BYARS), None), index=out.index, dtype=object
    )
    group_rate = _group_rate(total)
    out["group_rate"] = np.nan if group_rate is None else group_rate
    vs_group = [
        compare_with_benchmark(r, lo, up, group_rate, polarity) if ok else None
        for r, lo, up, ok in zip(rate, lower, upper, known)
    ]
    out["vs_group"] = pd.Series(vs_group, index=out.index, dtype=object)
    out["vs_group_text"] = pd.Series([vs_group_text(w, group_area) for w in vs_group], index=out.index, dtype=object)

    columns = [
        out[name].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
        for name in ("count", "previous_count", "population", "previous_population")
    ]
    tests = [
        change_significance(*(None if np.isnan(v) else float(v) for v in values), confidence=confidence)
        for values in zip(*columns)
    ]
    words = [change_word(t, confidence) for t in tests]
    out["change_p"] = [np.nan if t is None else t.p_exact for t in tests]
    out["change_significant"] = pd.Series(
        [None if w is None else w != NO_SIGNIFICANT_CHANGE for w in words], index=out.index, dtype=object
    )
    out["change_significance"] = pd.Series(words, index=out.index, dtype=object)
    out["change_assessment"] = pd.Series(
        [change_assessment(w, polarity) for w in words], index=out.index, dtype=object
    )
    return out


@dataclass(frozen=True)
class TotalSignificance:
    """The group's own figures: its rate interval and whether its change is significant."""

    rate: float | None
    rate_lower: float | None
    rate_upper: float | None
    rate_ci_method: str | None
    change: ChangeSignificance | None
    change_significance: str | None
    change_assessment: str | None


def total_significance(
    total: object, *, polarity: str, base: float = 1000, previous_population: float | None = None,
    confidence: float = 0.95,
) -> TotalSignificance:
    """Interval and change test for the group row (``Comparison.total`` or a mapping like it).

    The group's previous population is not on ``Total``; pass it to adjust the
    change test for population growth (otherwise the population is treated as
    unchanged).
    """
    check_polarity(polarity)
    check_confidence(confidence)

    def get(name: str) -> float | None:
        value = total.get(name) if isinstance(total, Mapping) else getattr(total, name, None)
        return _number(value)

    interval = rate_ci(get("count"), get("population"), base=base, confidence=confidence)
    # A missing population on either side makes change_significance treat it as unchanged.
    test = change_significance(
        get("count"), get("previous_count"), get("population"), _number(previous_population), confidence=confidence
    )
    word = change_word(test, confidence)
    return TotalSignificance(
        rate=None if interval is None else interval.value,
        rate_lower=None if interval is None else interval.lower,
        rate_upper=None if interval is None else interval.upper,
        rate_ci_method=None if interval is None else interval.method,
        change=test,
        change_significance=word,
        change_assessment=change_assessment(word, polarity),
    )
