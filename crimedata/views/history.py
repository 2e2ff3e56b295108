"""A figure series' history: every change, and the figures as reported on a chosen date."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from crimedata import roles
from crimedata.access import require
from crimedata.entry import Quarter
from crimedata.forms import AsOfForm
from crimedata.history import as_reported, figure_history
from crimedata.rules import ascii_int
from crimedata.selectors import data_generation, reference_data
from crimedata.signoff import sign_offs_between

CHANGES_PER_PAGE = 100


def _years(entries, wanted: str) -> tuple[list[int], int | None]:
    """A long series is shown one financial year at a time: the financial years it has, newest first,
    and the one to show (the latest unless another, or "all", is asked for; None means all)."""
    years = sorted({Quarter.containing(e.start).year for e in entries}, reverse=True)
    number = ascii_int(wanted)  # '²' is a digit to str.isdigit, but not to int()
    if number in years:
        return years, number
    return years, None if wanted == "all" or not years else years[0]


def _in_year(rows, year: int) -> list:
    return [r for r in rows if Quarter.containing(r.start).year == year]


@require(roles.can_read_history,
         "The history of figures (who changed what) is for officers, county analysts, administrators and partners.")
def figure_history_page(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    ref = reference_data(data_generation())
    district = ref.district(code)
    category = ref.category(slug)
    if district is None or category is None:
        raise Http404("There is no such district or category.")
    # The pickers on the page submit the district and category as parameters.
    wanted_code = request.GET.get("district", code)
    wanted_slug = request.GET.get("category", slug)
    if (wanted_code, wanted_slug) != (code, slug) and ref.district(wanted_code) and ref.category(wanted_slug):
        return redirect(reverse("figure-history", kwargs={"code": wanted_code, "slug": wanted_slug}))
    form = AsOfForm(request.GET or None)
    reported = None
    as_of = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            as_of = form.cleaned_data["as_of"]
            if as_of is not None:
                reported = as_reported(district.id, category.id, as_of)
        else:
            status = 400
    entries = figure_history(district.id, category.id)
    years, year = _years(entries, request.GET.get("year", ""))
    if year is not None:
        entries = _in_year(entries, year)
        reported = _in_year(reported, year) if reported is not None else None
    page = Paginator(entries, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    spans = [e.start for e in entries] + [e.end for e in entries]
    sign_offs = sign_offs_between([district.id], min(spans), max(spans)).get(district.id, []) if spans else []
    can_edit = roles.can_edit_district(request.user, district.id) and roles.can_edit_category(
        request.user, category.entry)
    return render(request, "crimedata/history.html", {
        "page_title": f"History: {category.name}, {district.name}",
        "district": district,
        "category": category,
        "form": form,
        "as_of": as_of,
        "reported": reported,
        "page": page,
        "total": len(entries),
        "sign_offs": sorted(sign_offs, key=lambda s: s.start, reverse=True),
        "errors": [{"text": e, "href": "#id_as_of"} for e in form.errors.get("as_of", [])],
        "can_edit": can_edit and roles.can_enter_figures(request.user),
        "entry_url": reverse("entry-home"),
        "categories": ref.in_tree_order(),
        "districts": ref.districts,
        "years": [(y, f"{y}/{str(y + 1)[2:]}") for y in years],
        "year": year,
        "page_query": urlencode({k: v for k, v in (("as_of", request.GET.get("as_of", "")),
                                                    ("year", "all" if year is None else year)) if v}),
    }, status=status)
