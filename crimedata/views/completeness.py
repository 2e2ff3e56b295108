"""Completeness: which quarters each district has entered, for a financial year."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from crimedata import roles
from crimedata.access import STAFF_ONLY, require
from crimedata.collections import windows_for_quarters
from crimedata.entry import (
    FIRST_YEAR,
    MISSING,
    PARTLY,
    STATE_LABELS,
    STATE_TAGS,
    Quarter,
    latest_ended_quarter,
    quarter_is_open,
    quarter_statuses,
)
from crimedata.periods import month_index
from crimedata.rules import ascii_int
from crimedata.selectors import data_generation, reference_data


@require(roles.can_enter_figures, STAFF_ONLY)
def completeness(request: HttpRequest) -> HttpResponse:
    generation = data_generation()
    ref = reference_data(generation)
    today = timezone.localdate()
    current = Quarter.containing(month_index(today))
    default_year = latest_ended_quarter(today).year
    error = ""
    year = ascii_int(request.GET.get("year", str(default_year)))  # the digits 0-9 only, as every page reads them
    if year is None or not FIRST_YEAR <= year <= current.year:
        error = f"Choose a financial year from {FIRST_YEAR}/{str(FIRST_YEAR + 1)[2:]} to {current.year}/{str(current.year + 1)[2:]}"
        year = default_year
    quarters = [Quarter(year, n) for n in range(1, 5)]
    started = [q for q in quarters if quarter_is_open(q, today)]
    statuses = quarter_statuses(ref, ref.districts, started)
    editable = roles.editable_district_ids(request.user)
    rows, gaps = [], []
    for district in ref.districts:
        cells = []
        may_edit = editable is None or district.id in editable
        for quarter in quarters:
            status = statuses.get((district.code, quarter))
            url = None
            if status is not None and may_edit:
                url = reverse("entry-grid", kwargs={"code": district.code, "year": quarter.year, "number": quarter.number})
            cells.append({"quarter": quarter, "status": status, "url": url})
            if status is not None and status.state in (MISSING, PARTLY):
                gaps.append(status)
        rows.append({"district": district, "cells": cells, "mine": may_edit and editable is not None})
    totals = {state: sum(1 for s in statuses.values() if s.state == state) for state in STATE_LABELS}
    return render(request, "crimedata/completeness.html", {
        "page_title": f"Completeness, {year}/{str(year + 1)[2:]}",
        "year": year,
        "year_label": f"{year}/{str(year + 1)[2:]}",
        "years": [(y, f"{y}/{str(y + 1)[2:]}") for y in range(current.year, FIRST_YEAR - 1, -1)],
        "quarters": quarters,
        "rows": rows,
        "gaps": gaps,
        "totals": [(STATE_LABELS[s], STATE_TAGS[s], n) for s, n in totals.items()],
        "cells": len(statuses),
        "errors": [{"text": error, "href": "#year"}] if error else [],
        "windows": windows_for_quarters(ref, generation, quarters, today),
        "can_manage_windows": roles.can_sign_off(request.user),
    }, status=400 if error else 200)
