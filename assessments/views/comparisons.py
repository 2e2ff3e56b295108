"""Kent-wide comparison pages: one category across districts, the district profile, the overview.

Thin views: read the choices (assessments.pickers), fetch the cached
comparison (assessments.comparison), build tables and charts, render. A bad
parameter gets a GOV.UK error summary and HTTP 400; an unknown category or
district in the path gets a 404 page that says what exists.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_tables2 import RequestConfig

from assessments import charts, exports, profile
from assessments.commentary.edits import resolve_many
from assessments.commentary.keys import crime_types_key, crime_types_text, headline_key, headline_text
from assessments.comparison import FiguresSource, comparison_context, rolling_trend
from assessments.disclosure import PublishedComparison, disclose_trend, sees_true_values
from assessments.spc.summary import KEY_CATEGORIES, variation_summary
from assessments.significance import change_assessment, change_word, row_change_significance
from assessments.statistics.rounding import is_missing
from crimedata import roles
from crimedata.neighbourhoods import neighbourhood_report
from crimedata.policeuk_charts import top_neighbourhoods_chart
from assessments.pickers import (
    FALLBACK_GROUP,
    ParamError,
    Selection,
    check_export,
    parse_district,
    parse_selection,
    with_highlight_in_group,
)
from assessments.statistics.rounding import round_half_up
from assessments.tables import (
    NO_DATA_HTML,
    NOT_PUBLISHED,
    NOT_PUBLISHED_HTML,
    CrimeTypeTable,
    DistrictComparisonTable,
    OverviewTable,
    ProportionTable,
    TrendTable,
    suppressed_html,
)
from assessments.views.common import (
    Audience,
    audience,
    error_summary,
    picker_fields,
    population_notes,
    provisional_note,
    quick_periods,
    years_of,
)
from assessments.wording import (
    areas_phrase,
    change_sentence,
    count_with_noun,
    format_count,
    format_rate,
    group_short_name,
    position_statement,
)
from crimedata.periods import Window, format_month, month_label

DEFAULT_CATEGORY = "all-crime"

# Columns of the Kent overview unless "Every category" is chosen: the headline
# types of the crime-type tables and the other themes an assessment covers.
OVERVIEW_MAIN = (
    "all-crime", "victim-based-crime", "violent-crime", "violence-against-the-person", "sexual-offences", "robbery",
    "burglary-dwelling", "burglary-other", "vehicle-crime", "theft-and-handling", "shoplifting", "criminal-damage",
    "crimes-against-society", "drug-offences", "public-order-offences", "asb-incidents", "domestic-abuse-incidents",
    "hate-crime", "road-casualties", "ksi",
)
# Rolling-year trends need 36 windows of 12 months: 47 months of figures up to the period's end.
TREND_SPAN_MONTHS = 47


def short_span(window: Window) -> str:
    if window.months == 1:
        return month_label(window.end, short=True)
    return f"{month_label(window.start, short=True)} to {month_label(window.end, short=True)}"


def _records(frame) -> list[dict]:
    return profile._records(frame)


def _cached_chart(aud: Audience, parts: tuple, build) -> dict:
    """A chart's figure dict, cached per data generation: plotly validates every property as it
    builds a figure, which costs more than the rest of a warm page."""
    key = ":".join(str(p) for p in (aud.generation, int(aud.include_provisional), aud.disclosure, *parts))
    key = "chart:v1:" + (key if len(key) < 150 else hashlib.sha1(key.encode()).hexdigest())
    figure = cache.get(key)
    if figure is None:
        figure = build()
        cache.set(key, figure, settings.COMPARISON_CACHE_SECONDS)
    return figure


def _bar_chart(aud: Audience, published: PublishedComparison, rows: list[dict], highlight: str | None,
               group_label: str) -> dict:
    result = published.comparison
    window = result.window
    label = f"{_confidence_label(published.confidence)} confidence interval"
    return _cached_chart(
        aud, ("bar", result.category.slug, window.start, window.end, result.group.slug, result.base, highlight,
              published.confidence),
        lambda: charts.comparison_bar(
            _rows_for_chart(rows, result.category.polarity),
            title=f"{result.category.name} per {result.base:,} residents, {window.span_label}",
            axis_title=f"Rate per {result.base:,} residents",
            group_label=group_label,
            group_rate=published.total.get("rate"),
            highlight=highlight,
            interval_label=label,
        ),
    )


def _confidence_label(confidence: float) -> str:
    return "99.8%" if confidence == 0.998 else "95%"


def _published(aud: Audience, ctx, slug: str, *, rank_by: str = "rate", base: int | None = None,
               confidence: float = 0.95) -> tuple[PublishedComparison, list[dict]]:
    """The comparison with its statistics and suppression for this audience (cached), and its rows for tables."""
    published = ctx.published(slug, aud.disclosure, rank_by=rank_by, base=base, confidence=confidence)
    return published, _table_rows(published)


def _table_rows(published: PublishedComparison) -> list[dict]:
    rows = [dict(r) for r in published.records]
    for row in rows:
        row["polarity"] = published.comparison.category.polarity
        if row.get("count_display"):
            row["rate_text"] = "not published"
    return rows


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context, status=status)


def _not_found(request: HttpRequest, title: str, message: str, links: list[tuple[str, str]]) -> HttpResponse:
    return render(
        request,
        "assessments/not_found.html",
        {"page_title": title, "message": message, "links": links},
        status=404,
    )


def _base_context(request, aud: Audience, selection: Selection | None, errors: list[ParamError], *, fields,
                  path: str, title: str, category: str | None = None, district: str | None = None,
                  keep: dict | None = None) -> dict:
    keep = dict(keep or {})
    if selection is not None:
        keep.setdefault("group", selection.group.slug)
    return {
        "page_title": title,
        "selection": selection,
        "errors": error_summary(errors, fields),
        "fields": picker_fields(fields, selection, aud, errors, category=category, district=district),
        "periods": quick_periods(aud, selection, path, keep),
        "no_data": aud.months.empty,
        "include_provisional": aud.include_provisional,
        "provisional_note": provisional_note(aud),
        "window": selection.window if selection else None,
        "query": selection.query() if selection else "",
        "data_last": month_label(aud.months.last) if not aud.months.empty else None,
    }


def _nav(selection: Selection, *, category: str = DEFAULT_CATEGORY, district: str | None = None) -> dict:
    """Links to the three pages with the same window and group."""
    query = selection.query()
    links = {
        "comparison": reverse("comparison-category", args=[category]) + query,
        "overview": reverse("overview") + query,
        "districts": reverse("district-index") + query,
    }
    if district:
        links["profile"] = reverse("district-profile", args=[district]) + query
    return links


def _export_links(selection: Selection, request: HttpRequest, table: str) -> dict:
    params = request.GET.copy()
    params["_table"] = table
    links = {}
    for fmt in ("csv", "xlsx"):
        params["_export"] = fmt
        links[fmt] = "?" + params.urlencode()
    return links


def _filename(*parts: str) -> str:
    return "-".join(p for p in parts if p).replace(" ", "-").lower()


def _rows_for_chart(rows: list[dict], polarity: str) -> list[dict]:
    """Districts in order of rate, position 1 first (highest first only where higher is better)."""
    present = sorted((r for r in rows if r.get("rate") is not None), key=lambda r: r["name"])
    present.sort(key=lambda r: r["rate"], reverse=polarity == "higher")
    absent = sorted((r for r in rows if r.get("rate") is None), key=lambda r: r["name"])
    return present + absent


def _comparison_table(published: PublishedComparison, rows, selection: Selection, *, caption: str,
                      caption_hint: str = "", exclude=(), order_by=None, prefix: str | None = None
                      ) -> DistrictComparisonTable:
    comparison = published.comparison
    window, previous = comparison.window, comparison.previous_window
    exclude = tuple(exclude)
    if comparison.rank_by != "rate":
        exclude += ("previous_rank_label",)
    if not (sees_true_values(published.audience) and comparison.category.suppress_below):
        # Only analysts see true values behind suppressed ones; for them the download says which.
        exclude += ("suppressed_in_public",)
    table = DistrictComparisonTable(
        rows, caption=caption, caption_hint=caption_hint, link_query=selection.query(), exclude=exclude,
        order_by=order_by, prefix=prefix,
    )
    base = f"{comparison.base:,}"
    level = _confidence_label(published.confidence)
    area = group_short_name(comparison.group.name)
    table.set_header("count", f"Number, {short_span(window)}")
    table.set_header("previous_count", f"Number, {short_span(previous)}")
    table.set_header("rate", f"Rate per {base} residents")
    table.set_header("rate_interval", f"{level} confidence interval")
    table.set_header("vs_group", f"Compared with {area}")
    table.set_header("previous_rate", f"Rate per {base}, {short_span(previous)}")
    table.set_header("rate_lower", f"Rate, lower {level} confidence limit")
    table.set_header("rate_upper", f"Rate, upper {level} confidence limit")
    table.set_header("change_significance", f"Change significance ({level})")
    by = {"rate": "by rate", "count": "by number", "change_pct": "by change %"}[comparison.rank_by]
    table.set_header("rank_label", f"County position ({by})")
    table.add_total(published.total, label=f"{comparison.group.name} total", polarity=comparison.category.polarity,
                    group_area=area)
    return table


def significance_notes(published: PublishedComparison) -> list[str]:
    """How to read the significance columns (methods.md §2 and §3), for under the table and in downloads."""
    level = _confidence_label(published.confidence)
    p = "0.002" if published.confidence == 0.998 else "0.05"
    area = group_short_name(published.comparison.group.name)
    judged = published.comparison.category.polarity != "none"
    notes = [
        f"{level} confidence intervals use Byar's method, or the exact Poisson method for counts under 10 "
        "(as Public Health England's Fingertips does).",
        f"Compared with {area}: a district is {'significantly better or worse' if judged else 'significantly higher or lower'} "
        f"when the {area} rate lies outside its {level} confidence interval, and similar when it lies inside"
        + ("" if judged else "; neither direction is judged better for this category") + ".",
        f"A change is statistically significant when an exact test of the two counts, allowing for the change in "
        f"population, gives p < {p}. Overlapping intervals do not mean there was no significant change: the test "
        "of the change is more sensitive than comparing two intervals.",
    ]
    if published.note:
        notes.append(published.note)
    return notes


# --- Comparison page -----------------------------------------------------------------------------

COMPARISON_FIELDS = ("category", "end", "months", "group", "rank_by", "highlight", "confidence")


def comparison_start(request: HttpRequest) -> HttpResponse:
    """/compare/: go to the chosen (or default) category's page, keeping the other choices."""
    params = request.GET.copy()
    slug = (params.pop("category", [None])[-1] or "").strip().lower() or DEFAULT_CATEGORY
    aud = audience(request)
    if aud.ref.category(slug) is None:
        selection, errors = parse_selection(params, aud.ref, aud.months, accept=("rank_by", "highlight", "confidence"))
        errors.insert(0, ParamError("category", "category must be one of the categories in the list", [
            c.slug for c in aud.ref.categories], slug))
        context = _base_context(request, aud, selection, errors, fields=COMPARISON_FIELDS, path=request.path,
                                title="Compare districts", category=DEFAULT_CATEGORY)
        return _render(request, "assessments/comparison.html", context, status=400)
    target = reverse("comparison-category", args=[slug])
    return redirect(target + ("?" + params.urlencode() if params else ""))


