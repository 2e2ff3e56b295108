"""The SPC chart page, assembled for its view: the chart for this reader, its latest point, its summary
(generated, or an officer's edit), and what the reader may change.

Queries: those of ``spc_chart``, the reader's roles (once per request), the
summary's edit (1) and, for signed-in staff, the step-change history (1).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse

from assessments.commentary.edits import resolve_commentary
from assessments.commentary.keys import spc_key
from assessments.spc.chart import COMMON, SpcChart, SpcOptions, embed_context, spc_chart
from assessments.spc.series import GRAINS, MONTH, QUARTER, default_grain, grains_for
from assessments.spc.step_changes import step_change_history
from assessments.spc.summary import chart_summary, default_chart
from assessments.wording import format_count, format_rate
from crimedata import roles
from crimedata.periods import format_month
from crimedata.selectors import CategoryInfo, DistrictInfo, ReferenceData


def series_or_404(ref: ReferenceData, code: str, slug: str) -> tuple[DistrictInfo, CategoryInfo]:
    """The district and category a chart's URL names (404 when either is unknown)."""
    district, category = ref.district(code), ref.category(slug)
    if district is None or category is None:
        raise Http404("There is no such district or category.")
    return district, category


def chart_url(district: DistrictInfo, category: CategoryInfo, options: SpcOptions, anchor: str = "") -> str:
    url = reverse("spc-chart", args=[district.code, category.slug])
    return f"{url}?{urlencode(options.query())}{anchor}"


def grain_choices(category: CategoryInfo) -> list[tuple[str, str, bool]]:
    """(grain, label, available) for the page's radios: quarterly categories cannot be drawn by month."""
    return [(g, GRAINS[g], g in grains_for(category)) for g in (MONTH, QUARTER)]


def latest_point(chart: SpcChart) -> dict:
    """The latest point, its variation and the limits it is judged against, as the page prints them."""
    latest = chart.latest
    segment = chart.latest_segment
    if latest is None or segment is None or chart.withheld:
        return {}
    return {
        "label": latest["label"],
        "value": format_count(latest["value"]) or "",
        "provisional": bool(latest["provisional"]),
        "variation": latest["variation"],
        "variation_text": latest["variation_text"],
        "rule_text": latest["rule_text"] if latest["variation"] != COMMON else None,
        "mean": format_rate(segment.mean) or "",
        "upl": format_rate(segment.upl) or "",
        "lpl": format_rate(max(segment.lpl, 0.0)) or "",
        "lpl_clamped": segment.lpl < 0,
        "since": chart.columns["label"][segment.start],
    }


def options_page(district: DistrictInfo, category: CategoryInfo) -> dict:
    """The page when the chart options cannot be used: the options form only, no chart."""
    return {
        "page_title": f"{category.name} in {district.name}: SPC chart",
        "district": district,
        "category": category,
        "chart": None,
        "grains": grain_choices(category),
        "options": SpcOptions(grain=default_grain(category)),
    }


def chart_page(
    *, user, ref: ReferenceData, generation: int, district: DistrictInfo, category: CategoryInfo,
    options: SpcOptions,
) -> dict:
    """Everything templates/assessments/spc/chart.html shows, except the forms (the view's)."""
    chart = spc_chart(district.code, category.slug, options, user=user, ref=ref, generation=generation)
    signed_in_staff = roles.can_see_provisional(user) and user.is_authenticated
    visible = chart.has_data and not chart.withheld
    commentary = None
    if visible:
        # The summary always describes the standard chart, whatever options this reader chose.
        commentary = resolve_commentary(
            spc_key(district.code, category.slug, options.grain), chart_summary(default_chart(chart)), user=user
        )
    return {
        **options_page(district, category),
        **embed_context(chart, "spc-chart"),
        "visible": visible,
        "options": options,
        "summary": latest_point(chart),
        "commentary": commentary,
        "can_edit": roles.can_edit_district_texts(user, district.id),
        "signed_in_staff": signed_in_staff,
        "history": step_change_history(district, category) if signed_in_staff else [],
        "suggested_month": (
            format_month(chart.suggested_step_change) if chart.suggested_step_change is not None else None
        ),
        "grain_query": urlencode({"grain": options.grain}),
        "run_length": chart.run_length,
        "trend_length": chart.trend_length,
    }
