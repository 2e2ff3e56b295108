"""Pages that belong to the whole site rather than one app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from crimedata.models import ImportLog, Population
from crimedata.periods import month_label
from crimedata.selectors import data_generation, months_with_data, reference_data
from crimedata import roles


def home(request: HttpRequest) -> HttpResponse:
    """The districts, the comparison groups and every category with its definition."""
    ref = reference_data(data_generation())
    include_provisional = roles.can_see_provisional(request.user)
    first, last = months_with_data(include_provisional=include_provisional)
    families = []
    for family, label in FAMILY_LABELS:
        members = [c for c in ref.in_tree_order() if c.family == family]
        if members:
            families.append({"label": label, "categories": [(c, ref.depth(c.slug)) for c in members]})
    return render(
        request,
        "home.html",
        {
            "page_title": "Kent community safety figures",
            "districts": ref.districts,
            "groups": ref.groups,
            "families": families,
            "first_month": month_label(first) if first is not None else None,
            "last_month": month_label(last) if last is not None else None,
            "district_profile_url": _url_or_none("district-index"),
        },
    )


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


FAMILY_LABELS = [
    ("recorded-crime", "Police recorded crime"),
    ("asb", "Anti-social behaviour"),
    ("domestic-abuse", "Domestic abuse"),
    ("hate-crime", "Hate crime"),
    ("road-casualties", "Road casualties"),
    ("service", "Partner service figures"),
    ("policeuk", "police.uk street-level crime"),
]


def about_data(request: HttpRequest) -> HttpResponse:
    """How figures are computed, the sources, the population years and the recent loads.

    When the demo is loaded, its import log says how the demo data was made: the page shows
    that stored text, so no page depends on the demo package.
    """
    ref = reference_data(data_generation())
    sources = sorted({c.source for c in ref.categories})
    population_years = list(Population.objects.order_by("year").values_list("year", flat=True).distinct())
    imports = list(ImportLog.objects.select_related("imported_by")[:20])
    demo_load = next((log for log in imports if log.kind == ImportLog.KIND_DEMO), None) or (
        ImportLog.objects.filter(kind=ImportLog.KIND_DEMO).first()
    )
    return render(
        request,
        "about_data.html",
        {
            "page_title": "About the data",
            "sources": sources,
            "population_years": population_years,
            "imports": imports,
            "demo_load": demo_load,
        },
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html", {"page_title": "Accessibility statement"})