def comparison(request: HttpRequest, category: str) -> HttpResponse:
    aud = audience(request)
    info = aud.ref.category(category)
    if info is None:
        return _not_found(
            request, "Category not found", f"There is no category called \u201c{category}\u201d.",
            [(reverse("comparison-category", args=[c.slug]), c.name) for c in aud.ref.in_tree_order()],
        )
    selection, errors = parse_selection(request.GET, aud.ref, aud.months,
                                        accept=("rank_by", "highlight", "base", "confidence"))
    export_format, _ = check_export(request.GET, errors, ("comparison",))
    title = f"{info.name}: compare districts"
    path = reverse("comparison-category", args=[info.slug])
    keep = {k: v for k, v in request.GET.items() if k in ("group", "rank_by", "highlight", "base", "confidence")}
    context = _base_context(request, aud, selection, errors, fields=COMPARISON_FIELDS, path=path, title=title,
                            category=info.slug, keep=keep)
    # A rate base other than the category's (say per 10,000) has no select box; keep it when the form is used.
    base = selection.base if selection is not None else None
    context.update(category=info, form_action=reverse("comparison"),
                   hidden=[("base", base)] if base and base != info.rate_base else [])
    if errors:
        return _render(request, "assessments/comparison.html", context, status=400)
    if selection is None:
        return _render(request, "assessments/comparison.html", context)
    selection = with_highlight_in_group(selection)
    ctx = comparison_context(selection.window, selection.group.slug, include_provisional=aud.include_provisional,
                             ref=aud.ref, generation=aud.generation)
    # Intervals, significance and suppression are pure functions of the comparison: no more queries.
    published, rows = _published(aud, ctx, info.slug, rank_by=selection.rank_by, base=selection.base,
                                 confidence=selection.confidence)
    result = published.comparison
    highlight = selection.highlight.code if selection.highlight else None
    for row in rows:
        row["highlight"] = row["district"] == highlight
    ranked = published.ranked
    statement = position_statement(rank_by=selection.rank_by, polarity=info.polarity, ranked=ranked,
                                   group_name=selection.group.name, base=result.base)
    table = _comparison_table(
        published, rows, selection,
        caption=f"{info.name}, {selection.window.span_label}: {selection.group.name}", caption_hint=statement,
    )
    RequestConfig(request, paginate=False).configure(table)
    notes = significance_notes(published)
    if export_format:
        return exports.download(
            exports.table_rows(table, [published.note]), fmt=export_format, title=info.name,
            filename=_filename(info.slug, selection.group.slug, format_month(selection.end), f"{selection.months}m"),
        )
    group_label = f"{group_short_name(selection.group.name)} average"
    figure = _bar_chart(aud, published, rows, highlight, group_label)
    context.update(
        selection=selection,
        comparison=result,
        published=published,
        table=table,
        figure=figure,
        chart_caption=_chart_caption(published, rows, highlight, group_label),
        position_statement=statement,
        group_summary=_group_summary(published),
        significance_notes=notes[:-1] if published.note else notes,
        suppression_note=published.note,
        total_notes=profile.total_missing_note(result.total, selection.group.name),
        population_notes=population_notes(
            aud, years_now=years_of(result.rows.loc[result.rows["count"].notna(), "population_year"]),
            years_before=years_of(result.rows.loc[result.rows["previous_count"].notna(), "previous_population_year"]),
            wanted_now=selection.window.population_year(),
            wanted_before=selection.window.previous_year().population_year(),
            districts=selection.group.district_codes,
        ),
        sources=[info.source],
        warnings=_warnings(result, ctx.ref),
        export_links=_export_links(selection, request, "comparison"),
        nav=_nav(selection, category=info.slug, district=highlight),
        notices=selection.notices,
    )
    return _render(request, "assessments/comparison.html", context)


