"""Kent-wide comparison pages: one category across districts, the district profile, the overview.

Thin views: read the choices (assessments.pickers), fetch the cached
comparison (assessments.comparison), build tables and charts, render. A bad
parameter gets a GOV.UK error summary and HTTP 400; an unknown category or
district in the path gets a 404 page that says what exists.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_tables2 import RequestConfig

from assessments import charts, exports, profile
from assessments.comparison import FiguresSource, comparison_context, rolling_trend
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
    CrimeTypeTable,
    DistrictComparisonTable,
    OverviewTable,
    ProportionTable,
    TrendTable,
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
    key = ":".join(str(p) for p in (aud.generation, int(aud.include_provisional), *parts))
    key = "chart:v1:" + (key if len(key) < 150 else hashlib.sha1(key.encode()).hexdigest())
    figure = cache.get(key)
    if figure is None:
        figure = build()
        cache.set(key, figure, settings.COMPARISON_CACHE_SECONDS)
    return figure


def _bar_chart(aud: Audience, result, rows: list[dict], highlight: str | None, group_label: str) -> dict:
    window = result.window
    return _cached_chart(
        aud, ("bar", result.category.slug, window.start, window.end, result.group.slug, result.base, highlight),
        lambda: charts.comparison_bar(
            _rows_for_chart(rows, result.category.polarity),
            title=f"{result.category.name} per {result.base:,} residents, {window.span_label}",
            axis_title=f"Rate per {result.base:,} residents",
            group_label=group_label,
            group_rate=result.total.rate,
            highlight=highlight,
        ),
    )


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


def _comparison_table(comparison, rows, selection: Selection, *, caption: str, caption_hint: str = "",
                      exclude=(), order_by=None, prefix: str | None = None) -> DistrictComparisonTable:
    window, previous = comparison.window, comparison.previous_window
    if comparison.rank_by != "rate":
        exclude = tuple(exclude) + ("previous_rank_label",)
    table = DistrictComparisonTable(
        rows, caption=caption, caption_hint=caption_hint, link_query=selection.query(), exclude=exclude,
        order_by=order_by, prefix=prefix,
    )
    base = f"{comparison.base:,}"
    table.set_header("count", f"Number, {short_span(window)}")
    table.set_header("previous_count", f"Number, {short_span(previous)}")
    table.set_header("rate", f"Rate per {base} residents")
    table.set_header("previous_rate", f"Rate per {base}, {short_span(previous)}")
    by = {"rate": "by rate", "count": "by number", "change_pct": "by change %"}[comparison.rank_by]
    table.set_header("rank_label", f"County position ({by})")
    table.add_total(comparison.total, label=f"{comparison.group.name} total", polarity=comparison.category.polarity)
    return table


# --- Comparison page -----------------------------------------------------------------------------

COMPARISON_FIELDS = ("category", "end", "months", "group", "rank_by", "highlight")


def comparison_start(request: HttpRequest) -> HttpResponse:
    """/compare/: go to the chosen (or default) category's page, keeping the other choices."""
    params = request.GET.copy()
    slug = (params.pop("category", [None])[-1] or "").strip().lower() or DEFAULT_CATEGORY
    aud = audience(request)
    if aud.ref.category(slug) is None:
        selection, errors = parse_selection(params, aud.ref, aud.months, accept=("rank_by", "highlight"))
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
    selection, errors = parse_selection(request.GET, aud.ref, aud.months, accept=("rank_by", "highlight", "base"))
    export_format, _ = check_export(request.GET, errors, ("comparison",))
    title = f"{info.name}: compare districts"
    path = reverse("comparison-category", args=[info.slug])
    keep = {k: v for k, v in request.GET.items() if k in ("group", "rank_by", "highlight", "base")}
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
    result = ctx.compare(info.slug, rank_by=selection.rank_by, base=selection.base)
    highlight = selection.highlight.code if selection.highlight else None
    rows = _records(result.rows)
    for row in rows:
        row["highlight"] = row["district"] == highlight
        row["polarity"] = info.polarity
    ranked = result.total.districts_with_data
    statement = position_statement(rank_by=selection.rank_by, polarity=info.polarity, ranked=ranked,
                                   group_name=selection.group.name, base=result.base)
    table = _comparison_table(
        result, rows, selection, caption=f"{info.name}, {selection.window.span_label}: {selection.group.name}",
        caption_hint=statement,
    )
    RequestConfig(request, paginate=False).configure(table)
    if export_format:
        return exports.download(
            exports.table_rows(table), fmt=export_format, title=info.name,
            filename=_filename(info.slug, selection.group.slug, format_month(selection.end), f"{selection.months}m"),
        )
    group_label = f"{group_short_name(selection.group.name)} average"
    figure = _bar_chart(aud, result, rows, highlight, group_label)
    context.update(
        selection=selection,
        comparison=result,
        table=table,
        figure=figure,
        chart_caption=_chart_caption(result, rows, highlight, group_label),
        position_statement=statement,
        group_summary=_group_summary(result),
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


def _group_summary(result) -> str:
    """'Kent (12 KCC districts): 99,875 crimes, 65.6 per 1,000 residents. An increase of ... on a year earlier.'"""
    total, category = result.total, result.category
    level = count_with_noun(total.count, category.slug, category.family)
    if level is None:
        return f"{result.group.name}: no data for this period."
    text = f"{result.group.name}: {level}"
    if total.rate is not None:
        text += f", {format_rate(total.rate)} per {result.base:,} residents"
    text += "."
    if total.change is not None:
        text += " " + change_sentence(total.change, total.change_pct, slug=category.slug, family=category.family)
        text += " on a year earlier." if total.change else "."
    return text


def _chart_caption(result, rows, highlight, group_label) -> str:
    text = (f"{result.category.name} per {result.base:,} residents in each district of {result.group.name}, "
            f"{result.window.span_label}, with the {group_label} as a dashed line")
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
    result = ctx.compare(DEFAULT_CATEGORY)
    rows = _records(result.rows)
    for row in rows:
        row["polarity"] = result.category.polarity
    table = _comparison_table(
        result, rows, selection,
        caption=f"{result.category.name} by district, {selection.window.span_label}",
        caption_hint=position_statement(rank_by="rate", polarity=result.category.polarity,
                                        ranked=result.total.districts_with_data, group_name=selection.group.name,
                                        base=result.base),
        exclude=("previous_rate", "previous_rank_label"),
    )
    RequestConfig(request, paginate=False).configure(table)
    if export_format:
        return exports.download(
            exports.table_rows(table), fmt=export_format, title="Districts",
            filename=_filename("districts", selection.group.slug, format_month(selection.end), f"{selection.months}m"),
        )
    others = [d for d in aud.ref.districts if d.code not in selection.group.district_codes]
    context.update(
        table=table,
        comparison=result,
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

PROFILE_FIELDS = ("district", "end", "months", "group", "trend")
PROFILE_TABLES = ("crime-types", "proportions", "trend", "kent-comparison")


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
                                        accept=("trend",))
    if selection is not None and district.code not in selection.group.district_codes:
        allowed = [g.slug for g in aud.ref.groups if district.code in g.district_codes]
        errors.append(ParamError(
            "group", f"group must be a group that includes {district.name}: {', '.join(allowed)}", allowed,
            selection.group.slug,
        ))
    export_format, export_table = check_export(request.GET, errors, PROFILE_TABLES)
    path = reverse("district-profile", args=[district.code])
    keep = {k: v for k, v in request.GET.items() if k in ("group", "trend")}
    context = _base_context(request, aud, selection, errors, fields=PROFILE_FIELDS, path=path,
                            title=f"{district.name}: district profile", district=district.code, keep=keep)
    context.update(district=district, form_action=reverse("district-index"))
    if errors:
        return _render(request, "assessments/district_profile.html", context, status=400)
    if selection is None:
        return _render(request, "assessments/district_profile.html", context)

    source = FiguresSource(aud.ref, selection.end - TREND_SPAN_MONTHS + 1, selection.end,
                           include_provisional=aud.include_provisional)
    ctx = comparison_context(selection.window, selection.group.slug, include_provisional=aud.include_provisional,
                             ref=aud.ref, generation=aud.generation, source=source)
    table = ctx.table()
    query = selection.query()
    trend_category = selection.trend or aud.ref.category(DEFAULT_CATEGORY)

    all_types = profile.crime_type_rows(table, district.code, aud.ref)
    # Categories with no figure in either year (police.uk types before any upload, say) would only add
    # rows of "no data"; they are named under the table instead.
    type_rows = [r for r in all_types if r["count"] is not None or r["previous_count"] is not None]
    empty_types = [r["category"] for r in all_types if r["count"] is None and r["previous_count"] is None]
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

    shares = profile.proportions(table, district.code, aud.ref)
    shares_table = ProportionTable(
        shares.rows, caption=f"Proportionality: each type's share of {shares.base_label}",
        caption_hint=(f"Total: {shares.total:,}" if shares.total is not None else "No total for this period"),
        prefix="shares-",
    )
    RequestConfig(request, paginate=False).configure(shares_table)

    trend = rolling_trend(aud.ref, trend_category.slug, selection.end, selection.group,
                          include_provisional=aud.include_provisional, generation=aud.generation, source=source)
    points = profile.trend_rows(trend, district.code)
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

    all_crime = ctx.compare(DEFAULT_CATEGORY)
    kent_rows = _records(all_crime.rows)
    for row in kent_rows:
        row["highlight"] = row["district"] == district.code
        row["polarity"] = all_crime.category.polarity
    kent_table = _comparison_table(
        all_crime, kent_rows, selection,
        caption=f"{all_crime.category.name} by district, {selection.window.span_label}",
        caption_hint=position_statement(rank_by="rate", polarity=all_crime.category.polarity,
                                        ranked=all_crime.total.districts_with_data,
                                        group_name=selection.group.name, base=all_crime.base),
        exclude=("previous_count", "change", "direction", "previous_rate", "previous_rank_label"),
        prefix="kent-",
    )
    RequestConfig(request, paginate=False).configure(kent_table)

    if export_format:
        chosen = {"crime-types": types_table, "proportions": shares_table, "trend": trend_table,
                  "kent-comparison": kent_table}[export_table]
        return exports.download(
            exports.table_rows(chosen), fmt=export_format, title=f"{district.name} {export_table}",
            filename=_filename(district.slug, export_table, selection.group.slug, format_month(selection.end),
                               f"{selection.months}m"),
        )

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
    context.update(
        selection=selection,
        headlines=profile.headlines(table, district.code, aud.ref),
        types_table=types_table,
        shares_table=shares_table,
        shares=shares,
        trend_table=trend_table,
        trend_figure=trend_figure,
        trend_category=trend_category,
        trend_span=f"{month_label(trend.windows[0].end)} to {month_label(trend.windows[-1].end)}",
        trend_gaps=group_gaps,
        kent_table=kent_table,
        kent_figure=kent_figure,
        all_crime=all_crime,
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
    records: dict[str, dict] = {}
    for row in _records(rows):
        record = records.setdefault(row["district"], {"district": row["district"], "name": row["name"]})
        slug = row["category"]
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
        text = format_rate(value) if selection.view == "rate" else format_count(value)
        footer_cells[category.slug] = text if text is not None else NO_DATA_HTML
        footer_values.append(
            "no data" if value is None else (round_half_up(value, 1) if selection.view == "rate" else int(value))
        )
    matrix.set_footer(footer_cells, footer_values)
    RequestConfig(request, paginate=False).configure(matrix)
    if export_format:
        return exports.download(
            exports.table_rows(matrix), fmt=export_format, title="Kent overview",
            filename=_filename("overview", selection.view, selection.group.slug, format_month(selection.end),
                               f"{selection.months}m"),
        )
    missing = sorted({name for c in categories for name in table.totals[c.slug].missing})
    context.update(
        matrix=matrix,
        categories=categories,
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
