"""A district's top neighbourhoods and wards, from police.uk street-level crime (any loaded months)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.profile.page import neighbourhoods_page
from crimedata.selectors import data_generation, reference_data


def district_neighbourhoods(request: HttpRequest, code: str) -> HttpResponse:
    ref = reference_data(data_generation())
    district = ref.district(code.upper())
    if district is None:
        raise Http404("No such district")
    page = neighbourhoods_page(ref, district, request.GET, user=request.user)
    return render(request, page.template, page.context, status=page.status)