def _group_summary(published: PublishedComparison) -> str:
    """'Kent (12 KCC districts): 99,875 crimes, 65.6 per 1,000 residents (95% confidence interval 65.2 to 66.0).
    An increase of ... on a year earlier, a statistically significant rise.'"""
    result = published.comparison
    total, category = published.total, result.category
    if total.get("count_display"):
        return (f"{result.group.name}: the total is not published, so that small numbers in the table cannot be "
                "worked out from it.")
    level = count_with_noun(total.get("count"), category.slug, category.family)
    if level is None:
        return f"{result.group.name}: no data for this period."
    text = f"{result.group.name}: {level}"
    if total.get("rate") is not None:
        text += f", {format_rate(total['rate'])} per {result.base:,} residents"
        if total.get("rate_lower") is not None:
            text += (f" ({_confidence_label(published.confidence)} confidence interval "
                     f"{format_rate(total['rate_lower'])} to {format_rate(total['rate_upper'])})")
    text += "."
    if total.get("change") is not None:
        text += " " + change_sentence(total["change"], total.get("change_pct"), slug=category.slug,
                                      family=category.family)
        if total["change"]:
            text += " on a year earlier"
            word = total.get("change_significance")
            if word == "no significant change":
                text += ", which is no significant change"
            elif word:
                text += f", a statistically {word}"
        text += "."
    elif total.get("previous_count_display"):
        text += " The total a year earlier is not published (small numbers)."
    return text


