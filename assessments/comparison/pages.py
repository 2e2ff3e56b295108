"""The comparison pages assembled: one category across districts, the district index and the Kent overview.

The three pages are views of one comparison, so they share its table, chart
and notes, which live here with their builders (the district profile, which
assembles many comparisons, a trend, commentary, SPC and neighbourhoods, has
its own package and reuses these parts). A builder takes the audience
(``assessments.selection.audience``) and the query parameters and returns a
``Page``: the template, its context and status, the tables the request may
sort, and the download when ``_export`` asked for one. Views only render it.

A bad parameter gets a GOV.UK error summary and HTTP 400; an unknown category
or district in the path gets a 404 page that says what exists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
from django.urls import reverse

from assessments import charts
from assessments.comparison.compute import Comparison, Total, records
from assessments.comparison.context import ComparisonContext, cached_populations, comparison_context
from assessments.comparison.suppression import PublishedComparison, published_for, published_row
from assessments.selection import (
    Audience,
    ParamError,
    Selection,
    check_export,
    error_summary,
    parse_district,
    parse_selection,
    picker_fields,
    quick_periods,
    with_highlight_in_group,
)
from assessments.tables import (
    NO_DATA_HTML,
    NOT_PUBLISHED,
    NOT_PUBLISHED_HTML,
    DistrictComparisonTable,
    OverviewTable,
    suppressed_html,
)
from assessments.wording import (
    change_sentence,
    count_with_noun,
    format_count,
    format_rate,
    group_short_name,
    position_statement,
)
from crimedata.cache import cache_key, cached
from crimedata.numbers import round_half_up
from crimedata.periods import Window, format_month, month_label
from crimedata.reference import HIGHER_IS_BETTER, NO_JUDGEMENT
from crimedata.roles import sees_true_small_numbers

DEFAULT_CATEGORY = "all-crime"

# Columns of the Kent overview unless "Every category" is chosen: the headline
# types of the crime-type tables and the other themes an assessment covers.
OVERVIEW_MAIN = (
    "all-crime", "victim-based-crime", "violent-crime", "violence-against-the-person", "sexual-offences", "robbery",
    "burglary-dwelling", "burglary-other", "vehicle-crime", "theft-and-handling", "shoplifting", "criminal-damage",
    "crimes-against-society", "drug-offences", "public-order-offences", "asb-incidents", "domestic-abuse-incidents",
    "hate-crime", "road-casualties", "ksi",
)

COMPARISON_FIELDS = ("category", "end", "months", "group", "rank_by", "highlight", "confidence")
INDEX_FIELDS = ("end", "months", "group")
OVERVIEW_FIELDS = ("end", "months", "group", "view", "show")


@dataclass
class Download:
    """One of a page's tables as a CSV or XLSX file, with the notes printed under it on the page."""

    table: object
    notes: list[str]
    fmt: str
    title: str
    filename: str


@dataclass
class Page:
    """A page as its builder assembled it, for a view to render (or to redirect, or to hand out a download).

    ``tables`` are the django-tables2 tables the request sorts (``?sort=``) before
    rendering or downloading.
    """

    template: str
    context: dict = field(default_factory=dict)
    status: int = 200
    tables: list = field(default_factory=list)
    download: Download | None = None
    redirect: str | None = None


# --- Parts every comparison page shares ----------------------------------------------------------


def frame(aud: Audience, selection: Selection | None, errors: list[ParamError], *, fields: tuple[str, ...],
          path: str, title: str, category: str | None = None, district: str | None = None,
          keep: dict | None = None) -> dict:
    """The context every comparison page starts from: its title, the pickers form with any errors, the
    quick period links and what the reader is seeing (final or provisional figures, the latest month)."""
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


def kept(params: Mapping[str, str], names: tuple[str, ...]) -> dict[str, str]:
    """The page's own parameters, carried over to the quick period links."""
    return {k: v for k, v in params.items() if k in names}


def not_found(title: str, message: str, links: list[tuple[str, str]]) -> Page:
    return Page("assessments/not_found.html", {"page_title": title, "message": message, "links": links}, status=404)


