"""The district profile page assembled: ``build_profile`` returns everything its template shows.

The profile is the "All recorded crime" part of a district's strategic
assessment: headline boxes for the key themes (with generated commentary an
officer may edit), the comparison with the group, a 3-year trend, every crime
type, proportionality, SPC for the key categories and the top neighbourhoods.

Queries, beyond the audience's: on a cold cache one figures query (the
trend's 47 months for every district and the district's whole history, for
its SPC charts, in one read), the populations and the reference data; then
one for the commentary edits, the SPC step changes, and the neighbourhood
report's two when police.uk data covers the period. A download (``_export``)
stops before the commentary, charts, SPC and neighbourhoods.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from assessments import charts
from assessments.commentary.edits import resolve_many
from assessments.commentary.keys import crime_types_key, crime_types_text, headline_key, headline_text
from assessments.comparison import pages
from assessments.comparison.context import ComparisonContext, FiguresSource, comparison_context
from assessments.comparison.headline import headlines
from assessments.comparison.suppression import PublishedComparison
from assessments.comparison.trend import TREND_SPAN_MONTHS, rolling_trend
from assessments.profile import sections
from assessments.profile.neighbourhoods import (
    POLICEUK_FAMILY,
    default_window,
    loaded_months,
    neighbourhood_report,
    policeuk_categories,
)
from assessments.profile.sections import KEY_THEMES
from assessments.selection import (
    Audience,
    Selection,
    check_district_in_group,
    check_export,
    default_group_for,
    parse_selection,
)
from assessments.spc.summary import KEY_CATEGORIES, variation_summary
from assessments.tables import CrimeTypeTable, ProportionTable, TrendTable
from assessments.wording import areas_phrase, format_count, group_short_name, position_statement
from crimedata import reference, roles
from crimedata.periods import MAX_MONTHS, format_month, month_label, parse_month
from crimedata.selectors import DistrictInfo

TEMPLATE = "assessments/district_profile.html"
PROFILE_FIELDS = ("district", "end", "months", "group", "trend", "neighbourhoods")
PROFILE_TABLES = ("crime-types", "proportions", "trend", "kent-comparison")
DEFAULT_CATEGORY = pages.DEFAULT_CATEGORY


@dataclass
class ProfilePage(pages.Page):
    """The profile of ``district`` for ``selection`` (None when the choices were wrong or there is no data)."""

    district: DistrictInfo | None = None
    selection: Selection | None = None


def build_profile(aud: Audience, district: DistrictInfo, params, *, user) -> ProfilePage:
    """The profile page for ``district`` with the choices in ``params`` (the query string, a QueryDict), as
    ``user`` may see it: a 400 page with the error summary for a bad choice, otherwise every section."""
    selection, errors = parse_selection(params, aud.ref, aud.months, default_group=default_group_for(district),
                                        accept=("trend", "neighbourhoods"))
    check_district_in_group(selection, district, aud.ref, errors)
    export_format, export_table = check_export(params, errors, PROFILE_TABLES)
    context = pages.frame(aud, selection, errors, fields=PROFILE_FIELDS,
                          path=reverse("district-profile", args=[district.code]),
                          title=f"{district.name}: district profile", district=district.code,
                          keep=pages.kept(params, ("group", "trend", "neighbourhoods")))
    context.update(district=district, form_action=reverse("district-index"))
    if errors or selection is None:
        return ProfilePage(TEMPLATE, context, status=400 if errors else 200, district=district, selection=selection)

    # One figures query on a cold cache: the trend's 47 months for every district, and the district's whole
    # history up to the period's end for its SPC charts.
    source = FiguresSource(aud.ref, selection.end - TREND_SPAN_MONTHS + 1, selection.end,
                           include_provisional=aud.include_provisional, history_for=district.code)
    ctx = comparison_context(selection.window, selection.group.slug, include_provisional=aud.include_provisional,
                             ref=aud.ref, generation=aud.generation, source=source)
    table = ctx.table()

    # Statistics and suppression for the key themes, every category with small-number suppression and all
    # crime: pure functions of the cached comparison, no queries. Commentary is written from the partners'
    # view (crimedata.roles.commentary_view), which differs from this one only for analysts.
    themes = [slug for slug in KEY_THEMES if aud.ref.category(slug) is not None]
    suppressible = [c.slug for c in aud.ref.categories if c.suppress_below]
    published: dict[str, PublishedComparison] = {
        slug: pages.published_comparison(aud, ctx, slug)[0]
        for slug in dict.fromkeys([*themes, *suppressible, DEFAULT_CATEGORY]) if aud.ref.category(slug) is not None
    }
    for_text = sections.texts_published(aud, ctx, published, suppressible)
    all_types = sections.crime_types(aud, ctx, district)
    suppression_notes = [p.note for slug, p in published.items() if p.note and slug in suppressible]

    types = _types_section(all_types, published, district, selection, suppression_notes)
    shares = _shares_section(aud, table, district, types["shown_types"])
    trend = _trend_section(aud, district, selection, source, published)
    kent = _kent_section(published[DEFAULT_CATEGORY], district, selection)
    tables = [types["types_table"], shares["shares_table"], trend["trend_table"], kent["kent_table"]]

    if export_format:
        chosen, notes = {
            "crime-types": (types["types_table"], suppression_notes),
            "proportions": (shares["shares_table"], suppression_notes),
            "trend": (trend["trend_table"], [trend["trend_note"]]),
            "kent-comparison": (kent["kent_table"], [published[DEFAULT_CATEGORY].note]),
        }[export_table]
        return ProfilePage(TEMPLATE, tables=tables, district=district, selection=selection, download=pages.Download(
            chosen, notes, export_format, f"{district.name} {export_table}",
            pages.period_filename(district.slug, export_table, selection=selection)))

    boxes, types_commentary, types_commentary_url = _commentary(aud, ctx, district, selection, all_types, published,
                                                                for_text, user)
    context.update(
        headlines=boxes,
        types_commentary=types_commentary,
        types_commentary_url=types_commentary_url,
        **{k: v for k, v in types.items() if k not in ("shown_types", "type_rows")},
        **shares,
        **_trend_chart(aud, district, selection, trend),
        **_kent_chart(aud, published[DEFAULT_CATEGORY], district, kent),
        export={name.replace("-", "_"): pages.export_links(params, name) for name in PROFILE_TABLES},
        nav=pages.nav(selection),
        group_short=group_short_name(selection.group.name),
        comparison_link=reverse("comparison-category", args=[DEFAULT_CATEGORY])
        + selection.query(highlight=district.code),
        population_notes=pages.population_notes(aud, table.rows, selection.window, selection.group.district_codes),
        sources=sorted({c.source for c in aud.ref.categories if c.slug in {r["slug"] for r in types["type_rows"]}}),
        spc_summary=variation_summary(district.code, KEY_CATEGORIES, user=user, ref=aud.ref,
                                      generation=aud.generation, history=source.history,
                                      last_month=selection.end),
        **sections.neighbourhoods_section(aud, district, selection, table),
    )
    return ProfilePage(TEMPLATE, context, tables=tables, district=district, selection=selection)


def _types_section(all_types: list[dict], published: dict[str, PublishedComparison], district: DistrictInfo,
                   selection: Selection, suppression_notes: list[str]) -> dict:
    """Every crime and disorder type for the district, as this reader may see it."""
    shown_types = sections.disclosed_types(all_types, published, district.code)
    # Categories with no figure in either year (police.uk types before any upload, say) would only add
    # rows of "no data"; they are named under the table instead.
    type_rows = [r for r in shown_types if sections.has_figures(r)]
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
    types_notes = [*suppression_notes, "The direction column says whether each change is statistically "
                   "significant: an exact test of the two counts, allowing for the change in population, gives "
                   "p < 0.05."]
    return {"types_table": types_table, "types_notes": types_notes, "type_rows": type_rows,
            "shown_types": shown_types,
            "empty_types": [r["category"] for r in shown_types if not sections.has_figures(r)]}


def _shares_section(aud: Audience, table, district: DistrictInfo, shown_types: list[dict]) -> dict:
    """Each type's share of all recorded crime plus ASB, with any hidden count's share withheld."""
    hide = not roles.sees_true_small_numbers(aud.disclosure)
    shares = sections.disclosed_shares(sections.proportions(table, district.code, aud.ref), shown_types, hide)
    shares_table = ProportionTable(
        shares.rows, caption=f"Proportionality: each type's share of {shares.base_label}",
        caption_hint=(f"Total: {shares.total:,}" if shares.total is not None else
                      "The total is not published: small numbers" if any(r.get("total_display")
                                                                          for r in shares.rows)
                      else "No total for this period"),
        prefix="shares-",
    )
    return {"shares": shares, "shares_table": shares_table, "shares_total": format_count(shares.total)}


def _trend_section(aud: Audience, district: DistrictInfo, selection: Selection, source: FiguresSource,
                   published: dict[str, PublishedComparison]) -> dict:
    """The chosen category's rolling 12-month rate for three years: the district against its group."""
    trend_category = selection.trend or aud.ref.category(DEFAULT_CATEGORY)
    trend = rolling_trend(aud.ref, trend_category.slug, selection.end, selection.group,
                          include_provisional=aud.include_provisional, generation=aud.generation, source=source)
    points = sections.disclosed_trend(sections.trend_rows(trend, district.code), trend, district.code,
                                      aud.disclosure)
    group_label = f"{group_short_name(selection.group.name)} average"
    span = f"{month_label(trend.windows[0].end)} to {month_label(trend.windows[-1].end)}"
    trend_table = TrendTable(
        points, caption=f"{trend_category.name} per {trend.base:,} residents, rolling 12 months",
        caption_hint=f"{district.name} and the {group_label} ({selection.group.name}), "
                     f"12 months ending each month from {span}.",
        prefix="trend-",
    )
    trend_table.set_header("count", f"{district.name}: number")
    trend_table.set_header("rate", f"{district.name}: rate per {trend.base:,}")
    trend_table.set_header("group_rate", f"{group_label}: rate per {trend.base:,}")
    return {
        "trend": trend,
        "points": points,
        "trend_table": trend_table,
        "trend_category": trend_category,
        "trend_note": published[trend_category.slug].note if trend_category.slug in published else None,
        "trend_span": span,
        "trend_gaps": sorted({name for p in points for name in p["group_missing"]}),
        "trend_base": f"{trend.base:,}",
        "group_label": group_label,
    }