def _chart_caption(published: PublishedComparison, rows, highlight, group_label) -> str:
    result = published.comparison
    text = (f"{result.category.name} per {result.base:,} residents in each district of {result.group.name}, "
            f"{result.window.span_label}, with the {group_label} as a dashed line and each district's "
            f"{_confidence_label(published.confidence)} confidence interval as a line across the end of its bar")
    if highlight:
        match = next((r for r in rows if r["district"] == highlight), None)
        if match:
            text += f"; {match['name']} is highlighted with a hatched, outlined bar"
    return text + "."


def _warnings(result, ref) -> list[str]:
    names = {d.code: d.name for d in ref.districts}
    out = []
    for row in result.warnings.itertuples(index=False):
        when = "this period" if row.window == 0 else "a year earlier"
        out.append(
            f"{names.get(row.district, row.district)}, {when}: the stored figure ({row.direct_value:,}) differs from "
            f"the sum of its parts ({row.children_value:,}); the stored figure is used."
        )
    return out


# --- District index ------------------------------------------------------------------------------

INDEX_FIELDS = ("end", "months", "group")


def district_index(request: HttpRequest) -> HttpResponse:
    aud = audience(request)
    if request.GET.get("district"):
        errors: list[ParamError] = []
        chosen = parse_district(request.GET, "district", aud.ref, errors)
        if chosen is not None:
            params = request.GET.copy()
            params.pop("district")
            target = reverse("district-profile", args=[chosen.code])
            return redirect(target + ("?" + params.urlencode() if params else ""))
    else:
        errors = []
    selection, more = parse_selection(request.GET, aud.ref, aud.months)
    errors += more
    export_format, _ = check_export(request.GET, errors, ("districts",))
    keep = {k: v for k, v in request.GET.items() if k == "group"}
    context = _base_context(request, aud, selection, errors, fields=INDEX_FIELDS, path=reverse("district-index"),
                            title="District profiles", keep=keep)
    context["form_action"] = reverse("district-index")
    if errors:
        return _render(request, "assessments/district_index.html", context, status=400)
    if selection is None:
        return _render(request, "assessments/district_index.html", context)
    ctx = comparison_context(selection.window, selection.group.slug, include_provisional=aud.include_provisional,
                             ref=aud.ref, generation=aud.generation)
    published, rows = _published(aud, ctx, DEFAULT_CATEGORY)
    result = published.comparison
    table = _comparison_table(
        published, rows, selection,
        caption=f"{result.category.name} by district, {selection.window.span_label}",
        caption_hint=position_statement(rank_by="rate", polarity=result.category.polarity,
                                        ranked=published.ranked, group_name=selection.group.name,
                                        base=result.base),
        exclude=("previous_rate", "previous_rank_label"),
    )
    RequestConfig(request, paginate=False).configure(table)
    notes = significance_notes(published)
    if export_format:
        return exports.download(
            exports.table_rows(table, [published.note]), fmt=export_format, title="Districts",
            filename=_filename("districts", selection.group.slug, format_month(selection.end), f"{selection.months}m"),
        )
    others = [d for d in aud.ref.districts if d.code not in selection.group.district_codes]
    context.update(
        table=table,
        comparison=result,
        significance_notes=notes[:-1] if published.note else notes,
        suppression_note=published.note,
        other_districts=[(d, reverse("district-profile", args=[d.code])) for d in others],
        export_links=_export_links(selection, request, "districts"),
        nav=_nav(selection),
        total_notes=profile.total_missing_note(result.total, selection.group.name),
        population_notes=population_notes(
            aud, years_now=years_of(result.rows.loc[result.rows["count"].notna(), "population_year"]),
            years_before=[], wanted_now=selection.window.population_year(),
            wanted_before=selection.window.previous_year().population_year(),
            districts=selection.group.district_codes,
        ),
        sources=[result.category.source],
    )
    return _render(request, "assessments/district_index.html", context)


# --- District profile ----------------------------------------------------------------------------

PROFILE_FIELDS = ("district", "end", "months", "group", "trend", "neighbourhoods")
PROFILE_TABLES = ("crime-types", "proportions", "trend", "kent-comparison")


def _crime_types(aud: Audience, ctx, district) -> list[dict]:
    """The profile's crime-type rows with each change's exact test, cached per data generation (the ~50
    binomial tests cost more than the rest of a warm profile)."""
    key = (f"profile-types:v1:{aud.generation}:{int(aud.include_provisional)}:{ctx.window.start}.{ctx.window.end}:"
           f"{ctx.group.slug}:{district.code}")
    rows = cache.get(key)
    if rows is None:
        rows = profile.crime_type_rows(ctx.table(), district.code, aud.ref)
        _with_change_tests(rows)
        cache.set(key, rows, settings.COMPARISON_CACHE_SECONDS)
    return [dict(r) for r in rows]


def _with_change_tests(rows: list[dict]) -> None:
    """Add each row's exact change test (methods.md §3) as change_significance/change_assessment (pure)."""
    for row in rows:
        result = row_change_significance(row)
        word = change_word(result)
        row["change_significance"] = word
        row["change_assessment"] = change_assessment(word, row["polarity"])
        row["change_p"] = None if result is None else result.p_exact


_FROM_PUBLISHED = (
    "count", "previous_count", "change", "change_pct", "direction", "rate", "previous_rate", "count_display",
    "previous_count_display", "count_suppressed", "previous_count_suppressed", "suppressed_in_public",
    "change_significance", "change_assessment", "change_p", "previous_rank", "previous_rank_label",
)


