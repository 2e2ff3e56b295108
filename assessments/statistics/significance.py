"""Is a difference real? Fingertips benchmark comparisons and year-on-year tests.

Two different questions, two different methods:

- "Is this district better or worse than Kent?" uses the Fingertips rule
  (docs/methods.md §2.4): the district's confidence interval against the benchmark
  value. Only the district's interval is used.
- "Is this year's rise real?" uses the exact conditional test for two Poisson
  counts (docs/methods.md §3). Overlapping confidence intervals are a far stricter
  test (roughly the 0.6% level), so the two can disagree: 5,285 against 5,040
  is a significant rise (p = 0.016) although the two intervals overlap. Pages
  should label the direct test "statistically significant change (p<0.05)".
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from scipy.stats import binomtest, norm

from crimedata.numbers import is_missing
from crimedata.reference import HIGHER_IS_BETTER, NO_JUDGEMENT

from .intervals import z_value
from .ranking import check_polarity

__all__ = [
    "BEST",
    "BETTER",
    "FINGERTIPS_CODES",
    "FINGERTIPS_COLOURS",
    "HIGHER",
    "HIGHEST",
    "LOWER",
    "LOWEST",
    "NO_COMPARISON_COLOUR",
    "SIMILAR",
    "WORSE",
    "WORST",
    "ChangeSignificance",
    "change_significance",
    "compare_with_benchmark",
    "compare_with_benchmark_two_levels",
]

BETTER, SIMILAR, WORSE, BEST, WORST = "better", "similar", "worse", "best", "worst"
HIGHER, LOWER, HIGHEST, LOWEST = "higher", "lower", "highest", "lowest"

# Fingertips significance codes (fingertips-open, class Colour): 1 worse/lower,
# 2 same, 3 better/higher, 4 worst/lowest, 5 best/highest.
FINGERTIPS_CODES = {
    WORSE: 1, LOWER: 1, SIMILAR: 2, BETTER: 3, HIGHER: 3, WORST: 4, LOWEST: 4, BEST: 5, HIGHEST: 5,
}
# Red/amber/green for judged measures, blue/orange/blue for "none" (no judgement).
FINGERTIPS_COLOURS = {
    "rag": {WORSE: "#c00000", SIMILAR: "#ffc000", BETTER: "#92d050", WORST: "#821733", BEST: "#00b092"},
    "bob": {LOWER: "#5555E6", SIMILAR: "#ffc000", HIGHER: "#C2CCFF", LOWEST: "#252563", HIGHEST: "#C1F4F0"},
}
NO_COMPARISON_COLOUR = "#c9c9c9"


def _orient(higher_than_benchmark: bool, polarity: str, *, strong: bool = False) -> str:
    """Turn "the area is above/below the benchmark" into the word shown for this polarity."""
    if polarity == NO_JUDGEMENT:
        if strong:
            return HIGHEST if higher_than_benchmark else LOWEST
        return HIGHER if higher_than_benchmark else LOWER
    good = higher_than_benchmark if polarity == HIGHER_IS_BETTER else not higher_than_benchmark
    if strong:
        return BEST if good else WORST
    return BETTER if good else WORSE


def compare_with_benchmark(
    value: float | None,
    lower: float | None,
    upper: float | None,
    benchmark: float | None,
    polarity: str,
) -> str | None:
    """Fingertips one-level comparison of an area's value with a benchmark (docs/methods.md §2.4).

    The benchmark value inside [lower, upper] (bounds included) is "similar".
    Otherwise the area is better or worse by `polarity` ("lower": lower is
    better, as for crime), or "higher"/"lower" for polarity "none".

    Returns "better" | "similar" | "worse" (judged polarities),
    "higher" | "similar" | "lower" (polarity "none"), or None if any input is missing.
    """
    check_polarity(polarity)
    if any(is_missing(v) for v in (value, lower, upper, benchmark)):
        return None
    if lower <= benchmark <= upper:
        return SIMILAR
    return _orient(value > benchmark, polarity)


def compare_with_benchmark_two_levels(
    value: float | None,
    lower95: float | None,
    upper95: float | None,
    lower998: float | None,
    upper998: float | None,
    benchmark: float | None,
    polarity: str,
) -> str | None:
    """Fingertips two-level comparison using the 95% and 99.8% intervals (docs/methods.md §2.4).

    - benchmark inside the 95% interval: "similar";
    - between the 95% and 99.8% limits: "better"/"worse";
    - outside the 99.8% interval: "best"/"worst".
    Polarity "none" gives "lowest"/"lower"/"similar"/"higher"/"highest" instead.

    Unlike Fingertips' C#, which swaps only better/worse for low-is-good
    indicators, best/worst are oriented by polarity too, so a district far
    below the Kent crime rate is "best", not "worst".

    Returns one of those words, or None if any input is missing.
    """
    check_polarity(polarity)
    if any(is_missing(v) for v in (value, lower95, upper95, lower998, upper998, benchmark)):
        return None
    if lower95 <= benchmark <= upper95:
        return SIMILAR
    if lower998 <= benchmark <= upper998:
        return _orient(value > benchmark, polarity)
    return _orient(value > benchmark, polarity, strong=True)


@dataclass(frozen=True)
class ChangeSignificance:
    """Year-on-year test of two Poisson counts (docs/methods.md §3).

    p_exact is the two-sided exact conditional (binomial) p-value and decides
    `significant` (p < 0.05). z/p_normal are the normal approximation,
    z_corrected/p_corrected the same with continuity correction (equal
    populations only; None otherwise). rate_ratio compares current with previous
    rates per resident; its interval is None when either count is 0.
    """

    current: float
    previous: float
    expected_share: float
    p_exact: float
    z: float
    p_normal: float
    z_corrected: float | None
    p_corrected: float | None
    rate_ratio: float | None
    rate_ratio_lower: float | None
    rate_ratio_upper: float | None
    significant: bool
    significant_998: bool

    def as_dict(self) -> dict[str, float | bool | None]:
        return asdict(self)


def _whole_count(x: float, name: str) -> int:
    if x < 0 or float(x) != int(x):
        raise ValueError(f"The {name} count must be a whole number of zero or more, not {x!r}.")
    return int(x)


def change_significance(
    current: float | None,
    previous: float | None,
    current_population: float | None = None,
    previous_population: float | None = None,
    *,
    confidence: float = 0.95,
) -> ChangeSignificance | None:
    """Is the change from `previous` to `current` more than chance? (docs/methods.md §3)

    Given both counts, current ~ Binomial(current + previous, p0) under "no
    change in the underlying rate", with p0 = current_population /
    (current_population + previous_population), or 0.5 when either population
    is missing (population treated as unchanged).

    Returns a ChangeSignificance, or None when a count is missing or both are
    0 (nothing to test). Raises ValueError for negative or fractional counts.
    """
    if is_missing(current) or is_missing(previous):
        return None
    x1, x2 = _whole_count(current, "current"), _whole_count(previous, "previous")
    total = x1 + x2
    if total == 0:
        return None

    have_populations = not (is_missing(current_population) or is_missing(previous_population))
    if have_populations and (current_population <= 0 or previous_population <= 0):
        raise ValueError("Populations must be positive.")
    e1 = float(current_population) if have_populations else 1.0
    e2 = float(previous_population) if have_populations else 1.0
    p0 = e1 / (e1 + e2)

    p_exact = float(binomtest(x1, total, p0).pvalue)

    z = (x1 - total * p0) / math.sqrt(total * p0 * (1 - p0))
    p_normal = float(2 * norm.sf(abs(z)))
    if p0 == 0.5:
        z_corrected = (abs(x1 - x2) - 1) / math.sqrt(total)
        z_corrected = max(z_corrected, 0.0) * (1 if x1 >= x2 else -1)
        p_corrected = float(2 * norm.sf(abs(z_corrected)))
    else:
        z_corrected = p_corrected = None

    if x2 == 0:
        rate_ratio = rr_lower = rr_upper = None
    else:
        rate_ratio = (x1 / e1) / (x2 / e2)
        if x1 == 0:
            rr_lower = rr_upper = None
        else:
            spread = z_value(confidence) * math.sqrt(1 / x1 + 1 / x2)
            rr_lower, rr_upper = rate_ratio * math.exp(-spread), rate_ratio * math.exp(spread)

    return ChangeSignificance(
        current=float(x1),
        previous=float(x2),
        expected_share=p0,
        p_exact=p_exact,
        z=float(z),
        p_normal=p_normal,
        z_corrected=z_corrected,
        p_corrected=p_corrected,
        rate_ratio=rate_ratio,
        rate_ratio_lower=rr_lower,
        rate_ratio_upper=rr_upper,
        significant=p_exact < 0.05,
        significant_998=p_exact < 0.002,
    )
