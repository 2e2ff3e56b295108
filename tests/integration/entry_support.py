"""Helpers for the data-entry tests (issue 4): grid form data, figures, uploads."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from crimedata.entry import Quarter, build_grid, latest_ended_quarter
from crimedata.models import Figure
from crimedata.selectors import reference_data
from tests.conftest import MAIDSTONE

Q1_2016 = Quarter(2016, 1)


def grid_url(code: str = MAIDSTONE, quarter: Quarter = Q1_2016, suffix: str = "") -> str:
    return f"/entry/{code}/{quarter.slug}/{suffix}"


def current_grid(code: str = MAIDSTONE, quarter: Quarter = Q1_2016):
    ref = reference_data()
    return build_grid(ref, ref.district(code), quarter, timezone.localdate())


def form_data(grid, values: dict[str, object] | None = None, notes: dict[str, str] | None = None, **extra) -> dict:
    """What the page would post: every editable cell with its shown value and version, changed by ``values``."""
    values = values or {}
    notes = notes or {}
    data = {"status": "provisional", **extra}
    for cell in grid.cells:
        if not cell.editable:
            continue
        shown = cell.value if cell.value is not None else ""
        data[f"value-{cell.key}"] = str(values.get(cell.key, shown))
        data[f"version-{cell.key}"] = str(cell.version)
        data[f"note-{cell.key}"] = notes.get(cell.key, cell.figure.note if cell.figure else "")
    return data


def stored(code: str, slug: str, month: str, end: str | None = None) -> Figure | None:
    start = dt.date.fromisoformat(f"{month}-01")
    qs = Figure.objects.filter(district__code=code, category__slug=slug, period_start=start)
    if end is not None:
        qs = qs.filter(period_end__startswith=end)
    return qs.first()


def recent_quarter() -> Quarter:
    """The latest finished quarter: sign-off offers only recent ones."""
    return latest_ended_quarter(timezone.localdate())


def month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def csv_bytes(rows: list[str], header: str = "district,category,period_start,period_end,value,status,note") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")