def _disclosed_types(rows: list[dict], published: dict[str, PublishedComparison], district: str) -> list[dict]:
    """Crime-type rows with each suppressible category's figures as its published comparison shows them."""
    out = []
    for row in rows:
        chosen = published.get(row["slug"])
        mine = chosen.row(district) if chosen is not None and chosen.comparison.category.suppress_below else None
        if mine is not None:
            row = {**row, **{key: mine.get(key) for key in _FROM_PUBLISHED}}
            row["rank_rate"], row["rank_label_rate"] = mine.get("rank"), mine.get("rank_label")
        out.append(row)
    return out


def _disclosed_shares(shares: profile.Proportions, types: list[dict], hide: bool) -> profile.Proportions:
    """Proportions with hidden counts hidden. A total with a hidden part would give the part away (total
    minus the others), so then the total and every share are withheld too."""
    hidden = {r["slug"]: r for r in types if r.get("count_display")}
    marked = {r["slug"] for r in types if r.get("count_suppressed")}
    if not hidden and not marked:
        return shares
    rows = []
    for row in shares.rows:
        row = dict(row)
        if row["slug"] in hidden:
            row.update(count=None, share=None, count_display=hidden[row["slug"]]["count_display"])
        if row["slug"] in marked:
            row["count_suppressed"] = True
        rows.append(row)
    if hide and hidden:
        for row in rows:
            row.update(share=None, total_display="*")
        return profile.Proportions(base_label=shares.base_label, total=None, rows=rows)
    return profile.Proportions(base_label=shares.base_label, total=shares.total, rows=rows)


def _disclosed_trend(points: list[dict], trend, district: str, aud: Audience) -> list[dict]:
    hidden = disclose_trend(trend.districts, district, suppress_below=trend.category.suppress_below,
                            audience=aud.disclosure)
    if not hidden:
        return points
    out = []
    for point in points:
        found = hidden.get(point["end"])
        if found:
            point = dict(point, count_suppressed=found["count_suppressed"])
            if found["count_display"]:
                point.update(count=None, rate=None, count_display=found["count_display"])
            if found["group_count_display"]:
                point.update(group_rate=None, group_count_display=found["group_count_display"])
        out.append(point)
    return out


def _neighbourhoods(aud: Audience, district, selection: Selection, table) -> dict:
    """The profile's top neighbourhoods section: the report when police.uk data covers the whole period.

    Whether it does is read from the comparison the page already has (a police.uk
    category has a figure for the period only when every month is loaded), so
    a period without data costs no query; one with data costs the report's two.
    """
    category = selection.neighbourhoods
    if category is None:
        return {}
    url = reverse("district-neighbourhoods", args=[district.code]) + "?" + urlencode(
        {"category": category.slug, "end": format_month(selection.end), "months": selection.months})
    rows = table.rows[(table.rows["category"] == category.slug) & (table.rows["district"] == district.code)]
    loaded = not rows.empty and not is_missing(rows["count"].iloc[0])
    context = {"neighbourhoods_category": category, "neighbourhoods_url": url, "neighbourhoods_loaded": loaded}
    if loaded:
        window = selection.window
        report = neighbourhood_report(aud.ref, district, category, window,
                                      loaded=list(range(window.start, window.end + 1)))
        context.update(neighbourhoods=report,
                       neighbourhoods_chart=top_neighbourhoods_chart(report) if report.available else None)
    return context


def has_figures(row: dict) -> bool:
    return any(row.get(k) is not None for k in ("count", "previous_count", "count_display", "previous_count_display"))


def texts_published(aud: Audience, ctx, published: dict[str, PublishedComparison],
                    slugs) -> dict[str, PublishedComparison]:
    """The comparisons commentary is written from: the page's own, except that an analyst's true small numbers
    are replaced by what partners see (crimedata.roles.commentary_view)."""
    text_aud = roles.commentary_view(aud.disclosure)
    out = dict(published)
    if text_aud != aud.disclosure:
        for slug in slugs:
            category = aud.ref.category(slug)
            if category is not None and category.suppress_below:
                out[slug] = ctx.published(slug, text_aud)
    return out


def _crime_types_text(aud: Audience, all_types: list[dict], for_text: dict[str, PublishedComparison], district,
                      selection: Selection):
    rows = [r for r in _disclosed_types(all_types, for_text, district.code) if has_figures(r)]
    return crime_types_text(rows, district_name=district.name, window=selection.window, ref=aud.ref)


def profile_text(aud: Audience, district, selection: Selection, part: str):
    """(key, generated text) of one of the profile's texts ("crime-types" or "headline-<slug>"), exactly as the
    profile writes it; None for a part the profile does not have. No queries beyond the comparison's."""
    ctx = comparison_context(selection.window, selection.group.slug, include_provisional=aud.include_provisional,
                             ref=aud.ref, generation=aud.generation)
    suppressible = [c.slug for c in aud.ref.categories if c.suppress_below]
    if part == "crime-types":
        published = {slug: _published(aud, ctx, slug)[0] for slug in suppressible}
        all_types = _crime_types(aud, ctx, district)
        for_text = texts_published(aud, ctx, published, suppressible)
        return (crime_types_key(district.code, selection.window, selection.group.slug),
                _crime_types_text(aud, all_types, for_text, district, selection))
    slug = part.removeprefix("headline-")
    if not part.startswith("headline-") or slug not in profile.KEY_THEMES or aud.ref.category(slug) is None:
        return None
    if slug not in set(ctx.table().rows["category"]):
        return None
    chosen = texts_published(aud, ctx, {slug: _published(aud, ctx, slug)[0]}, [slug])[slug]
    return (headline_key(district.code, slug, selection.window, selection.group.slug),
            headline_text(chosen, district_code=district.code, district_name=district.name))


