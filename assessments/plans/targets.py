"""Whether a target was achieved, respecting its direction.

A target is "at least" (increase referrals to mediation from 33 to at least 40)
or "at most" (reduce to no more than N). An actual that has not been entered is
"not yet known", never "not achieved": the Tonbridge and Malling 2014/15 plan
printed its actual figures as blank and XXX, and a blank is not a failure.
"""

from __future__ import annotations

from decimal import Decimal

AT_LEAST = "at_least"
AT_MOST = "at_most"
DIRECTIONS = (AT_LEAST, AT_MOST)

ACHIEVED = "achieved"
NOT_ACHIEVED = "not_achieved"
NOT_YET_KNOWN = "not_yet_known"

RESULT_LABELS = {
    ACHIEVED: "Achieved",
    NOT_ACHIEVED: "Not achieved",
    NOT_YET_KNOWN: "Not yet known",
}


def target_result(target: Decimal | None, actual: Decimal | None, direction: str) -> str:
    """ACHIEVED, NOT_ACHIEVED or NOT_YET_KNOWN for one target.

    Raises ValueError for an unknown direction. With no target value set there
    is nothing to judge against, so the result is NOT_YET_KNOWN.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"Unknown target direction {direction!r}; expected {' or '.join(DIRECTIONS)}.")
    if actual is None or target is None:
        return NOT_YET_KNOWN
    met = actual >= target if direction == AT_LEAST else actual <= target
    return ACHIEVED if met else NOT_ACHIEVED
