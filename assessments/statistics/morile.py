"""MoRiLE theme scoring: Overall = Risk x a multiplier set by the CSP score (docs/methods.md §6).

The multiplier table has not been published. The seed values below are the
ones every row of the Tunbridge Wells 2017 table reproduces exactly; scores 3 to
6 cannot be inferred from it, so they are refused until the Kent Community
Safety Team adds them. The table is passed in by the caller (it is edited by
administrators), so nothing here is fixed except the seed.

Arithmetic is decimal: 224 x 0.6 is exactly 134.4, not 134.39999999999998,
so scores print as they do in the published tables and equal scores tie.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from crimedata.numbers import is_missing
from crimedata.reference import HIGHER_IS_BETTER

from .ranking import competition_ranks, rank_labels

__all__ = [
    "DEFAULT_MULTIPLIERS",
    "ThemeScore",
    "UnknownCspScore",
    "multiplier_for",
    "overall_score",
    "rank_themes",
]

# Inferred from the Tunbridge Wells 2017 strategic assessment (docs/methods.md §14).
DEFAULT_MULTIPLIERS: dict[int, float] = {0: 0.6, 1: 0.6, 2: 0.75, 7: 4, 8: 8}


class UnknownCspScore(ValueError):
    """A CSP score with no multiplier in the MoRiLE multiplier table."""

    def __init__(self, csp_score: object) -> None:
        self.csp_score = csp_score
        super().__init__(
            f"No multiplier is set for a CSP score of {csp_score}. Ask the Kent Community Safety Team "
            "to add it to the MoRiLE multiplier table."
        )


def _decimal(x: float | int | Decimal) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(repr(float(x))) if isinstance(x, float) else Decimal(int(x))


def multiplier_for(csp_score: int, multipliers: Mapping[int, float] = DEFAULT_MULTIPLIERS) -> float:
    """The multiplier for a CSP score; raises UnknownCspScore if the table has none."""
    try:
        key = int(csp_score)
    except (TypeError, ValueError) as error:
        raise UnknownCspScore(csp_score) from error
    if key != csp_score or key not in multipliers:
        raise UnknownCspScore(csp_score)
    return multipliers[key]


def overall_score(
    risk: float | None, csp_score: int | None, multipliers: Mapping[int, float] = DEFAULT_MULTIPLIERS
) -> float | None:
    """Overall score = risk x multiplier[csp_score], computed in decimal (224, 0 -> 134.4).

    Returns a float, or None when the risk or CSP score has not been entered.
    Raises UnknownCspScore for a score missing from the table and ValueError for
    a negative risk.
    """
    if is_missing(risk) or is_missing(csp_score):
        return None
    if risk < 0:
        raise ValueError(f"A MoRiLE risk score cannot be negative ({risk}).")
    multiplier = multiplier_for(csp_score, multipliers)
    return float(_decimal(risk) * _decimal(multiplier))


@dataclass(frozen=True)
class ThemeScore:
    """One theme's MoRiLE row: inputs, overall score and its rank (1 = highest overall)."""

    theme: str
    risk: float | None
    csp_score: int | None
    overall: float | None
    rank: int | None
    rank_label: str | None


def rank_themes(
    themes: Iterable[tuple[str, float | None, int | None]],
    multipliers: Mapping[int, float] = DEFAULT_MULTIPLIERS,
) -> list[ThemeScore]:
    """Score and rank themes by overall score, highest first, ties sharing a place ("15=").

    themes: (theme, risk, csp_score) triples. Themes without a score are listed
    last, unranked. Raises UnknownCspScore for the first score not in the table.
    Returns ThemeScore rows sorted by rank (ties keep their input order).
    """
    rows = [(str(theme), risk, csp, overall_score(risk, csp, multipliers)) for theme, risk, csp in themes]
    # Scores are exact decimals already, so they are ranked as they are.
    ranks = competition_ranks([row[3] for row in rows], polarity=HIGHER_IS_BETTER, decimals=None)
    labels = rank_labels(ranks)
    scored = [
        ThemeScore(theme, risk, csp, overall, rank, label)
        for (theme, risk, csp, overall), rank, label in zip(rows, ranks, labels)
    ]
    order = sorted(range(len(scored)), key=lambda i: (scored[i].rank is None, scored[i].rank or 0, i))
    return [scored[i] for i in order]