def district_profile(request: HttpRequest, code: str) -> HttpResponse:
    aud = audience(request)
    district = aud.ref.district(code.upper())
    if district is None:
        return _not_found(
            request, "District not found", f"There is no district with the ONS code \u201c{code}\u201d.",
            [(reverse("district-profile", args=[d.code]), d.name) for d in aud.ref.districts],
        )
    default_group = "kent" if district.in_kcc_area else FALLBACK_GROUP
    selection, errors = parse_selection(request.GET, aud.ref, aud.months, default_group=default_group,
                                        accept=("trend", "neighbourhoods"))
    if selection is not None and district.code not in selection.group.district_codes:
        allowed = [g.slug for g in aud.ref.groups if district.code in g.district_codes]
        errors.append(ParamError(
            "group", f"group must be a group that includes {district.name}: {', '.join(allowed)}", allowed,
            selection.group.slug,
        ))
    export_format, export_table = check_export(request.GET, errors, PROFILE_TABLES)
    path = reverse("district-profile", args=[district.code])
    keep = {k: v for k, v in request.GET.items() if k in ("group", "trend", "neighbourhoods")}
    context = _base_context(request, aud, selection, errors, fields=PROFILE_FIELDS, path=path,
                            title=f"{district.name}: district profile", district=district.code, keep=keep)
    context.update(district=district, form_action=reverse("district-index"))
    if errors:
        return _render(request, "assessments/district_profile.html", context, status=400)
    if selection is None:
        return _render(request, "assessments/district_profile.html", context)

    # One figures query on a cold cache: the trend's 47 months for every district, and the district's whole
    # history up to the period's end for its SPC charts.
    source = FiguresSource(aud.ref, selection.end - TREND_SPAN_MONTHS + 1, selection.end,
                           include_provisional=aud.include_provisional, history_for=district.code)
    ctx = comparison_context(selection.window, selection.group.slug, include_provisional=aud.include_provisional,
                             ref=aud.ref, generation=aud.generation, source=source)
    table = ctx.table()
    query = selection.query()
    trend_category = selection.trend or aud.ref.category(DEFAULT_CATEGORY)
    hide = not sees_true_values(aud.disclosure)

    # Statistics and suppression for the key themes, every category with small-number suppression and all
    # crime: pure functions of the cached comparison, no queries. Commentary is written from the partners'
    # view (crimedata.roles.commentary_view), which differs from this one only for analysts.
    themes = [slug for slug in profile.KEY_THEMES if aud.ref.category(slug) is not None]
    suppressible = [c.slug for c in aud.ref.categories if c.suppress_below]
    published: dict[str, PublishedComparison] = {}
    for slug in dict.fromkeys([*themes, *suppressible, DEFAULT_CATEGORY]):
        if aud.ref.category(slug) is not None:
            published[slug] = _published(aud, ctx, slug)[0]
    for_text = texts_published(aud, ctx, published, suppressible)

    all_types = _crime_types(aud, ctx, district)
    shown_types = _disclosed_types(all_types, published, district.code)
    # Categories with no figure in either year (police.uk types before any upload, say) would only add
    # rows of "no data"; they are named under the table instead.
    type_rows = [r for r in shown_types if has_figures(r)]
    empty_types = [r["category"] for r in shown_types if not has_figures(r)]
    for row in type_rows:
        row["url"] = reverse("comparison-category", args=[row["slug"]]) + selection.query(highlight=district.code)
    types_table = CrimeTypeTable(
        type_rows, caption=f"Crime and disorder types in {district.name}",
        caption_hint=f"This year: {selection.window.span_label}. Last year: "
                     f"{selection.window.previous_year().span_label}. County position by rate among the "
                     f"{areas_phrase(len(selection.group.district_codes), selection.group.name)}; 1 = best "
                     "(lowest first where neither direction is better).",
        prefix="types-",
    )
    RequestConfig(request, paginate=False).configure(types_table)
    suppression_notes = [p.note for slug, p in published.items() if p.note and slug in suppressible]
    types_notes = [*suppression_notes, "The direction column says whether each change is statistically "
                   "significant: an exact test of the two counts, allowing for the change in population, gives "
                   "p < 0.05."]

    shares = _disclosed_shares(profile.proportions(table, district.code, aud.ref), shown_types, hide)
    shares_table = ProportionTable(
        shares.rows, caption=f"Proportionality: each type's share of {shares.base_label}",
        caption_hint=(f"Total: {shares.total:,}" if shares.total is not None else
                      "The total is not published: small numbers" if any(r.get("total_display")
                                                                          for r in shares.rows)
                      else "No total for this period"),
        prefix="shares-",
    )
    RequestConfig(request, paginate=False).configure(shares_table)

    trend = rolling_trend(aud.ref, trend_category.slug, selection.end, selection.group,
                          include_provisional=aud.include_provisional, generation=aud.generation, source=source)
    points = _disclosed_trend(profile.trend_rows(trend, district.code), trend, district.code, aud)
    group_label = f"{group_short_name(selection.group.name)} average"
    trend_table = TrendTable(
        points, caption=f"{trend_category.name} per {trend.base:,} residents, rolling 12 months",
        caption_hint=f"{district.name} and the {group_label} ({selection.group.name}), "
                     f"12 months ending each month from {month_label(trend.windows[0].end)} to "
                     f"{month_label(trend.windows[-1].end)}.",
        prefix="trend-",
    )
    trend_table.set_header("count", f"{district.name}: number")
    trend_table.set_header("rate", f"{district.name}: rate per {trend.base:,}")
    trend_table.set_header("group_rate", f"{group_label}: rate per {trend.base:,}")
    RequestConfig(request, paginate=False).configure(trend_table)
    trend_note = published[trend_category.slug].note if trend_category.slug in published else None

    all_crime = published[DEFAULT_CATEGORY]
    kent_rows = [dict(r, highlight=r["district"] == district.code) for r in _table_rows(all_crime)]
    kent_table = _comparison_table(
        all_crime, kent_rows, selection,
        caption=f"{all_crime.comparison.category.name} by district, {selection.window.span_label}",
        caption_hint=position_statement(rank_by="rate", polarity=all_crime.comparison.category.polarity,
                                        ranked=all_crime.ranked, group_name=selection.group.name,
                                        base=all_crime.comparison.base),
        exclude=("previous_count", "change", "direction", "previous_rate", "previous_rank_label"),
        prefix="kent-",
    )
    RequestConfig(request, paginate=False).configure(kent_table)

    if export_format:
        chosen, notes = {
            "crime-types": (types_table, suppression_notes),
            "proportions": (shares_table, suppression_notes),
            "trend": (trend_table, [trend_note]),
            "kent-comparison": (kent_table, [all_crime.note]),
        }[export_table]
        return exports.download(
            exports.table_rows(chosen, notes), fmt=export_format, title=f"{district.name} {export_table}",
            filename=_filename(district.slug, export_table, selection.group.slug, format_month(selection.end),
                               f"{selection.months}m"),
        )

    # Generated commentary: a sentence per headline box and a paragraph for the crime-type table, with any
    # officer's edit in their place (one query for them all).
    boxes = profile.headlines(table, district.code, aud.ref, published=published)
    texts = {
        headline_key(district.code, h.category.slug, selection.window, selection.group.slug): headline_text(
            for_text[h.category.slug], district_code=district.code, district_name=district.name)
        for h in boxes
    }
    types_key = crime_types_key(district.code, selection.window, selection.group.slug)
    texts[types_key] = _crime_types_text(aud, all_types, for_text, district, selection)
    resolved = resolve_many(texts, user=request.user)
    can_edit_text = request.user.is_authenticated and roles.can_edit_district(request.user, district.id)
    edit_query = urlencode({"end": format_month(selection.end), "months": selection.months,
                            "group": selection.group.slug})

    def edit_url(part: str) -> str | None:
        if not can_edit_text:
            return None
        return reverse("profile-commentary", args=[district.code, part]) + "?" + edit_query

    boxes = [
        replace(h, commentary=resolved[headline_key(district.code, h.category.slug, selection.window,
                                                    selection.group.slug)],
                edit_url=edit_url(f"headline-{h.category.slug}"))
        for h in boxes
    ]

    trend_figure = _cached_chart(
        aud, ("trend", trend_category.slug, selection.end, selection.group.slug, district.code),
        lambda: charts.trend_lines(
            [p["end"] for p in points], [p["rate"] for p in points], [p["group_rate"] for p in points],
            district_name=district.name, group_label=group_label,
            title=f"{trend_category.name} per {trend.base:,} residents, rolling 12 months",
            axis_title=f"Rate per {trend.base:,} residents",
        ),
    )
    kent_figure = _bar_chart(aud, all_crime, kent_rows, district.code, group_label)
    group_gaps = sorted({name for p in points for name in p["group_missing"]})
    sources = sorted({c.source for c in aud.ref.categories if c.slug in {r["slug"] for r in type_rows}})
    spc_rows = variation_summary(district.code, KEY_CATEGORIES, user=request.user, ref=aud.ref,
                                     generation=aud.generation, history=source.history, last_month=selection.end)
    context.update(
        selection=selection,
        headlines=boxes,
        types_table=types_table,
        types_notes=types_notes,
        types_commentary=resolved[types_key],
        types_commentary_url=edit_url("crime-types"),
        shares_table=shares_table,
        shares=shares,
        trend_table=trend_table,
        trend_figure=trend_figure,
        trend_category=trend_category,
        trend_note=trend_note,
        trend_span=f"{month_label(trend.windows[0].end)} to {month_label(trend.windows[-1].end)}",
        trend_gaps=group_gaps,
        kent_table=kent_table,
        kent_figure=kent_figure,
        kent_notes=significance_notes(all_crime),
        all_crime=all_crime.comparison,
        group_label=group_label,
        export={name.replace("-", "_"): _export_links(selection, request, name) for name in PROFILE_TABLES},
        kent_caption=_chart_caption(all_crime, kent_rows, district.code, group_label),
        trend_caption=(f"{trend_category.name} per {trend.base:,} residents in {district.name} (solid line, round "
                       f"markers) and the {group_label} (dashed line, square markers), rolling 12 months "
                       f"ending {month_label(trend.windows[0].end)} to {month_label(trend.windows[-1].end)}."),
        trend_base=f"{trend.base:,}",
        shares_total=format_count(shares.total),
        nav=_nav(selection),
        group_short=group_short_name(selection.group.name),
        empty_types=empty_types,
        comparison_link=reverse("comparison-category", args=[DEFAULT_CATEGORY])
        + selection.query(highlight=district.code),
        population_notes=population_notes(
            aud, years_now=years_of(table.rows.loc[table.rows["count"].notna(), "population_year"]),
            years_before=years_of(table.rows.loc[table.rows["previous_count"].notna(), "previous_population_year"]),
            wanted_now=selection.window.population_year(),
            wanted_before=selection.window.previous_year().population_year(),
            districts=selection.group.district_codes,
        ),
        sources=sources,
        query=query,
        spc_summary=spc_rows,
        **_neighbourhoods(aud, district, selection, table),
    )
    return _render(request, "assessments/district_profile.html", context)


