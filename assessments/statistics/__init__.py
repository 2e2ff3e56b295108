"""Pure statistics for the CSP portal: no Django, no database, only numpy/pandas/scipy.

Every method follows /work/shared/reference/methods.md; each module cites its section.

- rounding: round_half_up (Excel-style), ordinal
- ranking: county position with shared places ("5=")
- rates: rates per resident, change, % change, direction (missing stays missing)
- intervals: Byar's / exact Poisson and Wilson confidence intervals (Fingertips)
- significance: Fingertips benchmark comparison; year-on-year significance
- spc: NHS "Making Data Count" XmR charts and special-cause rules
- morile: MoRiLE overall score and theme ranking
- suppression: small-number suppression, including secondary suppression
"""

from .intervals import count_ci, poisson_ci, rate_ci, rate_ci_arrays, wilson_ci, wilson_ci_arrays
from .morile import DEFAULT_MULTIPLIERS, UnknownCspScore, overall_score, rank_themes
from .ranking import HIGHER_IS_BETTER, LOWER_IS_BETTER, NO_JUDGEMENT, competition_ranks, rank_labels, rank_series
from .rates import change, change_pct, direction, group_rate, rate, rates_frame, share
from .rounding import ordinal, round_half_up
from .significance import (
    change_significance,
    compare_two_values,
    compare_with_benchmark,
    compare_with_benchmark_two_levels,
)
from .spc import SpcResult, xmr, xmr_many
from .suppression import SuppressionResult, is_suppressed, suppress_table

__all__ = [
    "DEFAULT_MULTIPLIERS",
    "HIGHER_IS_BETTER",
    "LOWER_IS_BETTER",
    "NO_JUDGEMENT",
    "SpcResult",
    "SuppressionResult",
    "UnknownCspScore",
    "change",
    "change_pct",
    "change_significance",
    "compare_two_values",
    "compare_with_benchmark",
    "compare_with_benchmark_two_levels",
    "competition_ranks",
    "count_ci",
    "direction",
    "group_rate",
    "is_suppressed",
    "ordinal",
    "overall_score",
    "poisson_ci",
    "rank_labels",
    "rank_series",
    "rank_themes",
    "rate",
    "rate_ci",
    "rate_ci_arrays",
    "rates_frame",
    "round_half_up",
    "share",
    "suppress_table",
    "wilson_ci",
    "wilson_ci_arrays",
    "xmr",
    "xmr_many",
]
