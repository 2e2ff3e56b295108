"""Who is asking and what they chose: the audience and the choices behind every comparison URL.

``audience`` says what data a request may see (final figures only, or
provisional too; which view of small numbers; the months with data). Pages
and the API read the same query parameters (``end``, ``months``, ``group``,
``rank_by``, ``base``, ``highlight`` ...) and check them here, so a bad
parameter gets the same specific message everywhere: on a page as a GOV.UK
error summary, in the API as a 400 JSON error naming the parameter and what is
allowed. The parsing never touches the database; callers pass the reference
data and the months that have data for this user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.http import HttpRequest

from assessments.comparison.compute import RANK_BY_CHOICES
from assessments.comparison.context import cached_months_with_data
from assessments.profile.neighbourhoods import POLICEUK_FAMILY, policeuk_categories
from crimedata import reference, roles
from crimedata.periods import MAX_MONTHS, Window, format_month, month_label, parse_month, quarter_window
from crimedata.selectors import (
    CategoryInfo,
    DistrictInfo,
    GroupInfo,
    ReferenceData,
    data_generation,
    reference_data,
)

DEFAULT_GROUP = "kent"
# Medway is not in the KCC group; its default comparison is the 13 Kent Police areas.
FALLBACK_GROUP = "kent-and-medway"
MAX_BASE = 1_000_000
# The parameters that travel between the comparison, profile and overview pages.
SHARED = ("end", "months", "group")

RANK_BY_LABELS = {"rate": "Rate per residents", "count": "Number recorded", "change_pct": "Change on a year earlier (%)"}
VIEW_CHOICES = {"rate": "Rates per residents", "count": "Numbers recorded"}
SHOW_CHOICES = {"main": "Main categories", "all": "Every category"}
# Confidence levels for intervals and significance (docs/methods.md §2.1): the URL value and its label.
CONFIDENCE_CHOICES = {"95": "95% (the usual level)", "99.8": "99.8% (stricter)"}
CONFIDENCE_LEVELS = {"95": 0.95, "99.8": 0.998}
EXPORT_FORMATS = ("csv", "xlsx")
API_FORMATS = ("json", "csv")


@dataclass(frozen=True)
class ParamError:
    """One bad parameter: its name, what was wrong, and what is allowed."""

    parameter: str
    message: str
    allowed: str | list[str]
    value: str | None = None

    def as_json(self) -> dict:
        return {"parameter": self.parameter, "message": self.message, "allowed": self.allowed, "value": self.value}


@dataclass(frozen=True)
class DataMonths:
    """The first and last month with figures visible to this user (None when there are none)."""

    first: int | None
    last: int | None

    @property
    def empty(self) -> bool:
        return self.last is None

    def first_end(self, months: int) -> int | None:
        return None if self.first is None else self.first + months - 1


@dataclass
class Audience:
    """The data this request may see.

    ``disclosure`` is the view of small numbers (``crimedata.roles.small_number_view``):
    "public", "partner" or "analyst" (true values, marked "suppressed in public").
    """

    include_provisional: bool
    generation: int
    ref: ReferenceData
    months: DataMonths
    disclosure: str = roles.PUBLIC


def audience(request: HttpRequest) -> Audience:
    """Who is asking, read once per request: the role lookup (signed-in users only; cached on the user),
    the data generation (1 query) and, on a cold cache, the reference data and the months with data."""
    include_provisional = roles.can_see_provisional(request.user)
    generation = data_generation()
    ref = reference_data(generation)
    first, last = cached_months_with_data(generation, include_provisional=include_provisional)
    return Audience(include_provisional, generation, ref, DataMonths(first, last), roles.small_number_view(request.user))


@dataclass(frozen=True)
class Selection:
    """A validated set of choices. ``window`` is ``months`` whole months ending at ``end``."""

    end: int
    months: int
    group: GroupInfo
    rank_by: str = "rate"
    base: int | None = None
    highlight: DistrictInfo | None = None
    view: str = "rate"
    show: str = "main"
    category: CategoryInfo | None = None
    trend: CategoryInfo | None = None
    district: DistrictInfo | None = None
    confidence: float = 0.95
    neighbourhoods: CategoryInfo | None = None
    notices: tuple[str, ...] = field(default=(), compare=False)

    @property
    def window(self) -> Window:
        return Window.ending(self.end, self.months)

    @property
    def confidence_label(self) -> str:
        """"95%" or "99.8%"."""
        return "99.8%" if self.confidence == 0.998 else "95%"

    @property
    def confidence_value(self) -> str:
        """The URL value: "95" or "99.8"."""
        return "99.8" if self.confidence == 0.998 else "95"

    def shared_params(self) -> dict[str, str]:
        return {"end": format_month(self.end), "months": str(self.months), "group": self.group.slug}

    def query(self, **changes) -> str:
        """The shared parameters plus ``changes`` (None removes one), as a query string with '?'."""
        params = self.shared_params()
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = str(value)
        return "?" + urlencode(params)


def _get(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _whole_number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def parse_months(params, errors: list[ParamError]) -> int:
    raw = _get(params, "months")
    if raw is None:
        return 12
    number = _whole_number(raw)
    if number is None or not 1 <= number <= MAX_MONTHS:
        errors.append(ParamError("months", f"months must be a whole number from 1 to {MAX_MONTHS}", f"1 to {MAX_MONTHS}", raw))
        return 12
    return number


def parse_end(params, months: int, data: DataMonths, errors: list[ParamError], *, required: bool) -> int | None:
    raw = _get(params, "end")
    if data.empty:
        if raw is not None or required:
            errors.append(ParamError("end", "end cannot be chosen: there are no figures yet", "no months", raw))
        return None
    last = data.last
    first = min(data.first_end(months), last)
    allowed = f"a month from {format_month(first)} to {format_month(last)}, written as YYYY-MM"
    if raw is None:
        if required:
            errors.append(ParamError("end", f"end is required: {allowed}", allowed, None))
        return last
    try:
        end = parse_month(raw)
    except ValueError as error:
        errors.append(ParamError("end", f"end {error}", allowed, raw))
        return last
    if end > last:
        errors.append(ParamError(
            "end", f"end must not be after {format_month(last)} ({month_label(last)}), the latest month with figures",
            allowed, raw,
        ))
        return last
    if end < first:
        errors.append(ParamError(
            "end",
            f"end must not be before {format_month(first)}: {months} month{'s' if months != 1 else ''} ending "
            f"earlier would start before the first month with figures ({month_label(data.first)})",
            allowed, raw,
        ))
        return last
    return end


def parse_group(params, ref: ReferenceData, errors: list[ParamError], default: str = DEFAULT_GROUP) -> GroupInfo:
    raw = _get(params, "group")
    slugs = [g.slug for g in ref.groups]
    if raw is None:
        return ref.group(default) or ref.groups[0]
    group = ref.group(raw.lower())
    if group is None:
        errors.append(ParamError("group", f"group must be one of: {', '.join(slugs)}", slugs, raw))
        return ref.group(default) or ref.groups[0]
    return group


def parse_choice(params, name: str, choices, errors: list[ParamError], default: str) -> str:
    raw = _get(params, name)
    if raw is None:
        return default
    if raw not in choices:
        allowed = list(choices)
        errors.append(ParamError(name, f"{name} must be one of: {', '.join(allowed)}", allowed, raw))
        return default
    return raw


def parse_base(params, errors: list[ParamError]) -> int | None:
    raw = _get(params, "base")
    if raw is None:
        return None
    number = _whole_number(raw)
    if number is None or not 1 <= number <= MAX_BASE:
        errors.append(ParamError(
            "base", f"base must be a whole number from 1 to {MAX_BASE:,}, for example 1000 for a rate per 1,000 residents",
            f"1 to {MAX_BASE}", raw,
        ))
        return None
    return number


def parse_confidence(params, errors: list[ParamError]) -> float:
    """``confidence``: 95 (the default) or 99.8, as a percentage; "95%" and "0.95" are accepted too."""
    raw = _get(params, "confidence")
    if raw is None:
        return 0.95
    text = raw.rstrip("%").strip()
    aliases = {"0.95": "95", "0.998": "99.8", "95.0": "95"}
    text = aliases.get(text, text)
    if text not in CONFIDENCE_LEVELS:
        errors.append(ParamError(
            "confidence", "confidence must be 95 or 99.8 (the level of the confidence intervals, in %)",
            list(CONFIDENCE_LEVELS), raw,
        ))
        return 0.95
    return CONFIDENCE_LEVELS[text]


def parse_district(params, name: str, ref: ReferenceData, errors: list[ParamError]) -> DistrictInfo | None:
    raw = _get(params, name)
    if raw is None:
        return None
    district = ref.district(raw.upper())
    if district is None:
        codes = [d.code for d in ref.districts]
        errors.append(ParamError(
            name, f"{name} must be the ONS code of a district, for example {codes[-1] if codes else 'E07000116'}",
            codes, raw,
        ))
    return district


def parse_category(params, name: str, ref: ReferenceData, errors: list[ParamError], *, required: bool,
                   default: str | None = None) -> CategoryInfo | None:
    raw = _get(params, name)
    slugs = [c.slug for c in ref.categories]
    if raw is None:
        if required:
            errors.append(ParamError(name, f"{name} is required: one of the category slugs listed at /api/", slugs, None))
            return None
        return ref.category(default) if default else None
    category = ref.category(raw.lower())
    if category is None:
        errors.append(ParamError(name, f"{name} must be a category slug, such as all-crime; see /api/ for the list",
                                 slugs, raw))
        return ref.category(default) if default else None
    return category


DEFAULT_NEIGHBOURHOODS = reference.POLICEUK_TOTAL


def parse_policeuk_category(params, name: str, ref: ReferenceData, errors: list[ParamError]) -> CategoryInfo | None:
    """A police.uk category (the only ones counted by neighbourhood); all police.uk crime by default."""
    raw = _get(params, name)
    choices = policeuk_categories(ref)
    default = ref.category(DEFAULT_NEIGHBOURHOODS) or (choices[0] if choices else None)
    if raw is None:
        return default
    category = ref.category(raw.lower())
    if category is None or category.family != POLICEUK_FAMILY:
        slugs = [c.slug for c in choices]
        errors.append(ParamError(
            name, f"{name} must be a police.uk category, such as {DEFAULT_NEIGHBOURHOODS}: neighbourhood counts "
            "come only from police.uk street-level data", slugs, raw,
        ))
        return default
    return category


def parse_selection(
    params: Mapping[str, str],
    ref: ReferenceData,
    data: DataMonths,
    *,
    require_end: bool = False,
    default_group: str = DEFAULT_GROUP,
    accept: tuple[str, ...] = (),
) -> tuple[Selection | None, list[ParamError]]:
    """Read the window and group (always) and the optional parameters named in ``accept``.

    ``accept`` may include rank_by, base, highlight, view, show, trend, category,
    district, confidence and neighbourhoods (a police.uk category for the
    profile's top neighbourhoods). Returns (selection or None when there is no data, errors);
    on an error the bad parameter falls back to its default so a page can
    still draw its form.
    """
    errors: list[ParamError] = []
    months = parse_months(params, errors)
    end = parse_end(params, months, data, errors, required=require_end)
    group = parse_group(params, ref, errors, default_group)
    extra: dict = {}
    if "rank_by" in accept:
        extra["rank_by"] = parse_choice(params, "rank_by", RANK_BY_CHOICES, errors, "rate")
    if "base" in accept:
        extra["base"] = parse_base(params, errors)
    if "highlight" in accept:
        extra["highlight"] = parse_district(params, "highlight", ref, errors)
    if "view" in accept:
        extra["view"] = parse_choice(params, "view", VIEW_CHOICES, errors, "rate")
    if "show" in accept:
        extra["show"] = parse_choice(params, "show", SHOW_CHOICES, errors, "main")
    if "trend" in accept:
        extra["trend"] = parse_category(params, "trend", ref, errors, required=False, default="all-crime")
    if "category" in accept:
        extra["category"] = parse_category(params, "category", ref, errors, required=True)
    if "district" in accept:
        extra["district"] = parse_district(params, "district", ref, errors)
    if "confidence" in accept:
        extra["confidence"] = parse_confidence(params, errors)
    if "neighbourhoods" in accept:
        extra["neighbourhoods"] = parse_policeuk_category(params, "neighbourhoods", ref, errors)
    if end is None:
        return None, errors
    return Selection(end=end, months=months, group=group, **extra), errors


def default_group_for(district: DistrictInfo) -> str:
    """A district's own comparison group: the Kent districts, or all 13 Kent Police areas for Medway."""
    return DEFAULT_GROUP if district.in_kcc_area else FALLBACK_GROUP


def check_district_in_group(selection: Selection | None, district: DistrictInfo, ref: ReferenceData,
                            errors: list[ParamError]) -> None:
    """A district's pages compare it with a group it belongs to: any other ``group`` is an error."""
    if selection is not None and district.code not in selection.group.district_codes:
        allowed = [g.slug for g in ref.groups if district.code in g.district_codes]
        errors.append(ParamError(
            "group", f"group must be a group that includes {district.name}: {', '.join(allowed)}", allowed,
            selection.group.slug,
        ))


def with_highlight_in_group(selection: Selection) -> Selection:
    """Drop a highlighted district that is not in the group, saying why (not an error: the group changed)."""
    district = selection.highlight
    if district is None or district.code in selection.group.district_codes:
        return selection
    return replace(
        selection,
        highlight=None,
        notices=selection.notices + (f"{district.name} is not in {selection.group.name}, so it is not highlighted.",),
    )


def check_export(params, errors: list[ParamError], tables: tuple[str, ...]) -> tuple[str | None, str | None]:
    """``_export`` (csv or xlsx) and ``_table`` (which table on the page; the first by default)."""
    fmt = _get(params, "_export")
    if fmt is None:
        return None, None
    if fmt not in EXPORT_FORMATS:
        errors.append(ParamError("_export", "_export must be csv or xlsx", list(EXPORT_FORMATS), fmt))
        return None, None
    name = _get(params, "_table") or tables[0]
    if name not in tables:
        errors.append(ParamError("_table", f"_table must be one of: {', '.join(tables)}", list(tables), name))
        return None, None
    return fmt, name


# --- Window choices for the pickers --------------------------------------------------------


@dataclass(frozen=True)
class PeriodLink:
    label: str
    end: int
    months: int


def period_links(data: DataMonths, limit: int = 6) -> dict[str, list[PeriodLink]]:
    """Financial years, calendar years and quarters with data, newest first (for quick links)."""
    if data.empty:
        return {"financial": [], "calendar": [], "quarters": []}
    first, last = data.first, data.last
    financial, calendar, quarters = [], [], []
    for year in range(last // 12, first // 12 - 2, -1):
        fy = Window(year * 12 + 3, year * 12 + 14)  # April `year` to March `year + 1`
        if first <= fy.start and fy.end <= last and len(financial) < limit:
            financial.append(PeriodLink(fy.label, fy.end, 12))
        cy = Window(year * 12, year * 12 + 11)
        if first <= cy.start and cy.end <= last and len(calendar) < limit:
            calendar.append(PeriodLink(cy.label, cy.end, 12))
        for q in (4, 3, 2, 1):
            quarter = quarter_window(year, q)
            if first <= quarter.start and quarter.end <= last and len(quarters) < limit + 2:
                quarters.append(PeriodLink(quarter.label, quarter.end, 3))
    quarters.sort(key=lambda p: -p.end)
    return {"financial": financial, "calendar": calendar, "quarters": quarters[: limit + 2]}


def end_choices(data: DataMonths, months: int) -> list[tuple[str, str]]:
    """(value, label) for every month a window of ``months`` can end at, newest first."""
    if data.empty:
        return []
    first = min(data.first_end(months), data.last)
    return [(format_month(m), month_label(m)) for m in range(data.last, first - 1, -1)]


MONTHS_CHOICES = [(12, "12 months"), (6, "6 months"), (3, "3 months (a quarter)"), (1, "1 month")]


def months_choices(current: int) -> list[tuple[str, str]]:
    choices = list(MONTHS_CHOICES)
    if current not in dict(choices):
        choices.append((current, f"{current} months"))
        choices.sort(key=lambda c: -c[0])
    return [(str(value), label) for value, label in choices]


# --- The pickers form ----------------------------------------------------------------------------


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
            policeuk = policeuk_categories(ref)
            if not policeuk:
                continue
            options = [(c.slug, ("\u2013 " * ref.depth(c.slug)) + c.name) for c in policeuk]
            chosen = selection.neighbourhoods.slug if selection and selection.neighbourhoods else policeuk[0].slug
            out.append(_field("neighbourhoods", "Neighbourhoods for", options, chosen, errors,
                              hint="police.uk street-level crime"))
    return out


def quick_periods(aud: Audience, selection: Selection | None, path: str, keep: dict[str, str]) -> dict:
    """Links to financial years, calendar years and quarters, keeping the other choices."""
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