# --- Kent overview -------------------------------------------------------------------------------

OVERVIEW_FIELDS = ("end", "months", "group", "view", "show")


def overview(request: HttpRequest) -> HttpResponse:
    aud = audience(request)
    selection, errors = parse_selection(request.GET, aud.ref, aud.months, accept=("view", "show"))
    export_format, _ = check_export(request.GET, errors, ("overview",))
    keep = {k: v for k, v in request.GET.items() if k in ("group", "view", "show")}
    context = _base_context(request, aud, selection, errors, fields=OVERVIEW_FIELDS, path=reverse("overview"),
                            title="Kent overview", keep=keep)
    context["form_action"] = reverse("overview")
    if errors:
        return _render(request, "assessments/overview.html", context, status=400)
    if selection is None:
        return _render(request, "assessments/overview.html", context)
    ctx = comparison_context(selection.window, selection.group.slug, include_provisional=aud.include_provisional,
                             ref=aud.ref, generation=aud.generation)
    table = ctx.table()
    wanted = None if selection.show == "all" else set(OVERVIEW_MAIN)
    categories = [c for c in aud.ref.in_tree_order() if wanted is None or c.slug in wanted]
    rows = table.rows[table.rows["category"].isin([c.slug for c in categories])]
    # Small-number suppression per category, as that category's comparison page shows it.
    disclosed = {c.slug: _published(aud, ctx, c.slug)[0] for c in categories if c.suppress_below}
    records: dict[str, dict] = {}
    for row in _records(rows):
        record = records.setdefault(row["district"], {"district": row["district"], "name": row["name"]})
        slug = row["category"]
        if slug in disclosed:
            mine = disclosed[slug].row(row["district"]) or {}
            row = {**row, "count": mine.get("count"), "rate": mine.get("rate")}
            record[f"{slug}__count_display"] = mine.get("count_display")
            record[f"{slug}__suppressed"] = mine.get("count_suppressed") is not None
        record[slug] = row["rate"] if selection.view == "rate" else row["count"]
        record[f"{slug}__count"] = row["count"]
        record[f"{slug}__rate"] = row["rate"]
        record[f"{slug}__base"] = row["base"]
        record[f"{slug}__provisional"] = bool(row["provisional"])
    what = "rates per residents" if selection.view == "rate" else "numbers recorded"
    matrix = OverviewTable(
        list(records.values()), categories=categories, view=selection.view, link_query=selection.query(),
        caption=f"{selection.group.name}: {what}, {selection.window.span_label}",
        caption_hint=("Each rate is per 1,000 residents unless its column says otherwise; the number recorded "
                      "is in each cell's tooltip and in the \u201cNumbers recorded\u201d view."
                      if selection.view == "rate" else
                      "The rate per residents is in each cell's tooltip and in the \u201cRates per residents\u201d "
                      "view."),
    )
    for category in categories:
        if category.rate_base != 1000 and selection.view == "rate":
            matrix.set_header(category.slug, f"{category.name} (per {category.rate_base:,})")
        else:
            matrix.set_header(category.slug, category.name)
    footer_cells = {"name": f"{selection.group.name} total" if selection.view == "count"
                    else f"{selection.group.name} average"}
    footer_values = [footer_cells["name"]]
    for category in categories:
        total = table.totals[category.slug]
        value = total.rate if selection.view == "rate" else total.count
        hidden = disclosed[category.slug].total.get("count_display") if category.slug in disclosed else None
        if hidden:
            shown = hidden if selection.view == "count" else NOT_PUBLISHED
            footer_cells[category.slug] = suppressed_html(hidden) if selection.view == "count" else NOT_PUBLISHED_HTML
            footer_values.append(shown)
            continue
        text = format_rate(value) if selection.view == "rate" else format_count(value)
        footer_cells[category.slug] = text if text is not None else NO_DATA_HTML
        footer_values.append(
            "no data" if value is None else (round_half_up(value, 1) if selection.view == "rate" else int(value))
        )
    matrix.set_footer(footer_cells, footer_values)
    RequestConfig(request, paginate=False).configure(matrix)
    suppression_notes = [f"{aud.ref.category(slug).name}: {p.note}" for slug, p in disclosed.items() if p.note]
    if export_format:
        return exports.download(
            exports.table_rows(matrix, suppression_notes), fmt=export_format, title="Kent overview",
            filename=_filename("overview", selection.view, selection.group.slug, format_month(selection.end),
                               f"{selection.months}m"),
        )
    missing = sorted({name for c in categories for name in table.totals[c.slug].missing})
    context.update(
        matrix=matrix,
        categories=categories,
        suppression_notes=suppression_notes,
        export_links=_export_links(selection, request, "overview"),
        nav=_nav(selection),
        other_view=selection.query(view="count" if selection.view == "rate" else "rate", show=selection.show),
        missing_districts=missing,
        population_notes=population_notes(
            aud, years_now=years_of(table.rows.loc[table.rows["count"].notna(), "population_year"]),
            years_before=[], wanted_now=selection.window.population_year(),
            wanted_before=selection.window.previous_year().population_year(),
            districts=selection.group.district_codes,
        ),
        sources=sorted({c.source for c in categories}),
    )
    return _render(request, "assessments/overview.html", context)
