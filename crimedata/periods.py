"""Whole-month periods and comparison windows.

Months are handled as integer indexes (``year * 12 + month - 1``) so that
windows, tiling and year-earlier comparisons are plain integer arithmetic and
vectorise in pandas. A stored figure covers whole calendar months: it starts on
the 1st of a month and ends on the last day of a month, 1 to 12 months long.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MAX_MONTHS = 12
MONTH_NAMES = [calendar.month_name[i] for i in range(1, 13)]


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def month_start(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(index: int) -> dt.date:
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_label(index: int, short: bool = False) -> str:
    """'October 2016' (or 'Oct 2016' when short)."""
    name = MONTH_NAMES[index % 12]
    return f"{name[:3] if short else name} {index // 12}"


_YYYY_MM = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> int:
    """Parse 'YYYY-MM' into a month index; raise ValueError with a plain reason."""
    match = _YYYY_MM.match(text.strip())
    if not match:
        raise ValueError("must be a month written as YYYY-MM, for example 2016-10")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError("must be a month written as YYYY-MM, with a month from 01 to 12")
    if not 1990 <= year <= 2100:
        raise ValueError("must be a month between 1990 and 2100")
    return year * 12 + month - 1


def format_month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True, order=True)
class Window:
    """A run of whole months, ``start`` to ``end`` inclusive (month indexes)."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a window cannot end before it starts")

    @classmethod
    def ending(cls, end: int, months: int = 12) -> "Window":
        return cls(end - months + 1, end)

    @property
    def months(self) -> int:
        return self.end - self.start + 1

    def shifted(self, months: int) -> "Window":
        return Window(self.start + months, self.end + months)

    def previous_year(self) -> "Window":
        """The same months a year earlier: the comparison every table makes."""
        return self.shifted(-12)

    @property
    def start_date(self) -> dt.date:
        return month_start(self.start)

    @property
    def end_date(self) -> dt.date:
        return month_end(self.end)

    def population_year(self) -> int:
        """The mid-year estimate to use as the denominator (docs/methods.md §7).

        A 12-month window contains exactly one 30 June: use that year. A shorter
        window uses the year containing its midpoint month.
        """
        if self.months >= 12:
            for index in range(self.start, self.end + 1):
                if index % 12 == 5:  # June
                    return index // 12
        return ((self.start + self.end) // 2) // 12

    @property
    def label(self) -> str:
        """How a strategic assessment names the window."""
        if self.months == 1:
            return month_label(self.end)
        if self.months == 12 and self.end % 12 == 2:
            return f"Financial year {self.end // 12 - 1}/{str(self.end // 12)[2:]}"
        if self.months == 12 and self.end % 12 == 11:
            return f"Calendar year {self.end // 12}"
        if self.months == 3 and self.end % 3 == 2:
            return quarter_label(self.end)
        return f"{self.months} months to {month_label(self.end)}"

    @property
    def span_label(self) -> str:
        """'November 2015 to October 2016'."""
        if self.months == 1:
            return month_label(self.start)
        return f"{month_label(self.start)} to {month_label(self.end)}"


def quarter_label(end: int) -> str:
    """Financial-year quarter name for a quarter ending at month index ``end``.

    Q1 is April to June, as every Kent plan counts it.
    """
    month = end % 12 + 1
    year = end // 12
    q = {6: 1, 9: 2, 12: 3, 3: 4}[month]
    fy_start = year if q in (1, 2, 3) else year - 1
    return f"Q{q} {fy_start}/{str(fy_start + 1)[2:]} ({MONTH_NAMES[(end - 2) % 12][:3]} to {MONTH_NAMES[end % 12][:3]} {year})"


def quarter_window(fy_start_year: int, quarter: int) -> Window:
    """Financial-year quarter (1 = April to June) of the year starting in April ``fy_start_year``."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1, 2, 3 or 4")
    start = fy_start_year * 12 + 3 + (quarter - 1) * 3
    return Window(start, start + 2)
