"""A district's top neighbourhoods from police.uk street-level crime.

A thin view: the figures come from crimedata.neighbourhoods and the chart from
crimedata.policeuk_charts. (The analysts' upload is crimedata.views.policeuk.)
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from crimedata import reference, roles
from crimedata.neighbourhoods import (
    default_window,
    loaded_months,
    neighbourhood_report,
    policeuk_categories,
)
from crimedata.periods import MAX_MONTHS, format_month, month_label, parse_month
from crimedata.policeuk_charts import top_neighbourhoods_chart
from crimedata.selectors import data_generation, reference_data


def _optional_url(name: str, *args) -> str | None:
    """A link to another capability's page, if that page exists yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def district_neighbourhoods(request: HttpRequest, code: str) -> HttpResponse:
    """A district's top neighbourhoods and wards for a police.uk category and window."""
    ref = reference_data(data_generation())
    district = ref.district(code.upper())
    if district is None:
        raise Http404("No such district")
    categories = policeuk_categories(ref)
    loaded = loaded_months(ref, district)
    errors: dict[str, str] = {}

    slug = request.GET.get("category") or reference.POLICEUK_TOTAL
    category = ref.category(slug)
    if category is None or category.family != "policeuk":
        errors["category"] = "Choose one of the police.uk categories in the list"
        category = ref.category(reference.POLICEUK_TOTAL)

    end = None
    if request.GET.get("end"):
        try:
            end = parse_month(request.GET["end"])
        except ValueError as exc:
            errors["end"] = f"The last month {exc}"
    months = None
    if request.GET.get("months"):
        try:
            months = int(request.GET["months"])
            if not 1 <= months <= MAX_MONTHS:
                raise ValueError
        except ValueError:
            errors["months"] = f"The number of months must be a whole number from 1 to {MAX_MONTHS}"
            months = None

    window = None if errors else default_window(loaded, end, months)
    report = neighbourhood_report(ref, district, category, window, loaded=loaded)
    end_choices = list(reversed(loaded)) if loaded else []
    if window is not None and window.end not in end_choices:
        end_choices.insert(0, window.end)
    context = {
        "page_title": f"{district.name}: top neighbourhoods",
        "district": district,
        "report": report,
        "categories": categories,
        "end_choices": [(format_month(m), month_label(m)) for m in end_choices],
        "month_choices": list(range(1, MAX_MONTHS + 1)),
        "selected_end": format_month(window.end) if window else "",
        "selected_months": window.months if window else None,
        "errors": errors,
        "chart": top_neighbourhoods_chart(report) if report.available else None,
        "profile_url": _optional_url("district-profile", district.code),
        "upload_url": _optional_url("policeuk-upload") if roles.is_county_analyst(request.user) else None,
    }
    return render(request, "crimedata/policeuk/neighbourhoods.html", context, status=400 if errors else 200)

