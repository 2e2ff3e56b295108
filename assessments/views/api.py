"""The open-data API and its documentation page.

The answers are assembled in ``assessments.comparison.api`` (which also states
the contract); these views send them as JSON or CSV.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from assessments import exports
from assessments.comparison.api import Answer, comparison_answer, district_summary_answer
from assessments.selection import audience
from crimedata.periods import format_month


def _send(answer: Answer) -> HttpResponse:
    if answer.csv_rows is not None:
        return exports.download(answer.csv_rows, fmt="csv", filename=answer.filename)
    return JsonResponse(answer.payload, status=answer.status)


@require_GET
def comparison_api(request: HttpRequest) -> HttpResponse:
    return _send(comparison_answer(audience(request), request.GET))


@require_GET
def district_summary_api(request: HttpRequest, code: str) -> HttpResponse:
    return _send(district_summary_answer(audience(request), code, request.GET))


def api_docs(request: HttpRequest) -> HttpResponse:
    """The API documentation page, with working example links for the latest month this visitor can see."""
    aud = audience(request)
    end = format_month(aud.months.last) if not aud.months.empty else None
    comparison = reverse("api-comparison")
    summary = reverse("api-district-summary", args=["E07000116"])
    examples = []
    if end:
        examples = [
            ("All recorded crime in the 12 Kent districts, 12 months to the latest month",
             f"{comparison}?category=all-crime&end={end}"),
            ("The same as CSV", f"{comparison}?category=all-crime&end={end}&format=csv"),
            ("Anti-social behaviour in the 13 Kent and Medway areas, ranked by change",
             f"{comparison}?category=asb-incidents&end={end}&group=kent-and-medway&rank_by=change_pct"),
            ("Violent crime for the latest quarter, per 10,000 residents",
             f"{comparison}?category=violent-crime&end={end}&months=3&base=10000"),
            ("Every category for Tunbridge Wells", f"{summary}?end={end}"),
            ("Every category for Tunbridge Wells, as CSV", f"{summary}?end={end}&format=csv"),
            ("A bad parameter (months=13) returns HTTP 400", f"{comparison}?category=all-crime&end={end}&months=13"),
        ]
    return render(
        request,
        "assessments/api_docs.html",
        {
            "page_title": "Open data API",
            "examples": examples,
            "end": end,
            "first_end": format_month(aud.months.first_end(12)) if not aud.months.empty else None,
            "categories": aud.ref.in_tree_order(),
            "groups": aud.ref.groups,
            "districts": aud.ref.districts,
            "include_provisional": aud.include_provisional,
        },
    )