def _trend_chart(aud: Audience, district: DistrictInfo, selection: Selection, section: dict) -> dict:
    trend, points, category, label = (section["trend"], section["points"], section["trend_category"],
                                      section["group_label"])
    figure = pages.cached_chart(
        aud, ("trend", category.slug, selection.end, selection.group.slug, district.code),
        lambda: charts.trend_lines(
            [p["end"] for p in points], [p["rate"] for p in points], [p["group_rate"] for p in points],
            district_name=district.name, group_label=label,
            title=f"{category.name} per {trend.base:,} residents, rolling 12 months",
            axis_title=f"Rate per {trend.base:,} residents",
        ),
    )
    caption = (f"{category.name} per {trend.base:,} residents in {district.name} (solid line, round markers) and "
               f"the {label} (dashed line, square markers), rolling 12 months ending {section['trend_span']}.")
    return {**{k: v for k, v in section.items() if k not in ("trend", "points")}, "trend_figure": figure,
            "trend_caption": caption}


def _kent_section(all_crime: PublishedComparison, district: DistrictInfo, selection: Selection) -> dict:
    """All recorded crime across the group, the district highlighted."""
    kent_rows = [dict(r, highlight=r["district"] == district.code) for r in pages.table_rows(all_crime)]
    kent_table = pages.comparison_table(
        all_crime, kent_rows, selection,
        caption=f"{all_crime.comparison.category.name} by district, {selection.window.span_label}",
        caption_hint=position_statement(rank_by="rate", polarity=all_crime.comparison.category.polarity,
                                        ranked=all_crime.ranked, group_name=selection.group.name,
                                        base=all_crime.comparison.base),
        exclude=("previous_count", "change", "direction", "previous_rate", "previous_rank_label"),
        prefix="kent-",
    )
    return {"kent_rows": kent_rows, "kent_table": kent_table}