def district_not_found(aud: Audience, code: str) -> Page:
    return not_found(
        "District not found", f"There is no district with the ONS code \u201c{code}\u201d.",
        [(reverse("district-profile", args=[d.code]), d.name) for d in aud.ref.districts],
    )


def provisional_note(aud: Audience) -> str:
    if aud.include_provisional:
        return (
            "Figures marked P are provisional: OFFICIAL SENSITIVE \u2013 provisional data before it is finalised "
            "and published by the Office for National Statistics. A total, change or rate built on a provisional "
            "figure is marked too."
        )
    return "You are seeing published (final) figures only. Partners who sign in also see provisional figures."


def years_of(series: pd.Series) -> list[int]:
    return sorted(int(y) for y in series.dropna().unique())


def population_notes(aud: Audience, rows: pd.DataFrame, window: Window, districts: tuple[str, ...], *,
                     with_previous: bool = True) -> list[str]:
    """Which mid-year population estimates the rates in ``rows`` use, their source, and any substitute year."""
    frame = cached_populations(aud.ref, aud.generation)
    years_now = years_of(rows.loc[rows["count"].notna(), "population_year"])
    years_before = (years_of(rows.loc[rows["previous_count"].notna(), "previous_population_year"])
                    if with_previous else [])
    wanted_now, wanted_before = window.population_year(), window.previous_year().population_year()
    notes = []

    def sources(years: list[int]) -> str:
        if frame.empty or not years:
            return ""
        chosen = frame[frame["year"].isin(years) & frame["district"].isin(districts)]
        names = sorted(set(chosen["source"].dropna()))
        return f" (source: {'; '.join(names)})" if names else ""

    def years_text(years: list[int]) -> str:
        return " and ".join(f"mid-{y}" for y in years)

    if years_now:
        notes.append(f"Rates for this period use the {years_text(years_now)} population estimates{sources(years_now)}.")
        if any(y != wanted_now for y in years_now):
            notes.append(
                f"There is no mid-{wanted_now} estimate yet, so the latest earlier estimate is used instead; "
                "rates will be recalculated when it is published."
            )
    else:
        notes.append("There are no population estimates for this period, so rates cannot be calculated.")
    if years_before:
        notes.append(f"Rates a year earlier use the {years_text(years_before)} estimates.")
        if any(y != wanted_before for y in years_before):
            notes.append(f"There is no mid-{wanted_before} estimate, so the latest earlier estimate is used instead.")
    return notes


def nav(selection: Selection, *, category: str = DEFAULT_CATEGORY, district: str | None = None) -> dict:
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


def export_links(params, table: str) -> dict:
    """Links to this page's ``table`` as CSV and XLSX, keeping every other choice (``params`` is a QueryDict)."""
    params = params.copy()
    params["_table"] = table
    links = {}
    for fmt in ("csv", "xlsx"):
        params["_export"] = fmt
        links[fmt] = "?" + params.urlencode()
    return links


def filename(*parts: str) -> str:
    return "-".join(p for p in parts if p).replace(" ", "-").lower()


def period_filename(*parts: str, selection: Selection) -> str:
    return filename(*parts, selection.group.slug, format_month(selection.end), f"{selection.months}m")


def cached_chart(aud: Audience, parts: tuple, build: Callable[[], dict]) -> dict:
    """A chart's figure dict, cached per data generation and audience: plotly validates every property as it
    builds a figure, which costs more than the rest of a warm page."""
    return cached(cache_key("chart:v2", aud.generation, aud.include_provisional, aud.disclosure, *parts), build)


def short_span(window: Window) -> str:
    if window.months == 1:
        return month_label(window.end, short=True)
    return f"{month_label(window.start, short=True)} to {month_label(window.end, short=True)}"


def confidence_label(confidence: float) -> str:
    return "99.8%" if confidence == 0.998 else "95%"


def published_comparison(aud: Audience, ctx: ComparisonContext, slug: str, *, rank_by: str = "rate",
                         base: int | None = None, confidence: float = 0.95) -> tuple[PublishedComparison, list[dict]]:
    """The comparison with its statistics and suppression for this reader (cached), and its rows for tables."""
    result = published_for(ctx, slug, aud.disclosure, rank_by=rank_by, base=base, confidence=confidence)
    return result, table_rows(result)


