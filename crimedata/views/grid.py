"""The entry home page and the quarterly entry grid (with the administrator's correction mode)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from crimedata import roles
from crimedata.access import STAFF_ONLY, district_for_entry, editable_districts, require
from crimedata.collections import due_for
from crimedata.entry import (
    STATE_LABELS,
    STATE_TAGS,
    Grid,
    GridSaveRefused,
    Quarter,
    build_grid,
    format_change,
    latest_ended_quarter,
    needs_note,
    parse_count,
    quarter_is_open,
    quarter_statuses,
    recent_quarters,
    save_grid,
    selectable_quarters,
)
from crimedata.forms import DistrictQuarterForm, EntryGridForm, error_summary
from crimedata.measures import change_pct
from crimedata.selectors import data_generation, reference_data

# How many recent quarters the entry home page lists for each of the officer's districts.
HOME_QUARTERS = 8
SAVED_KEY = "entry_saved"


def grid_url(code: str, quarter: Quarter, name: str = "entry-grid") -> str:
    return reverse(name, kwargs={"code": code, "year": quarter.year, "number": quarter.number})


@require(roles.can_enter_figures, STAFF_ONLY)
def entry_home(request: HttpRequest) -> HttpResponse:
    """The officer's districts with the state of each recent quarter, and a picker for any quarter."""
    generation = data_generation()
    ref = reference_data(generation)
    today = timezone.localdate()
    districts = editable_districts(request.user, ref)
    quarters = recent_quarters(today, HOME_QUARTERS)
    picker_quarters = selectable_quarters(today)
    form = DistrictQuarterForm(districts, picker_quarters, request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect(grid_url(form.cleaned_data["district"], form.cleaned_data["quarter"]))
    # County analysts see every district on the completeness page; here, only a few rows.
    shown = districts if len(districts) <= 3 else []
    statuses = quarter_statuses(ref, shown, quarters)
    rows = [
        {"district": d, "cells": [(q, statuses[(d.code, q)], grid_url(d.code, q)) for q in quarters]}
        for d in shown
    ]
    return render(request, "crimedata/entry_home.html", {
        "page_title": "Enter figures",
        "districts": districts,
        "rows": rows,
        "quarters": quarters,
        "form": form,
        "errors": error_summary(form),
        "latest": latest_ended_quarter(today),
        "can_sign_off": roles.can_sign_off(request.user),
        "state_key": [(STATE_LABELS[s], STATE_TAGS[s]) for s in STATE_LABELS],
        "due": due_for(ref, generation, roles.editable_district_ids(request.user), today),
    })


def _quarter(year: int, number: int) -> Quarter:
    quarter = Quarter(year, number)
    if not quarter_is_open(quarter, timezone.localdate()):
        raise Http404(f"{quarter.label} has not started yet, so there is nothing to enter.")
    return quarter


@require(roles.can_enter_figures, STAFF_ONLY)
def entry_grid(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    """GET shows the quarter's figures; POST saves them all in one transaction, or nothing."""
    ref = reference_data(data_generation())
    district = district_for_entry(request.user, ref, code)
    quarter = _quarter(year, number)
    today = timezone.localdate()
    grid = build_grid(ref, district, quarter, today)
    if request.method != "POST":
        saved = request.session.pop(SAVED_KEY, None)
        if saved and saved.get("grid") != f"{code}/{quarter.slug}":
            saved = None
        return _render_grid(request, grid, EntryGridForm(grid) if not grid.locked else None, saved=saved)
    if grid.locked:
        return _render_grid(request, grid, None, status=409, refused=(
            f"Nothing was saved. {grid.sign_off.text}, so its figures are final and locked. "
            "Only an administrator can correct a figure, giving a reason."
        ))
    return _save(request, grid, EntryGridForm(grid, request.POST), correction=False)


def _can_correct(user) -> bool:
    return roles.can_correct_signed_off(user)


@require(_can_correct, "Only an administrator can correct a figure in a signed-off period.")
def entry_correct(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    """An administrator's correction of a signed-off quarter: the same grid, with a reason that is kept."""
    ref = reference_data(data_generation())
    district = district_for_entry(request.user, ref, code)
    quarter = _quarter(year, number)
    grid = build_grid(ref, district, quarter, timezone.localdate())
    if not grid.locked:
        return redirect(grid_url(code, quarter))
    if request.method != "POST":
        return _render_grid(request, grid, EntryGridForm(grid, correction=True), correction=True)
    return _save(request, grid, EntryGridForm(grid, request.POST, correction=True), correction=True)


def _save(request: HttpRequest, grid: Grid, form: EntryGridForm, *, correction: bool) -> HttpResponse:
    if not form.is_valid():
        return _render_grid(request, grid, form, correction=correction, status=400)
    try:
        changes = save_grid(
            grid, form.cell_inputs(), user=request.user, new_status=form.new_status,
            correction_reason=form.cleaned_data["reason"].strip() if correction else "",
        )
    except GridSaveRefused as refused:
        # Show what is in the database now: the versions on the page move on, so
        # saving again (after checking) is a deliberate choice, never a silent overwrite.
        fresh = build_grid(reference_data(data_generation()), grid.district, grid.quarter, timezone.localdate())
        return _render_grid(request, fresh, form if not fresh.locked or correction else None, correction=correction,
                            conflicts=refused.conflicts, status=409)
    request.session[SAVED_KEY] = {
        "grid": f"{grid.district.code}/{grid.quarter.slug}",
        "correction": correction,
        "changes": [
            {"category": c.cell.category.name, "period": c.cell.label, "old": c.old_value, "new": c.new_value,
             "old_status": c.old_status, "new_status": c.new_status, "note_changed": c.note_changed}
            for c in changes
        ],
    }
    return redirect(grid_url(grid.district.code, grid.quarter))


def _cell_view(cell, form: EntryGridForm | None, conflict, use_fresh_version: bool) -> dict:
    """What the template needs for one cell: the text to show, its errors and the version to send."""
    key = cell.key
    value_text = note_text = ""
    version = cell.version
    if form is not None and form.is_bound:
        value_text = form.data.get(f"value-{key}", "")
        note_text = form.data.get(f"note-{key}", "")
        if not use_fresh_version:
            version = form.data.get(f"version-{key}", cell.version)
    elif cell.figure is not None:
        value_text, note_text = str(cell.figure.value), cell.figure.note
    try:
        shown = parse_count(value_text)
    except ValueError:
        shown = None
    errors = form.errors if form is not None and form.is_bound else {}
    error = (errors.get(f"value-{key}") or [""])[0]
    note_error = (errors.get(f"note-{key}") or [""])[0]
    changing = shown is not None and (cell.figure is None or cell.figure.value != shown)
    return {
        "cell": cell,
        "id": f"value-{key}",
        "note_id": f"note-{key}",
        "value_text": value_text,
        "note_text": note_text,
        "version": version,
        "error": error,
        "note_error": note_error,
        "change_text": format_change(change_pct(shown, cell.last_year)),
        "note_open": bool(note_text or note_error or (changing and needs_note(shown, cell.last_year))),
        "conflict": conflict,
    }


def _form_errors(form: EntryGridForm | None, rows: list[dict]) -> list[dict]:
    """The error summary's items, in page order, each linking to its field."""
    if form is None or not form.is_bound or not form.errors:
        return []
    errors = [{"text": e, "href": "#entry-form"} for e in form.non_field_errors()]
    for name, href in (("status", "#status-provisional"), ("reason", "#id_reason")):
        if name in form.errors:
            errors.append({"text": form.errors[name][0], "href": href})
    for row in rows:
        for c in row["cells"]:
            if c["error"]:
                errors.append({"text": c["error"], "href": f"#{c['id']}"})
            if c["note_error"]:
                errors.append({"text": c["note_error"], "href": f"#{c['note_id']}"})
    return errors


def _conflict_summary(conflicts) -> dict | None:
    """The box listing figures someone else saved while this page was open (nothing was saved)."""
    if not conflicts:
        return None
    many = len(conflicts) > 1
    return {
        "title": f"Nothing was saved: {len(conflicts)} figure{'s' if many else ''} changed after you opened this page",
        "intro": f"Someone else saved {'these figures' if many else 'this figure'} while you were working. Check the "
                 "value in the database against what you typed.",
        "errors": [
            {"text": f"{c.cell.category.name}, {c.cell.label}: {c.message}. In the database now: "
                     f"{'not entered' if c.current is None else c.current}; you typed {c.typed}.",
             "href": f"#value-{c.cell.key}"}
            for c in conflicts
        ],
    }


def _render_grid(
    request: HttpRequest, grid: Grid, form: EntryGridForm | None, *, correction: bool = False, saved=None,
    conflicts=(), refused: str = "", status: int = 200,
) -> HttpResponse:
    by_key = {c.cell.key: c for c in conflicts}
    rows = [
        {"row": row, "cells": [_cell_view(cell, form, by_key.get(cell.key), use_fresh_version=bool(conflicts))
                               for cell in row.cells],
         "history_url": reverse("figure-history", kwargs={"code": grid.district.code, "slug": row.category.slug})}
        for row in grid.rows
    ]
    quarter = grid.quarter
    today = timezone.localdate()
    previous, following = quarter.shifted(-1), quarter.shifted(1)
    code = grid.district.code
    context = {
        "page_title": f"{grid.district.name}: {quarter.short_label}" + (" – correction" if correction else ""),
        "grid": grid,
        "rows": rows,
        "form": form,
        "correction": correction,
        "saved": saved,
        "conflicts": conflicts,
        "refused": refused,
        "errors": _form_errors(form, rows),
        "conflict_summary": _conflict_summary(conflicts),
        "status_value": (form.data.get("status") if form is not None and form.is_bound else None) or "provisional",
        "reason_text": form.data.get("reason", "") if form is not None and form.is_bound else "",
        "reason_error": (form.errors.get("reason") or [""])[0] if form is not None and form.is_bound else "",
        "previous_url": grid_url(code, previous) if quarter_is_open(previous, today) else None,
        "previous": previous,
        "next_url": grid_url(code, following) if quarter_is_open(following, today) else None,
        "next": following,
        "grid_url": grid_url(code, quarter),
        "correct_url": grid_url(code, quarter, "entry-correct"),
        "can_correct": roles.can_correct_signed_off(request.user),
        "template_query": f"district={code}&quarter={quarter.slug}",
    }
    return render(request, "crimedata/grid.html", context, status=status)

