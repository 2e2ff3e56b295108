"""The district profile's sections: crime types, proportionality, the trend and the top neighbourhoods.

The profile is the "All recorded crime" part of a strategic assessment. Its
headline boxes come from ``assessments.comparison.headline``; the parts here
are built from the ComparisonTable (every category for a group, this period
and a year earlier), its published comparisons (small-number suppression for
this reader) and a Trend. Pure, apart from the cached crime-type rows and the
neighbourhood report's two queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from assessments import charts
from assessments.comparison.compute import ComparisonTable, records
from assessments.comparison.context import ComparisonContext
from assessments.comparison.significance import change_assessment, change_word, row_change_significance
from assessments.comparison.suppression import PublishedComparison, disclose_trend, published_for, published_row
from assessments.comparison.trend import Trend
from assessments.profile.neighbourhoods import neighbourhood_report
from assessments.selection import Audience, Selection
from crimedata.cache import cache_key, cached
from crimedata.numbers import is_missing
from crimedata.periods import format_month, month_label
from crimedata.roles import commentary_view
from crimedata.selectors import DistrictInfo, ReferenceData

# The themes the Kent assessments open with, in their order (seed documents
# 000 and 002): all crime, then the usual priorities. A theme without data for
# this period still gets a box that says so.
KEY_THEMES = (
    "all-crime",
    "violent-crime",
    "asb-incidents",
    "domestic-abuse-incidents",
    "burglary-dwelling",
    "drug-offences",
    "road-casualties",
)

# Proportionality as the Tunbridge Wells assessment shows it: each type's share
# of all recorded crime plus ASB incidents (ASB 2,253 of 7,538 = 29.9%).
PROPORTION_TOTAL = "all-crime"
PROPORTION_EXTRA = "asb-incidents"


def _value(row: dict, key: str):
    value = row.get(key)
    return None if is_missing(value) else value


def has_figures(row: dict) -> bool:
    return any(row.get(k) is not None for k in ("count", "previous_count", "count_display", "previous_count_display"))


# --- Crime types -------------------------------------------------------------------------------------


def crime_type_rows(table: ComparisonTable, district: str, ref: ReferenceData) -> list[dict]:
    """Every category for the district, in the published tables' order (parents before parts).

    Each dict has the ComparisonTable columns plus name (the category's),
    depth (for indenting), polarity and order (the tree position, for sorting).
    """
    rows = {r["category"]: r for r in records(table.district_rows(district))}
    out = []
    for order, category in enumerate(ref.in_tree_order()):
        if category.slug not in rows:
            continue
        row = dict(rows[category.slug])
        row.update(
            district_name=row["name"],
            category=category.name,
            slug=category.slug,
            depth=ref.depth(category.slug),
            polarity=category.polarity,
            order=order,
        )
        out.append(row)
    return out


def crime_types(aud: Audience, ctx: ComparisonContext, district: DistrictInfo) -> list[dict]:
    """The profile's crime-type rows with each change's exact test, cached per data generation (the ~50
    binomial tests cost more than the rest of a warm profile)."""
    key = cache_key("profile-types:v2", aud.generation, aud.include_provisional,
                    f"{ctx.window.start}.{ctx.window.end}", ctx.group.slug, district.code)

    def build() -> list[dict]:
        rows = crime_type_rows(ctx.table(), district.code, aud.ref)
        with_change_tests(rows)
        return rows

    return [dict(r) for r in cached(key, build)]


def with_change_tests(rows: list[dict]) -> None:
    """Add each row's exact change test (docs/methods.md §3) as change_significance/change_assessment (pure)."""
    for row in rows:
        result = row_change_significance(row)
        word = change_word(result)
        row["change_significance"] = word
        row["change_assessment"] = change_assessment(word, row["polarity"])
        row["change_p"] = None if result is None else result.p_exact


def disclosed_types(rows: list[dict], published: dict[str, PublishedComparison], district: str) -> list[dict]:
    """Crime-type rows with each suppressible category's figures as its published comparison shows them."""
    out = []
    for row in rows:
        chosen = published.get(row["slug"])
        if chosen is not None and chosen.comparison.category.suppress_below:
            row = published_row(row, chosen, district)
        out.append(row)
    return out


def texts_published(aud: Audience, ctx: ComparisonContext, published: dict[str, PublishedComparison],
                    slugs) -> dict[str, PublishedComparison]:
    """The comparisons commentary is written from: the page's own, except that an analyst's true small numbers
    are replaced by what partners see (crimedata.roles.commentary_view)."""
    text_view = commentary_view(aud.disclosure)
    out = dict(published)
    if text_view != aud.disclosure:
        for slug in slugs:
            category = aud.ref.category(slug)
            if category is not None and category.suppress_below:
                out[slug] = published_for(ctx, slug, text_view)
    return out


# --- Proportionality ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proportions:
    """Shares of a stated total: ``base_label`` says what the total is."""

    base_label: str
    total: int | None
    rows: list[dict]


def proportions(table: ComparisonTable, district: str, ref: ReferenceData) -> Proportions:
    """Each recorded-crime type's share, with ASB, of all recorded crime plus ASB incidents.

    The parts are the smallest recorded-crime types (their sum is all recorded
    crime) and ASB. When ASB has no figure, the base is all recorded crime
    alone, and the label says so. When all recorded crime has no figure there
    is no base: every share is missing.
    """
    rows = {r["category"]: r for r in records(table.district_rows(district))}
    tree = ref.tree()

    def leaves(slug: str) -> list[str]:
        children = tree.additive_children(slug)
        if not children:
            return [slug]
        out: list[str] = []
        for child in children:
            out.extend(leaves(child))
        return out

    crime = _value(rows.get(PROPORTION_TOTAL, {}), "count")
    extra = _value(rows.get(PROPORTION_EXTRA, {}), "count")
    parts = leaves(PROPORTION_TOTAL) if ref.category(PROPORTION_TOTAL) else []
    crime_name = ref.category(PROPORTION_TOTAL).name.lower() if ref.category(PROPORTION_TOTAL) else "all recorded crime"
    if crime is not None and extra is not None:
        total = int(crime + extra)
        parts = [PROPORTION_EXTRA, *parts]
        label = f"{crime_name} plus anti-social behaviour incidents"
    else:
        total = int(crime) if crime is not None else None
        label = crime_name + (" (there is no anti-social behaviour figure for this period)" if crime is not None else "")
    out = []
    for slug in parts:
        category = ref.category(slug)
        if category is None:
            continue
        row = rows.get(slug, {})
        count = _value(row, "count")
        out.append(
            {
                "category": category.name,
                "slug": slug,
                "count": count,
                "provisional": bool(row.get("provisional")),
                "share": count / total * 100 if count is not None and total else None,
            }
        )
    out.sort(key=lambda r: (r["share"] is None, -(r["share"] or 0), r["category"]))
    return Proportions(base_label=label, total=total, rows=out)


def disclosed_shares(shares: Proportions, types: list[dict], hide: bool) -> Proportions:
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
        return Proportions(base_label=shares.base_label, total=None, rows=rows)
    return Proportions(base_label=shares.base_label, total=shares.total, rows=rows)


# --- The trend ---------------------------------------------------------------------------------------


def trend_rows(trend: Trend, district: str) -> list[dict]:
    """One dict per month end: end, label, count, rate, provisional, group_rate, group_missing."""
    mine = trend.districts[trend.districts["district"] == district].set_index("end")
    group = trend.group_line.set_index("end")
    out = []
    for window in trend.windows:
        end = window.end
        row = mine.loc[end] if end in mine.index else None
        out.append(
            {
                "end": end,
                "label": month_label(end),
                "count": None if row is None or is_missing(row["count"]) else int(row["count"]),
                "rate": None if row is None or is_missing(row["rate"]) else float(row["rate"]),
                "provisional": bool(row["provisional"]) if row is not None else False,
                "group_rate": None if end not in group.index or is_missing(group.loc[end, "rate"])
                else float(group.loc[end, "rate"]),
                "group_missing": list(group.loc[end, "missing"]) if end in group.index else [],
            }
        )
    return out


def disclosed_trend(points: list[dict], trend: Trend, district: str, view: str) -> list[dict]:
    """Trend points with each window's small numbers hidden as that window's comparison hides them."""
    hidden = disclose_trend(trend.districts, district, suppress_below=trend.category.suppress_below, audience=view)
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


# --- Top neighbourhoods ------------------------------------------------------------------------------


def neighbourhoods_section(aud: Audience, district: DistrictInfo, selection: Selection,
                           table: ComparisonTable) -> dict:
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
                       neighbourhoods_chart=charts.top_neighbourhoods_chart(report) if report.available else None)
    return context