def _kent_chart(aud: Audience, all_crime: PublishedComparison, district: DistrictInfo, section: dict) -> dict:
    group_label = f"{group_short_name(all_crime.comparison.group.name)} average"
    rows = section["kent_rows"]
    return {
        "kent_table": section["kent_table"],
        "kent_figure": pages.bar_chart(aud, all_crime, rows, district.code, group_label),
        "kent_notes": pages.significance_notes(all_crime),
        "kent_caption": pages.chart_caption(all_crime, rows, district.code, group_label),
        "all_crime": all_crime.comparison,
    }


def _commentary(aud: Audience, ctx: ComparisonContext, district: DistrictInfo, selection: Selection,
                all_types: list[dict], published: dict[str, PublishedComparison],
                for_text: dict[str, PublishedComparison], user):
    """The headline boxes with their sentences, and the crime-type paragraph, each replaced by an officer's
    edit where there is one (one query for them all), with where the reader may edit them."""
    boxes = list(headlines(ctx, district.code, KEY_THEMES, published=published).values())
    keys = {h.slug: headline_key(district.code, h.slug, selection.window, selection.group.slug) for h in boxes}
    texts = {
        keys[h.slug]: headline_text(for_text[h.slug], district_code=district.code, district_name=district.name)
        for h in boxes
    }
    types_key = crime_types_key(district.code, selection.window, selection.group.slug)
    texts[types_key] = _crime_types_text(aud, all_types, for_text, district, selection)
    resolved = resolve_many(texts, user=user)
    can_edit = roles.can_edit_district_texts(user, district.id)
    edit_query = urlencode({"end": format_month(selection.end), "months": selection.months,
                            "group": selection.group.slug})

    def edit_url(part: str) -> str | None:
        if not can_edit:
            return None
        return reverse("profile-commentary", args=[district.code, part]) + "?" + edit_query

    boxes = [replace(h, commentary=resolved[keys[h.slug]], edit_url=edit_url(f"headline-{h.slug}")) for h in boxes]
    return boxes, resolved[types_key], edit_url("crime-types")


