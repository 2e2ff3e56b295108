"""Collection windows: the analysts' list and form, and each window's page (progress, who is late)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from crimedata import roles
from crimedata.access import STAFF_ONLY, require
from crimedata.collections import (
    STATE_LABELS,
    STATE_TAGS,
    WindowRefused,
    collection_windows,
    save_window,
    summarise,
    window_by_id,
    window_page,
    window_progress,
)
from crimedata.entry import selectable_quarters
from crimedata.selectors import data_generation, reference_data
from crimedata.window_forms import DATE_PARTS, WindowForm

ANALYSTS_ONLY = "Only county analysts and administrators can open or change a collection window."


@require(roles.can_enter_figures, STAFF_ONLY)
def window_list(request: HttpRequest) -> HttpResponse:
    """Every window, newest quarter first, with its progress."""
    generation = data_generation()
    ref = reference_data(generation)
    today = timezone.localdate()
    windows = collection_windows(generation)
    progress = window_progress(ref, generation, windows)
    return render(request, "crimedata/collections/windows.html", {
        "page_title": "Collection windows",
        "summaries": [summarise(w, progress, ref, today) for w in windows],
        "can_manage": roles.can_sign_off(request.user),
    })


def _form_page(request: HttpRequest, form: WindowForm, *, window=None, status: int = 200) -> HttpResponse:
    title = "Open a collection window" if window is None else f"Change the window for {window.title}"
    return render(request, "crimedata/collections/window_form.html", {
        "page_title": title, "form": form, "window": window, "errors": form.summary() if form.is_bound else [],
        "date_parts": DATE_PARTS,
    }, status=status)


def _save(request: HttpRequest, ref, form: WindowForm, window=None) -> HttpResponse:
    if not form.is_valid():
        return _form_page(request, form, window=window, status=400)
    try:
        window_id = save_window(form.window_request(), user=request.user, ref=ref,
                                window_id=None if window is None else window.id)
    except WindowRefused as refused:
        form.add_problems(refused.problems)
        return _form_page(request, form, window=window, status=400)
    messages.success(request, "Window opened." if window is None else "Window changed.")
    return redirect(reverse("collection-window", args=[window_id]))


@require(roles.can_sign_off, ANALYSTS_ONLY)
def window_new(request: HttpRequest) -> HttpResponse:
    ref = reference_data(data_generation())
    quarters = selectable_quarters(timezone.localdate(), years=3)
    form = WindowForm(request.POST if request.method == "POST" else None, ref=ref, quarters=quarters)
    if request.method != "POST":
        return _form_page(request, form)
    return _save(request, ref, form)


@require(roles.can_sign_off, ANALYSTS_ONLY)
def window_edit(request: HttpRequest, pk: int) -> HttpResponse:
    generation = data_generation()
    ref = reference_data(generation)
    window = window_by_id(generation, pk)
    if window is None:
        raise Http404("There is no such collection window.")
    quarters = selectable_quarters(timezone.localdate(), years=3)
    form = WindowForm(request.POST if request.method == "POST" else None, ref=ref, quarters=quarters, window=window)
    if request.method != "POST":
        return _form_page(request, form, window=window)
    return _save(request, ref, form, window)


@require(roles.can_enter_figures, STAFF_ONLY)
def window_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One window: every district's progress, what each still needs, who is late, reminders sent."""
    generation = data_generation()
    ref = reference_data(generation)
    window = window_by_id(generation, pk)
    if window is None:
        raise Http404("There is no such collection window.")
    page = window_page(ref, generation, window, user=request.user, today=timezone.localdate())
    return render(request, "crimedata/collections/window.html", {
        "page_title": f"Collection window: {window.title}", **page,
        "state_key": [(STATE_LABELS[s], STATE_TAGS[s]) for s in STATE_LABELS],
    })
