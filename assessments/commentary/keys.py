"""The generated texts on the district profile, the plan pages and the SPC charts, and the keys their edits
are kept under.

Pure functions over comparisons that pages have already computed (no
queries): a sentence for each headline box, a paragraph for the crime-type
table and a paragraph of evidence for each priority. Pages resolve them with
``assessments.commentary.edits.resolve_many`` (one query for all the texts on
a page), so an officer's edit is shown in place of the generated text and
marked when the figures change.

Commentary is written for publication, so it is always generated from the
figures as partners see them (small numbers hidden; ``crimedata.roles.commentary_view``),
even for an analyst who sees the true values in the tables: an edit made from
an analyst's screen can then never carry a hidden number to a partner or the public.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from assessments.commentary.text import (
    GeneratedText,
    Measure,
    crime_type_summary,
    group_words,
    headline,
    priority_paragraph,
)
from crimedata.periods import Window, format_month

if TYPE_CHECKING:
    from assessments.comparison.suppression import PublishedComparison

RECORDED_CRIME = "all-crime"


def commentary_key(*parts: object) -> str:
    """A stable key for one generated text, e.g. commentary_key("spc", "E07000110", "all-crime", "month")."""
    return ":".join(str(p) for p in parts)


def _window_part(window: Window) -> str:
    return f"{format_month(window.start)}:{format_month(window.end)}"


def headline_key(district_code: str, slug: str, window: Window, group_slug: str) -> str:
    """'headline:E07000116:all-crime:2015-10:2016-09:kent'."""
    return commentary_key("headline", district_code, slug, _window_part(window), group_slug)


def crime_types_key(district_code: str, window: Window, group_slug: str) -> str:
    return commentary_key("crime-types", district_code, _window_part(window), group_slug)


def priority_key(priority_id: int) -> str:
    return commentary_key("priority", priority_id)


def spc_key(district_code: str, slug: str, grain: str) -> str:
    """'spc:E07000110:robbery:month': one summary per series and grain, whatever options a reader picks."""
    return commentary_key("spc", district_code, slug, grain)


def headline_text(published: PublishedComparison, *, district_code: str, district_name: str) -> GeneratedText:
    """The headline box's sentence for one district from its published comparison."""
    comparison = published.comparison
    row = published.row(district_code) or {"district": district_code, "name": district_name}
    return headline(
        row,
        category=comparison.category,
        window_label=comparison.window.label,
        group=group_words(comparison.group.slug, comparison.group.name),
        rows=published.records,
        district_name=district_name,
        confidence=published.confidence,
        rank_by=comparison.rank_by,
    )


def crime_type_rows_for_text(rows: Iterable[Mapping], ref) -> list[dict]:
    """The most detailed recorded-crime types with figures, which add up to all recorded crime without overlap.

    ``rows`` are the profile's crime-type rows (one per category with figures;
    ``slug``, ``category`` = the name, counts, change and significance). A
    type is left out when one of its parts has figures too, so "9 of the 12
    crime types rose" never counts a crime twice.
    """
    rows = list(rows)
    tree = ref.tree()
    subtree = {RECORDED_CRIME, *tree.descendants(RECORDED_CRIME)}
    with_figures = {r["slug"] for r in rows}
    out = []
    for row in rows:
        slug = row["slug"]
        if slug not in subtree:
            continue
        if any(child in with_figures for child in tree.additive_children(slug)):
            continue
        out.append({**row, "name": row["category"]})
    return out


def crime_types_text(rows: Sequence[Mapping], *, district_name: str, window: Window, ref) -> GeneratedText:
    return crime_type_summary(
        crime_type_rows_for_text(rows, ref), district_name=district_name, window_label=window.label,
        noun="crime types",
    )


def priority_text(
    title: str,
    categories: Sequence,
    published: Mapping[str, PublishedComparison],
    *,
    district_code: str,
    district_name: str,
    window: Window,
    group_slug: str,
    group_name: str,
) -> GeneratedText:
    """The evidence paragraph for one priority: a clause per linked category."""
    measures = []
    for category in categories:
        comparison = published.get(category.slug)
        if comparison is None:
            continue
        row = comparison.row(district_code) or {}
        measures.append(Measure(category=comparison.comparison.category, row=row))
    return priority_paragraph(
        title, measures, district_name=district_name, window_label=window.label,
        group=group_words(group_slug, group_name),
    )
