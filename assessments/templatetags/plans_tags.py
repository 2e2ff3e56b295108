"""Template helpers for the plan pages: money, counts, rates and missing values.

A missing value is always shown as words ("no data", "not recorded"), never
as 0 or a blank cell.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils.html import format_html

from assessments.plans.funding import format_money
from assessments.plans.years import plan_year_label, plan_year_slug
from crimedata.numbers import is_missing, round_half_up

register = template.Library()


def _missing(text: str) -> str:
    return format_html('<span class="app-missing">{}</span>', text)


@register.simple_tag
def money(value, missing: str = "not recorded"):
    """£19,875.16, or 'not recorded' in the missing style."""
    if is_missing(value):
        return _missing(missing)
    return format_money(Decimal(value))


@register.simple_tag
def count(value, missing: str = "no data"):
    """1,403, or 'no data'."""
    if is_missing(value):
        return _missing(missing)
    return f"{int(value):,}"


@register.simple_tag
def one_dp(value, suffix: str = "", missing: str = "no data"):
    """45.5 (rounded half up, as Excel does), or 'no data'."""
    if is_missing(value):
        return _missing(missing)
    return f"{round_half_up(value, 1):,.1f}{suffix}"


@register.simple_tag
def signed_change(value, missing: str = "no data"):
    """+245 / −59 / 0 (a real minus sign)."""
    if is_missing(value):
        return _missing(missing)
    value = int(value)
    return f"+{value:,}" if value > 0 else f"−{abs(value):,}" if value < 0 else "0"


@register.simple_tag
def signed_pct(value, missing: str = "no data"):
    if is_missing(value):
        return _missing(missing)
    rounded = round_half_up(value, 1)
    return f"+{rounded:,.1f}%" if rounded > 0 else f"−{abs(rounded):,.1f}%" if rounded < 0 else "0.0%"


@register.filter
def plain_number(value) -> str:
    """33.00 -> '33', 82.50 -> '82.5', 1800.000 -> '1,800' (no trailing zeros)."""
    if is_missing(value):
        return ""
    text = format(Decimal(str(value)).normalize(), "f")
    whole, _, fraction = text.partition(".")
    sign = "−" if whole.startswith("-") else ""
    return f"{sign}{abs(int(whole)):,}" + (f".{fraction}" if fraction else "")


@register.filter
def month_year(value) -> str:
    """A date as 'April 2016' (grant decisions are recorded by month)."""
    if not isinstance(value, dt.date):
        return ""
    return value.strftime("%B %Y")


@register.filter
def long_date(value) -> str:
    """9 February 2017 (GOV.UK date style, no leading zero)."""
    if not isinstance(value, dt.date):
        return ""
    return f"{value.day} {value:%B %Y}"


@register.filter
def year_label(value) -> str:
    return plan_year_label(int(value))


@register.filter
def year_slug(value) -> str:
    return plan_year_slug(int(value))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


ARROWS = {"up": "↑", "down": "↓", "same": "↔"}
DIRECTION_WORDS = {"up": "up", "down": "down", "same": "no change"}


@register.filter
def arrow(direction) -> str:
    return ARROWS.get(direction, "")


@register.filter
def direction_word(direction) -> str:
    return DIRECTION_WORDS.get(direction, "")
