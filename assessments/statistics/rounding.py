"""Rounding and ordinals for figures shown to people (docs/methods.md §7).

Kent reports are produced in Excel, which rounds halves away from zero
(45.45 -> 45.5). Python's round() rounds halves to even and also trips over
binary floating point (round(2.675, 2) == 2.67), so every displayed figure goes
through round_half_up() instead.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from numbers import Real

__all__ = ["is_missing", "ordinal", "round_half_up"]


def is_missing(x: object) -> bool:
    """True for None, NaN and pandas NA/NaT: a figure that is not known."""
    if x is None:
        return True
    try:
        # pandas NA raises TypeError on bool(); NaN is the only float unequal to itself.
        return bool(x != x)
    except TypeError:
        return True


def round_half_up(x: Real | Decimal | str | None, decimals: int = 0) -> float | None:
    """Round half away from zero to `decimals` places, as Excel does (docs/methods.md §7).

    The value is read through its shortest decimal form (repr), so 2.675 is
    treated as the 2.675 a person typed, not the binary 2.67499999... it is
    stored as: round_half_up(2.675, 2) == 2.68.

    Returns a float, or None when x is missing (None, NaN, pandas NA).
    Infinite values raise ValueError: a rate or change should never be infinite.
    """
    if is_missing(x):
        return None
    if isinstance(x, float) and math.isinf(x):
        raise ValueError("Cannot round an infinite value.")
    try:
        exact = x if isinstance(x, Decimal) else Decimal(repr(float(x)) if not isinstance(x, str) else x)
    except (InvalidOperation, ValueError, TypeError) as error:
        raise ValueError(f"Cannot round {x!r}: it is not a number.") from error
    quantum = Decimal(1).scaleb(-decimals)
    return float(exact.quantize(quantum, rounding=ROUND_HALF_UP))


def ordinal(n: int) -> str:
    """English ordinal for a position: 1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    n = int(n)
    # 11th, 12th and 13th break the last-digit rule (and 111th, 112th ...).
    if n % 100 in (11, 12, 13):
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
