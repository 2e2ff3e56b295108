"""Kent-wide comparison pages: one category across districts, the district index, the district profile, the overview.

Each view reads who is asking (``assessments.selection.audience``), has its
page assembled by a builder (``assessments.comparison.pages``,
``assessments.profile.page``) and renders it: sorted tables, a download when
``_export`` asks for one, a redirect, or the template with its status.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_tables2 import RequestConfig

from assessments import exports
from assessments.comparison import pages
from assessments.profile.page import build_profile
from assessments.selection import audience


def _respond(request: HttpRequest, page: pages.Page) -> HttpResponse:
    if page.redirect:
        return redirect(page.redirect)
    for table in page.tables:
        RequestConfig(request, paginate=False).configure(table)
    if page.download:
        download = page.download
        return exports.download(exports.table_rows(download.table, download.notes), fmt=download.fmt,
                                title=download.title, filename=download.filename)
    return render(request, page.template, page.context, status=page.status)


def comparison_start(request: HttpRequest) -> HttpResponse:
    """/compare/: go to the chosen (or default) category's page, keeping the other choices."""
    return _respond(request, pages.comparison_start_page(audience(request), request.GET))


def comparison(request: HttpRequest, category: str) -> HttpResponse:
    """One category compared across a group's districts."""
    return _respond(request, pages.comparison_page(audience(request), category, request.GET))


def district_index(request: HttpRequest) -> HttpResponse:
    """Every district of a group, each linking to its profile."""
    return _respond(request, pages.district_index_page(audience(request), request.GET))


def district_profile(request: HttpRequest, code: str) -> HttpResponse:
    """A district's profile: the "All recorded crime" part of its strategic assessment."""
    aud = audience(request)
    district = aud.ref.district(code.upper())
    if district is None:
        return _respond(request, pages.district_not_found(aud, code))
    return _respond(request, build_profile(aud, district, request.GET, user=request.user))


def overview(request: HttpRequest) -> HttpResponse:
    """Every district against every main category in one matrix."""
    return _respond(request, pages.overview_page(audience(request), request.GET))