def _crime_types_text(aud: Audience, all_types: list[dict], for_text: dict[str, PublishedComparison],
                      district: DistrictInfo, selection: Selection):
    rows = [r for r in sections.disclosed_types(all_types, for_text, district.code) if sections.has_figures(r)]
    return crime_types_text(rows, district_name=district.name, window=selection.window, ref=aud.ref)


def profile_text(aud: Audience, district: DistrictInfo, selection: Selection, part: str):
    """(key, generated text) of one of the profile's texts ("crime-types" or "headline-<slug>"), exactly as the
    profile writes it; None for a part the profile does not have. No queries beyond the comparison's."""
    ctx = comparison_context(selection.window, selection.group.slug, include_provisional=aud.include_provisional,
                             ref=aud.ref, generation=aud.generation)
    suppressible = [c.slug for c in aud.ref.categories if c.suppress_below]
    if part == "crime-types":
        published = {slug: pages.published_comparison(aud, ctx, slug)[0] for slug in suppressible}
        all_types = sections.crime_types(aud, ctx, district)
        for_text = sections.texts_published(aud, ctx, published, suppressible)
        return (crime_types_key(district.code, selection.window, selection.group.slug),
                _crime_types_text(aud, all_types, for_text, district, selection))
    slug = part.removeprefix("headline-")
    if not part.startswith("headline-") or slug not in KEY_THEMES or aud.ref.category(slug) is None:
        return None
    if slug not in set(ctx.table().rows["category"]):
        return None
    chosen = sections.texts_published(aud, ctx, {slug: pages.published_comparison(aud, ctx, slug)[0]}, [slug])[slug]
    return (headline_key(district.code, slug, selection.window, selection.group.slug),
            headline_text(chosen, district_code=district.code, district_name=district.name))


# --- A district's top neighbourhoods, on a page of their own ------------------------------------------


def neighbourhoods_page(ref, district: DistrictInfo, params, *, user) -> pages.Page:
    """A district's top neighbourhoods and wards for a police.uk category and window (any loaded months,
    not only the profile's period), with its own simple form."""
    loaded = loaded_months(ref, district)
    errors: dict[str, str] = {}

    slug = params.get("category") or reference.POLICEUK_TOTAL
    category = ref.category(slug)
    if category is None or category.family != POLICEUK_FAMILY:
        errors["category"] = "Choose one of the police.uk categories in the list"
        category = ref.category(reference.POLICEUK_TOTAL)

    end = None
    if params.get("end"):
        try:
            end = parse_month(params["end"])
        except ValueError as exc:
            errors["end"] = f"The last month {exc}"
    months = None
    if params.get("months"):
        try:
            months = int(params["months"])
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
        "categories": policeuk_categories(ref),
        "end_choices": [(format_month(m), month_label(m)) for m in end_choices],
        "month_choices": list(range(1, MAX_MONTHS + 1)),
        "selected_end": format_month(window.end) if window else "",
        "selected_months": window.months if window else None,
        "errors": errors,
        "error_summary": [{"text": message, "href": f"#{name}"} for name, message in errors.items()],
        "chart": charts.top_neighbourhoods_chart(report) if report.available else None,
        "profile_url": reverse("district-profile", args=[district.code]),
        "upload_url": _upload_url() if roles.can_import_county_data(user) else None,
    }
    return pages.Page("crimedata/policeuk/neighbourhoods.html", context, status=400 if errors else 200)


def _upload_url() -> str | None:
    """The police.uk upload page, where a county analyst loads more months (when this build has it)."""
    try:
        return reverse("policeuk-upload")
    except NoReverseMatch:
        return None
