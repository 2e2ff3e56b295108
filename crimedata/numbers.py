"""Rounding and showing numbers, the one way every page, download, document and the entry grid do it.

Kent reports are produced in Excel, which rounds halves away from zero
(45.45 -> 45.5). Python's round() rounds halves to even and also trips over
binary floating point (round(2.675, 2) == 2.67), so every displayed figure goes
through round_half_up() instead (docs/methods.md §7). Missing values come back
as None so that callers can show "no data" (never 0).

Pure functions: no Django, no database.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from numbers import Real

MINUS = "\u2212"  # a real minus sign: screen readers say "minus", not "hyphen"


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


def format_count(value) -> str | None:
    """5285 -> '5,285'."""
    if is_missing(value):
        return None
    return f"{int(round_half_up(value, 0)):,}"


def format_rate(value, decimals: int = 1) -> str | None:
    """45.4662 -> '45.5' (rates to 1 decimal place, rounded half-up)."""
    if is_missing(value):
        return None
    return f"{round_half_up(value, decimals):,.{decimals}f}"


def format_signed(value) -> str | None:
    """A change in a count: +245, −23, 0."""
    if is_missing(value):
        return None
    number = int(round_half_up(value, 0))
    if number > 0:
        return f"+{number:,}"
    if number < 0:
        return f"{MINUS}{-number:,}"
    return "0"


def format_pct(value, *, signed: bool = True, decimals: int = 1) -> str | None:
    """4.861 -> '+4.9%' (or '4.9%' unsigned); −8.96 -> '−9.0%'."""
    if is_missing(value):
        return None
    shown = round_half_up(value, decimals)
    text = f"{abs(shown):,.{decimals}f}%"
    if not signed:
        return text if shown >= 0 else MINUS + text
    if shown > 0:
        return "+" + text
    if shown < 0:
        return MINUS + text
    return text
