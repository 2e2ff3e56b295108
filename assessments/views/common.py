"""What every comparison page and API view starts with: who is asking, what data they may see, their choices.

Queries: the role lookup (signed-in users only; cached on the user), the data
generation (1) and, on a cold cache, the reference data and the months with
data. Everything else comes from the cached comparison service.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.http import HttpRequest

from assessments.comparison import cached_months_with_data, cached_populations
from assessments.disclosure import audience_for
from assessments.pickers import (
    CONFIDENCE_CHOICES,
    POLICEUK_FAMILY,
    RANK_BY_LABELS,
    SHOW_CHOICES,
    VIEW_CHOICES,
    DataMonths,
    ParamError,
    Selection,
    end_choices,
    months_choices,
    period_links,
)
from crimedata import roles
from crimedata.periods import format_month
from crimedata.selectors import ReferenceData, data_generation, reference_data


@dataclass
class Audience:
    """The data this request may see.

    ``disclosure`` is the view of small numbers (assessments.disclosure):
    "public", "partner" or "analyst" (true values, marked "suppressed in public").
    """

    include_provisional: bool
    generation: int
    ref: ReferenceData
    months: DataMonths
    disclosure: str = "public"


def audience(request: HttpRequest) -> Audience:
    include_provisional = roles.can_see_provisional(request.user)
    generation = data_generation()
    ref = reference_data(generation)
    first, last = cached_months_with_data(generation, include_provisional=include_provisional)
    return Audience(include_provisional, generation, ref, DataMonths(first, last), audience_for(request.user))


# --- Pickers -------------------------------------------------------------------------------------


def _field(name: str, label: str, options, selected, errors: list[ParamError], hint: str = "") -> dict:
    error = next((e.message for e in errors if e.parameter == name), None)
    return {
        "id": f"picker-{name}",
        "name": name,
        "label": label,
        "hint": hint,
        "options": [{"value": str(v), "label": lbl, "selected": str(v) == str(selected)} for v, lbl in options],
        "error": error,
    }


def picker_fields(
    fields: tuple[str, ...],
    selection: Selection | None,
    aud: Audience,
    errors: list[ParamError],
    *,
    category: str | None = None,
    district: str | None = None,
) -> list[dict]:
    """Select boxes for the pickers form, in ``fields`` order, with errors attached."""
    ref = aud.ref
    months = selection.months if selection else 12
    out = []
    for name in fields:
        if name == "category":
            options = [(c.slug, ("\u2013 " * ref.depth(c.slug)) + c.name) for c in ref.in_tree_order()]
            out.append(_field("category", "Category", options, category, errors))
        elif name == "district":
            options = [(d.code, d.name) for d in ref.districts]
            out.append(_field("district", "District", options, district, errors))
        elif name == "end":
            selected = format_month(selection.end) if selection else ""
            out.append(_field("end", "Period ending", end_choices(aud.months, months), selected, errors,
                              hint="The last month of the period"))
        elif name == "months":
            out.append(_field("months", "Length", months_choices(months), months, errors))
        elif name == "group":
            options = [(g.slug, g.name) for g in ref.groups]
            out.append(_field("group", "Compare with", options, selection.group.slug if selection else "kent", errors))
        elif name == "rank_by":
            out.append(_field("rank_by", "County position by", RANK_BY_LABELS.items(),
                              selection.rank_by if selection else "rate", errors))
        elif name == "highlight":
            codes = selection.group.district_codes if selection else ()
            options = [("", "No district")] + [(d.code, d.name) for d in ref.districts if d.code in codes]
            chosen = selection.highlight.code if selection and selection.highlight else ""
            out.append(_field("highlight", "Highlight", options, chosen, errors))
        elif name == "view":
            out.append(_field("view", "Show", VIEW_CHOICES.items(), selection.view if selection else "rate", errors))
        elif name == "show":
            out.append(_field("show", "Categories", SHOW_CHOICES.items(), selection.show if selection else "main",
                              errors))
        elif name == "trend":
            options = [(c.slug, ("\u2013 " * ref.depth(c.slug)) + c.name) for c in ref.in_tree_order()]
            chosen = selection.trend.slug if selection and selection.trend else "all-crime"
            out.append(_field("trend", "Trend for", options, chosen, errors))
        elif name == "confidence":
            chosen = selection.confidence_value if selection else "95"
            out.append(_field("confidence", "Confidence intervals", CONFIDENCE_CHOICES.items(), chosen, errors))
        elif name == "neighbourhoods":
            policeuk = ref.in_tree_order([c.slug for c in ref.family(POLICEUK_FAMILY)])
            if not policeuk:
                continue
            options = [(c.slug, ("\u2013 " * ref.depth(c.slug)) + c.name) for c in policeuk]
            chosen = selection.neighbourhoods.slug if selection and selection.neighbourhoods else policeuk[0].slug
            out.append(_field("neighbourhoods", "Neighbourhoods for", options, chosen, errors,
                              hint="police.uk street-level crime"))
    return out


def quick_periods(aud: Audience, selection: Selection | None, path: str, keep: dict[str, str]) -> dict:
    """Links to financial years, calendar years and quarters, keeping the other choices."""
    from urllib.parse import urlencode

    groups = period_links(aud.months)
    out = {}
    for key, links in groups.items():
        out[key] = [
            {
                "label": link.label,
                "url": path + "?" + urlencode({**keep, "end": format_month(link.end), "months": link.months}),
                "current": selection is not None and selection.end == link.end and selection.months == link.months,
            }
            for link in links
        ]
    return out


def error_summary(errors: list[ParamError], fields: tuple[str, ...] = ()) -> list[dict]:
    """GOV.UK error summary items; each links to its select box when the form has one."""
    # In the form's order, as the GOV.UK pattern asks; other parameters after.
    ordered = sorted(errors, key=lambda e: fields.index(e.parameter) if e.parameter in fields else len(fields))
    return [{"text": e.message, "href": f"#picker-{e.parameter}" if e.parameter in fields else None} for e in ordered]


# --- Footnotes -----------------------------------------------------------------------------------


def population_notes(aud: Audience, *, years_now: list[int], years_before: list[int], wanted_now: int,
                     wanted_before: int, districts: tuple[str, ...]) -> list[str]:
    """Which mid-year population estimates the rates use, their source, and any substitute year."""
    frame = cached_populations(aud.ref, aud.generation)
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


def years_of(series: pd.Series) -> list[int]:
    return sorted(int(y) for y in series.dropna().unique())


def provisional_note(aud: Audience) -> str:
    if aud.include_provisional:
        return (
            "Figures marked P are provisional: OFFICIAL SENSITIVE \u2013 provisional data before it is finalised "
            "and published by the Office for National Statistics. A total, change or rate built on a provisional "
            "figure is marked too."
        )
    return "You are seeing published (final) figures only. Partners who sign in also see provisional figures."


__all__ = [
    "Audience",
    "audience",
    "error_summary",
    "picker_fields",
    "population_notes",
    "provisional_note",
    "quick_periods",
    "years_of",
]
