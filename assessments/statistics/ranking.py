"""County position: standard competition ranking with shared places ("5=") (docs/methods.md §5).

rank(v) = 1 + the number of areas strictly better than v, so tied areas share
the best place and the places after them are skipped: 1, 2=, 2=, 2=, 5, 6.
Ranking is done on the figure as displayed (rounded half-up, 1 d.p. by default)
so that two districts printed as 58.0 and 58.0 are never placed 5th and 6th.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from crimedata.numbers import is_missing, round_half_up
from crimedata.reference import HIGHER_IS_BETTER, LOWER_IS_BETTER, NO_JUDGEMENT

__all__ = [
    "POLARITIES",
    "check_polarity",
    "competition_ranks",
    "competition_ranks_array",
    "rank_labels",
]

POLARITIES = (LOWER_IS_BETTER, HIGHER_IS_BETTER, NO_JUDGEMENT)


def check_polarity(polarity: str) -> str:
    """Return polarity unchanged, or raise ValueError naming the allowed values."""
    if polarity not in POLARITIES:
        raise ValueError(f"Unknown polarity {polarity!r}; expected one of {', '.join(POLARITIES)}.")
    return polarity


def competition_ranks(
    values: Iterable[float | None], *, polarity: str, decimals: int | None = 1
) -> list[int | None]:
    """County positions for `values`, in the same order (docs/methods.md §5).

    - polarity "lower": the lowest value is 1st; "higher": the highest is 1st;
      "none": ranked lowest first, which is an ordering, not a judgement.
    - Values are rounded half-up to `decimals` first (None = rank the exact values).
    - Missing values (None, NaN, pandas NA) get None and do not take a place,
      so "of 12" becomes "of 11" when one district has no figure.

    Returns a list of int | None, one per input value.
    """
    check_polarity(polarity)
    raw = list(values)
    shown = [None if is_missing(v) else (round_half_up(v, decimals) if decimals is not None else float(v)) for v in raw]
    present = np.array([v for v in shown if v is not None], dtype=float)
    ordered = np.sort(present)
    ranks: list[int | None] = []
    for v in shown:
        if v is None:
            ranks.append(None)
        elif polarity == HIGHER_IS_BETTER:
            # places taken by areas with a strictly higher value
            ranks.append(int(len(ordered) - np.searchsorted(ordered, v, side="right")) + 1)
        else:
            ranks.append(int(np.searchsorted(ordered, v, side="left")) + 1)
    return ranks


def rank_labels(ranks: Sequence[int | None]) -> list[str | None]:
    """Display labels for county positions: a shared place gets "=" ("2=").

    Returns a list of str | None (None for an unranked area), in input order.
    """
    counts = Counter(r for r in ranks if r is not None)
    return [None if r is None else f"{r}=" if counts[r] > 1 else str(r) for r in ranks]


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


def competition_ranks_array(values: np.ndarray, *, polarity: str, decimals: int) -> list[int | None]:
    """competition_ranks() for a float array (NaN = unranked), vectorised: the same places, for tables of
    every category and district at once."""
    present = ~np.isnan(values)
    if not present.any():
        return [None] * len(values)
    shown = _shown(values, decimals)
    ordered = np.sort(shown[present])
    if polarity == HIGHER_IS_BETTER:
        places = len(ordered) - np.searchsorted(ordered, shown, side="right") + 1
    else:
        places = np.searchsorted(ordered, shown, side="left") + 1
    return [int(r) if ok else None for r, ok in zip(places, present)]