def table_rows(published: PublishedComparison) -> list[dict]:
    rows = [dict(r) for r in published.records]
    for row in rows:
        row["polarity"] = published.comparison.category.polarity
        if row.get("count_display"):
            row["rate_text"] = "not published"
    return rows


def rows_for_chart(rows: list[dict], polarity: str) -> list[dict]:
    """Districts in order of rate, position 1 first (highest first only where higher is better)."""
    present = sorted((r for r in rows if r.get("rate") is not None), key=lambda r: r["name"])
    present.sort(key=lambda r: r["rate"], reverse=polarity == HIGHER_IS_BETTER)
    absent = sorted((r for r in rows if r.get("rate") is None), key=lambda r: r["name"])
    return present + absent


def bar_chart(aud: Audience, published: PublishedComparison, rows: list[dict], highlight: str | None,
              group_label: str) -> dict:
    result = published.comparison
    window = result.window
    label = f"{confidence_label(published.confidence)} confidence interval"
    return cached_chart(
        aud, ("bar", result.category.slug, window.start, window.end, result.group.slug, result.base, highlight,
              published.confidence),
        lambda: charts.comparison_bar(
            rows_for_chart(rows, result.category.polarity),
            title=f"{result.category.name} per {result.base:,} residents, {window.span_label}",
            axis_title=f"Rate per {result.base:,} residents",
            group_label=group_label,
            group_rate=published.total.get("rate"),
            highlight=highlight,
            interval_label=label,
        ),
    )


def chart_caption(published: PublishedComparison, rows, highlight, group_label) -> str:
    result = published.comparison
    text = (f"{result.category.name} per {result.base:,} residents in each district of {result.group.name}, "
            f"{result.window.span_label}, with the {group_label} as a dashed line and each district's "
            f"{confidence_label(published.confidence)} confidence interval as a line across the end of its bar")
    if highlight:
        match = next((r for r in rows if r["district"] == highlight), None)
        if match:
            text += f"; {match['name']} is highlighted with a hatched, outlined bar"
    return text + "."


def comparison_table(published: PublishedComparison, rows, selection: Selection, *, caption: str,
                     caption_hint: str = "", exclude=(), order_by=None, prefix: str | None = None
                     ) -> DistrictComparisonTable:
    """A comparison as the table every comparison page shows, its headers naming the period, base and level."""
    comparison = published.comparison
    window, previous = comparison.window, comparison.previous_window
    exclude = tuple(exclude)
    if comparison.rank_by != "rate":
        exclude += ("previous_rank_label",)
    if not (sees_true_small_numbers(published.audience) and comparison.category.suppress_below):
        # Only analysts see true values behind suppressed ones; for them the download says which.
        exclude += ("suppressed_in_public",)
    table = DistrictComparisonTable(
        rows, caption=caption, caption_hint=caption_hint, link_query=selection.query(), exclude=exclude,
        order_by=order_by, prefix=prefix,
    )
    base = f"{comparison.base:,}"
    level = confidence_label(published.confidence)
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
    """How to read the significance columns (docs/methods.md §2 and §3), for under the table and in downloads."""
    level = confidence_label(published.confidence)
    p = "0.002" if published.confidence == 0.998 else "0.05"
    area = group_short_name(published.comparison.group.name)
    judged = published.comparison.category.polarity != NO_JUDGEMENT
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


