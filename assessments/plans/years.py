"""Plan years: a partnership plan runs April to March and is named "2017/18".

Stored as the year the plan starts (2017 for 2017/18); written "2017-18" in
URLs, because a slash cannot sit inside one path segment.
"""

from __future__ import annotations

import re

_URL_FORM = re.compile(r"^(\d{4})-(\d{2})$")

FIRST_YEAR = 2000
LAST_YEAR = 2099


class BadPlanYear(ValueError):
    """A plan year that is not written like 2017-18, or whose two halves do not follow on."""


def parse_plan_year(text: str) -> int:
    """'2017-18' (or '2017/18') -> 2017; raises BadPlanYear with a plain reason."""
    match = _URL_FORM.match((text or "").strip().replace("/", "-"))
    if not match:
        raise BadPlanYear("The plan year must be written like 2017-18.")
    start, end = int(match.group(1)), int(match.group(2))
    if not FIRST_YEAR <= start <= LAST_YEAR:
        raise BadPlanYear(f"The plan year must start between {FIRST_YEAR} and {LAST_YEAR}.")
    if (start + 1) % 100 != end:
        raise BadPlanYear(
            f"A plan year runs April to March, so {start} is followed by {(start + 1) % 100:02d}: "
            f"write {plan_year_slug(start)}."
        )
    return start


def plan_year_slug(start: int) -> str:
    """2017 -> '2017-18' (the URL form)."""
    return f"{start}-{(start + 1) % 100:02d}"


def plan_year_label(start: int) -> str:
    """2017 -> '2017/18' (how the documents write it)."""
    return f"{start}/{(start + 1) % 100:02d}"