def total_missing_note(total: Total, group_name: str) -> list[str]:
    """Sentences naming the districts a group total leaves out."""
    notes = []
    if total.missing:
        notes.append(
            f"The {group_name} total covers the {total.districts_with_data} of {total.districts_in_group} districts "
            f"with figures; it leaves out {_join(total.missing)}, which {'has' if len(total.missing) == 1 else 'have'} "
            "no figure for this period."
        )
    if total.missing_previous:
        notes.append(
            f"There is no {group_name} total for a year earlier because {_join(total.missing_previous)} "
            f"{'has' if len(total.missing_previous) == 1 else 'have'} no figure for it."
        )
    return notes


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def group_summary(published: PublishedComparison) -> str:
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
            text += (f" ({confidence_label(published.confidence)} confidence interval "
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


def data_warnings(result: Comparison, ref) -> list[str]:
    """The aggregation's data-quality checks for this category: a stored total that differs from its parts."""
    names = {d.code: d.name for d in ref.districts}
    out = []
    for row in result.warnings.itertuples(index=False):
        when = "this period" if row.window == 0 else "a year earlier"
        out.append(
            f"{names.get(row.district, row.district)}, {when}: the stored figure ({row.direct_value:,}) differs from "
            f"the sum of its parts ({row.children_value:,}); the stored figure is used."
        )
    return out


# --- The comparison page --------------------------------------------------------------------------


def comparison_start_page(aud: Audience, params) -> Page:
    """/compare/: go to the chosen (or default) category's page, keeping the other choices."""
    params = params.copy()
    slug = (params.pop("category", [None])[-1] or "").strip().lower() or DEFAULT_CATEGORY
    if aud.ref.category(slug) is None:
        selection, errors = parse_selection(params, aud.ref, aud.months, accept=("rank_by", "highlight", "confidence"))
        errors.insert(0, ParamError("category", "category must be one of the categories in the list", [
            c.slug for c in aud.ref.categories], slug))
        context = frame(aud, selection, errors, fields=COMPARISON_FIELDS, path=reverse("comparison"),
                        title="Compare districts", category=DEFAULT_CATEGORY)
        return Page("assessments/comparison.html", context, status=400)
    target = reverse("comparison-category", args=[slug])
    return Page("", redirect=target + ("?" + params.urlencode() if params else ""))


def comparison_page(aud: Audience, slug: str, params) -> Page:
    """One category compared across a group's districts: the chart, the table and its notes."""
    info = aud.ref.category(slug)
    if info is None:
        return not_found(
            "Category not found", f"There is no category called \u201c{slug}\u201d.",
            [(reverse("comparison-category", args=[c.slug]), c.name) for c in aud.ref.in_tree_order()],
        )
    template = "assessments/comparison.html"
    selection, errors = parse_selection(params, aud.ref, aud.months,
                                        accept=("rank_by", "highlight", "base", "confidence"))
    export_format, _ = check_export(params, errors, ("comparison",))
    context = frame(aud, selection, errors, fields=COMPARISON_FIELDS,
                    path=reverse("comparison-category", args=[info.slug]), title=f"{info.name}: compare districts",
                    category=info.slug, keep=kept(params, ("group", "rank_by", "highlight", "base", "confidence")))
    # A rate base other than the category's (say per 10,000) has no select box; keep it when the form is used.
    base = selection.base if selection is not None else None
    context.update(category=info, form_action=reverse("comparison"),
                   hidden=[("base", base)] if base and base != info.rate_base else [])
    if errors:
        return Page(template, context, status=400)
    if selection is None:
        return Page(template, context)
    selection = with_highlight_in_group(selection)
    ctx = comparison_context(selection.window, selection.group.slug, include_provisional=aud.include_provisional,
                             ref=aud.ref, generation=aud.generation)
    # Intervals, significance and suppression are pure functions of the comparison: no more queries.
    result, rows = published_comparison(aud, ctx, info.slug, rank_by=selection.rank_by, base=selection.base,
                             confidence=selection.confidence)
    comparison = result.comparison
    highlight = selection.highlight.code if selection.highlight else None
    for row in rows:
        row["highlight"] = row["district"] == highlight
    statement = position_statement(rank_by=selection.rank_by, polarity=info.polarity, ranked=result.ranked,
                                   group_name=selection.group.name, base=comparison.base)
    table = comparison_table(
        result, rows, selection,
        caption=f"{info.name}, {selection.window.span_label}: {selection.group.name}", caption_hint=statement,
    )
    if export_format:
        return Page(template, tables=[table], download=Download(
            table, [result.note], export_format, info.name, period_filename(info.slug, selection=selection)))
    notes = significance_notes(result)
    group_label = f"{group_short_name(selection.group.name)} average"
    context.update(
        selection=selection,
        comparison=comparison,
        published=result,
        table=table,
        figure=bar_chart(aud, result, rows, highlight, group_label),
        chart_caption=chart_caption(result, rows, highlight, group_label),
        position_statement=statement,
        group_summary=group_summary(result),
        significance_notes=notes[:-1] if result.note else notes,
        suppression_note=result.note,
        total_notes=total_missing_note(comparison.total, selection.group.name),
        population_notes=population_notes(aud, comparison.rows, selection.window, selection.group.district_codes),
        sources=[info.source],
        warnings=data_warnings(comparison, ctx.ref),
        export_links=export_links(params, "comparison"),
        nav=nav(selection, category=info.slug, district=highlight),
        notices=selection.notices,
    )
    return Page(template, context, tables=[table])


# --- The district index ---------------------------------------------------------------------------


def district_index_page(aud: Audience, params) -> Page:
    """Every district of a group with its all-crime figures, each linking to its profile."""
    template = "assessments/district_index.html"
    errors: list[ParamError] = []
    if params.get("district"):
        chosen = parse_district(params, "district", aud.ref, errors)
        if chosen is not None:
            params = params.copy()
            params.pop("district")
            target = reverse("district-profile", args=[chosen.code])
            return Page("", redirect=target + ("?" + params.urlencode() if params else ""))
    selection, more = parse_selection(params, aud.ref, aud.months)
    errors += more
    export_format, _ = check_export(params, errors, ("districts",))
    context = frame(aud, selection, errors, fields=INDEX_FIELDS, path=reverse("district-index"),
                    title="District profiles", keep=kept(params, ("group",)))
    context["form_action"] = reverse("district-index")
    if errors:
        return Page(template, context, status=400)
    if selection is None:
        return Page(template, context)
    ctx = comparison_context(selection.window, selection.group.slug, include_provisional=aud.include_provisional,
                             ref=aud.ref, generation=aud.generation)
    result, rows = published_comparison(aud, ctx, DEFAULT_CATEGORY)
    comparison = result.comparison
    table = comparison_table(
        result, rows, selection,
        caption=f"{comparison.category.name} by district, {selection.window.span_label}",
        caption_hint=position_statement(rank_by="rate", polarity=comparison.category.polarity,
                                        ranked=result.ranked, group_name=selection.group.name,
                                        base=comparison.base),
        exclude=("previous_rate", "previous_rank_label"),
    )
    if export_format:
        return Page(template, tables=[table], download=Download(
            table, [result.note], export_format, "Districts", period_filename("districts", selection=selection)))
    notes = significance_notes(result)
    others = [d for d in aud.ref.districts if d.code not in selection.group.district_codes]
    context.update(
        table=table,
        comparison=comparison,
        significance_notes=notes[:-1] if result.note else notes,
        suppression_note=result.note,
        other_districts=[(d, reverse("district-profile", args=[d.code])) for d in others],
        export_links=export_links(params, "districts"),
        nav=nav(selection),
        total_notes=total_missing_note(comparison.total, selection.group.name),
        population_notes=population_notes(aud, comparison.rows, selection.window, selection.group.district_codes,
                                          with_previous=False),
        sources=[comparison.category.source],
    )
    return Page(template, context, tables=[table])


# --- The Kent overview ----------------------------------------------------------------------------


def overview_page(aud: Audience, params) -> Page:
    """Every district against every main category (or every category): rates or numbers in one matrix."""
    template = "assessments/overview.html"
    selection, errors = parse_selection(params, aud.ref, aud.months, accept=("view", "show"))
    export_format, _ = check_export(params, errors, ("overview",))
    context = frame(aud, selection, errors, fields=OVERVIEW_FIELDS, path=reverse("overview"), title="Kent overview",
                    keep=kept(params, ("group", "view", "show")))
    context["form_action"] = reverse("overview")
    if errors:
        return Page(template, context, status=400)
    if selection is None:
        return Page(template, context)
    ctx = comparison_context(selection.window, selection.group.slug, include_provisional=aud.include_provisional,
                             ref=aud.ref, generation=aud.generation)
    table = ctx.table()
    wanted = None if selection.show == "all" else set(OVERVIEW_MAIN)
    categories = [c for c in aud.ref.in_tree_order() if wanted is None or c.slug in wanted]
    # Small-number suppression per category, as that category's comparison page shows it.
    disclosed = {c.slug: published_comparison(aud, ctx, c.slug)[0] for c in categories if c.suppress_below}
    matrix = _overview_table(table, categories, disclosed, selection)
    suppression_notes = [f"{aud.ref.category(slug).name}: {p.note}" for slug, p in disclosed.items() if p.note]
    if export_format:
        return Page(template, tables=[matrix], download=Download(
            matrix, suppression_notes, export_format, "Kent overview",
            period_filename("overview", selection.view, selection=selection)))
    context.update(
        matrix=matrix,
        categories=categories,
        suppression_notes=suppression_notes,
        export_links=export_links(params, "overview"),
        nav=nav(selection),
        other_view=selection.query(view="count" if selection.view == "rate" else "rate", show=selection.show),
        missing_districts=sorted({name for c in categories for name in table.totals[c.slug].missing}),
        population_notes=population_notes(aud, table.rows, selection.window, selection.group.district_codes,
                                          with_previous=False),
        sources=sorted({c.source for c in categories}),
    )
    return Page(template, context, tables=[matrix])


def _overview_table(table, categories, disclosed: dict[str, PublishedComparison], selection: Selection
                    ) -> OverviewTable:
    rows = table.rows[table.rows["category"].isin([c.slug for c in categories])]
    by_rate = selection.view == "rate"
    cells: dict[str, dict] = {}
    for row in records(rows):
        record = cells.setdefault(row["district"], {"district": row["district"], "name": row["name"]})
        slug = row["category"]
        if slug in disclosed:
            row = published_row(row, disclosed[slug], row["district"])
            record[f"{slug}__count_display"] = row.get("count_display")
            record[f"{slug}__suppressed"] = row.get("count_suppressed") is not None
        record[slug] = row["rate"] if by_rate else row["count"]
        record[f"{slug}__count"] = row["count"]
        record[f"{slug}__rate"] = row["rate"]
        record[f"{slug}__base"] = row["base"]
        record[f"{slug}__provisional"] = bool(row["provisional"])
    what = "rates per residents" if by_rate else "numbers recorded"
    matrix = OverviewTable(
        list(cells.values()), categories=categories, view=selection.view, link_query=selection.query(),
        caption=f"{selection.group.name}: {what}, {selection.window.span_label}",
        caption_hint=("Each rate is per 1,000 residents unless its column says otherwise; the number recorded "
                      "is in each cell's tooltip and in the \u201cNumbers recorded\u201d view."
                      if by_rate else
                      "The rate per residents is in each cell's tooltip and in the \u201cRates per residents\u201d "
                      "view."),
    )
    for category in categories:
        if category.rate_base != 1000 and by_rate:
            matrix.set_header(category.slug, f"{category.name} (per {category.rate_base:,})")
        else:
            matrix.set_header(category.slug, category.name)
    footer_cells = {"name": f"{selection.group.name} average" if by_rate else f"{selection.group.name} total"}
    footer_values = [footer_cells["name"]]
    for category in categories:
        total = table.totals[category.slug]
        value = total.rate if by_rate else total.count
        hidden = disclosed[category.slug].total.get("count_display") if category.slug in disclosed else None
        if hidden:
            footer_cells[category.slug] = NOT_PUBLISHED_HTML if by_rate else suppressed_html(hidden)
            footer_values.append(NOT_PUBLISHED if by_rate else hidden)
            continue
        text = format_rate(value) if by_rate else format_count(value)
        footer_cells[category.slug] = text if text is not None else NO_DATA_HTML
        footer_values.append("no data" if value is None else (round_half_up(value, 1) if by_rate else int(value)))
    matrix.set_footer(footer_cells, footer_values)
    return matrix
