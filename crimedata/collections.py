"""Collection windows: a county analyst's call for one quarter's figures, and each district's progress.

A window names a financial-year quarter, the categories to collect (those districts enter), the districts
asked, and opening and closing dates. From these:

- officers see on the entry home page what is due from their districts, by when, and exactly which
  figures are still missing (``due_for``);
- the completeness page and the window's own page show each district's progress, and after the closing
  date which districts are late (``window_rows``);
- reminders go out a week before and on the closing date (``crimedata.reminders``).

A figure counts as entered by the completeness page's rule (``crimedata.entry.completeness_counts``):
figures inside the quarter that cover every month of a grid cell. A district whose quarter is signed
off is complete: nothing more can be entered.

Reads are cached per data generation (``crimedata.cache``). Saving a window bumps the generation (as a
sign-off does), and so does every figure saved, so the cached windows and progress never outlive what
they were worked out from. The checks of a window (``window_problems``) and the progress
(``missing_cells``) are pure and tested without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from crimedata import roles
from crimedata.cache import cache_key, cached
from crimedata.entry import Quarter, cell_windows, entry_categories
from crimedata.models import CollectionWindow, DistrictMembership, SentEmail
from crimedata.periods import Window, month_label
from crimedata.selectors import CategoryInfo, DistrictInfo, ReferenceData, figures_frame
from crimedata.services import bump_data_generation
from crimedata.signoff import sign_offs_between

# Reminders go out this many days before a window closes (and on the closing day).
REMINDER_DAYS_BEFORE = 7

# Progress states of one district in one window, with the GOV.UK tag that reinforces the words.
NOT_OPEN = "not-open"
DUE = "due"
LATE = "late"
COMPLETE = "complete"
SIGNED_OFF = "signed-off"
STATE_LABELS = {NOT_OPEN: "Not open yet", DUE: "Due", LATE: "Late", COMPLETE: "Complete", SIGNED_OFF: "Signed off"}
STATE_TAGS = {
    NOT_OPEN: "govuk-tag--grey",
    DUE: "govuk-tag--yellow",
    LATE: "govuk-tag--red",
    COMPLETE: "govuk-tag--green",
    SIGNED_OFF: "govuk-tag--blue",
}


def date_text(day: dt.date) -> str:
    """'31 July 2016'."""
    return f"{day.day} {day:%B %Y}"


def days_text(days: int) -> str:
    return "1 day" if abs(days) == 1 else f"{abs(days)} days"


# --- The window as pages read it ---------------------------------------------------------------------


@dataclass(frozen=True)
class WindowInfo:
    id: int
    quarter: Quarter
    opens_on: dt.date
    closes_on: dt.date
    note: str
    category_slugs: tuple[str, ...]
    district_codes: tuple[str, ...]
    created_by_id: int | None
    created_by: str

    @property
    def title(self) -> str:
        """'Q1 2016/17 figures (April to June 2016)'."""
        return f"{self.quarter.short_label} figures ({self.quarter.months_label})"

    def has_opened(self, today: dt.date) -> bool:
        return self.opens_on <= today

    def has_closed(self, today: dt.date) -> bool:
        return today > self.closes_on

    def is_open(self, today: dt.date) -> bool:
        return self.has_opened(today) and not self.has_closed(today)

    def timing(self, today: dt.date) -> str:
        """'Opens on 1 July 2016', 'Closes on 31 July 2016 (in 5 days)', 'Closes today, 31 July 2016',
        'Closed on 31 July 2016 (3 days ago)'."""
        if not self.has_opened(today):
            return f"Opens on {date_text(self.opens_on)}, closes on {date_text(self.closes_on)}"
        left = (self.closes_on - today).days
        if left > 0:
            return f"Closes on {date_text(self.closes_on)} (in {days_text(left)})"
        if left == 0:
            return f"Closes today, {date_text(self.closes_on)}"
        return f"Closed on {date_text(self.closes_on)} ({days_text(left)} ago)"

    def dates_text(self) -> str:
        return f"{date_text(self.opens_on)} to {date_text(self.closes_on)}"

    def categories(self, ref: ReferenceData) -> list[CategoryInfo]:
        wanted = set(self.category_slugs)
        return [c for c in ref.categories if c.slug in wanted]

    def districts(self, ref: ReferenceData) -> list[DistrictInfo]:
        wanted = set(self.district_codes)
        return [d for d in ref.districts if d.code in wanted]


def _read_windows() -> list[WindowInfo]:
    """Every window with its categories and districts (three queries)."""
    through_categories = CollectionWindow.categories.through.objects.values_list("collectionwindow_id", "category__slug")
    through_districts = CollectionWindow.districts.through.objects.values_list("collectionwindow_id", "district__code")
    categories: dict[int, list[str]] = {}
    for window_id, slug in through_categories:
        categories.setdefault(window_id, []).append(slug)
    districts: dict[int, list[str]] = {}
    for window_id, code in through_districts:
        districts.setdefault(window_id, []).append(code)
    rows = CollectionWindow.objects.values(
        "id", "quarter_year", "quarter_number", "opens_on", "closes_on", "note", "created_by_id",
        "created_by__username", "created_by__first_name", "created_by__last_name",
    )
    return [
        WindowInfo(
            id=r["id"], quarter=Quarter(r["quarter_year"], r["quarter_number"]), opens_on=r["opens_on"],
            closes_on=r["closes_on"], note=r["note"], category_slugs=tuple(sorted(categories.get(r["id"], ()))),
            district_codes=tuple(sorted(districts.get(r["id"], ()))), created_by_id=r["created_by_id"],
            created_by=" ".join(filter(None, [r["created_by__first_name"], r["created_by__last_name"]]))
            or (r["created_by__username"] or ""),
        )
        for r in rows
    ]


def collection_windows(generation: int) -> list[WindowInfo]:
    """Every window, newest quarter first (cached per data generation: no queries when warm)."""
    return cached(cache_key("collection-windows:v1", generation), _read_windows)


def window_by_id(generation: int, window_id: int) -> WindowInfo | None:
    return next((w for w in collection_windows(generation) if w.id == window_id), None)


# --- Progress (pure) ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingFigure:
    """One grid cell with no figure: a month of a monthly category, or a quarterly category's quarter."""

    category: CategoryInfo
    window: Window

    @property
    def period_text(self) -> str:
        if self.window.months == 1:
            return month_label(self.window.start)
        return f"quarter total ({month_label(self.window.start)} to {month_label(self.window.end)})"

    @property
    def text(self) -> str:
        """'Anti-social behaviour incidents: May 2016'."""
        return f"{self.category.name}: {self.period_text}"


def missing_cells(
    stored: Mapping[str, Sequence[tuple[int, int]]], categories: Sequence[CategoryInfo], quarter: Quarter
) -> tuple[int, list[MissingFigure]]:
    """(cells expected, the cells with no figure) of one district's grid for ``categories``.

    ``stored``: category slug -> (start, end) month indexes of the district's stored figures. The
    completeness page's rule (crimedata.entry.completeness_counts): a cell is entered when figures
    lying inside the quarter cover all its months, so a monthly category stored as one quarter
    figure is entered; a 12-month figure is not a quarter's figures.
    """
    q = quarter.window
    cells = cell_windows(categories, quarter)
    missing = []
    for category, cell in cells:
        touching = [(s, e) for s, e in stored.get(category.slug, ())
                    if s >= q.start and e <= q.end and s <= cell.end and cell.start <= e]
        covered = sum(min(e, cell.end) - max(s, cell.start) + 1 for s, e in touching)
        if covered != cell.months:
            missing.append(MissingFigure(category=category, window=cell))
    return len(cells), missing


@dataclass(frozen=True)
class DistrictProgress:
    """What one district has entered of one window's figures."""

    window_id: int
    district: DistrictInfo
    expected: int
    missing: tuple[MissingFigure, ...]
    signed_off: bool

    @property
    def entered(self) -> int:
        return self.expected - len(self.missing)

    @property
    def complete(self) -> bool:
        return self.signed_off or not self.missing

    def state(self, window: WindowInfo, today: dt.date) -> str:
        if self.signed_off:
            return SIGNED_OFF
        if not self.missing:
            return COMPLETE
        if not window.has_opened(today):
            return NOT_OPEN
        return LATE if window.has_closed(today) else DUE

    @property
    def detail(self) -> str:
        """'4 of 6 figures entered'."""
        if self.signed_off:
            return "Signed off: no more figures can be entered"
        return f"{self.entered} of {self.expected} figure{'s' if self.expected != 1 else ''} entered"


def progress_from_frame(
    figures, signed: Mapping[int, Sequence], windows: Sequence[WindowInfo], ref: ReferenceData
) -> dict[tuple[int, str], DistrictProgress]:
    """Each (window id, district code)'s progress from a figures frame and the sign-offs (pure)."""
    stored: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for code, slug, start, end in zip(figures["district"], figures["category"], figures["start"], figures["end"]):
        stored.setdefault((code, slug), []).append((int(start), int(end)))
    out = {}
    for window in windows:
        categories = window.categories(ref)
        q = window.quarter.window
        for district in window.districts(ref):
            mine = {c.slug: stored.get((district.code, c.slug), ()) for c in categories}
            expected, missing = missing_cells(mine, categories, window.quarter)
            signed_off = any(s.start <= q.start and q.end <= s.end for s in signed.get(district.id, ()))
            out[(window.id, district.code)] = DistrictProgress(
                window_id=window.id, district=district, expected=expected, missing=tuple(missing), signed_off=signed_off,
            )
    return out


def window_progress(
    ref: ReferenceData, generation: int, windows: Sequence[WindowInfo]
) -> dict[tuple[int, str], DistrictProgress]:
    """Progress of every district in ``windows``: cached per data generation, two queries when cold
    (the figures of the windows' quarters, and the sign-offs), none when warm."""
    if not windows:
        return {}

    def build() -> dict[tuple[int, str], DistrictProgress]:
        first = min(w.quarter.window.start for w in windows)
        last = max(w.quarter.window.end for w in windows)
        slugs = sorted({s for w in windows for s in w.category_slugs})
        codes = sorted({c for w in windows for c in w.district_codes})
        figures = figures_frame(ref, categories=slugs, districts=codes, first_month=first, last_month=last)
        ids = [d.id for d in ref.districts if d.code in set(codes)]
        return progress_from_frame(figures, sign_offs_between(ids, first, last), windows, ref)

    ids = ",".join(str(w.id) for w in sorted(windows, key=lambda w: w.id))
    return cached(cache_key("collection-progress:v1", generation, ids), build)


# --- What pages show -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowRow:
    """One district's line on a window's page: its progress and state today."""

    progress: DistrictProgress
    state: str

    @property
    def district(self) -> DistrictInfo:
        return self.progress.district

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def tag_class(self) -> str:
        return STATE_TAGS[self.state]


@dataclass(frozen=True)
class WindowSummary:
    """A window with its districts' progress, as the completeness page, the window page and the entry home
    page show it."""

    window: WindowInfo
    rows: tuple[WindowRow, ...]
    timing: str

    @property
    def complete(self) -> int:
        return sum(1 for r in self.rows if r.progress.complete)

    @property
    def late(self) -> list[WindowRow]:
        return [r for r in self.rows if r.state == LATE]

    @property
    def outstanding(self) -> list[WindowRow]:
        return [r for r in self.rows if not r.progress.complete]

    @property
    def progress_text(self) -> str:
        """'9 of 13 districts complete'."""
        return f"{self.complete} of {len(self.rows)} district{'s' if len(self.rows) != 1 else ''} complete"


def summarise(
    window: WindowInfo, progress: Mapping[tuple[int, str], DistrictProgress], ref: ReferenceData, today: dt.date,
    district_ids: set[int] | None = None,
) -> WindowSummary:
    """The window's rows (only ``district_ids``' when given), in district-name order."""
    rows = []
    for district in window.districts(ref):
        if district_ids is not None and district.id not in district_ids:
            continue
        p = progress[(window.id, district.code)]
        rows.append(WindowRow(progress=p, state=p.state(window, today)))
    return WindowSummary(window=window, rows=tuple(rows), timing=window.timing(today))


def windows_for_quarters(
    ref: ReferenceData, generation: int, quarters: Iterable[Quarter], today: dt.date
) -> list[WindowSummary]:
    """The windows of these quarters with every district's progress (the completeness page)."""
    wanted = set(quarters)
    windows = [w for w in collection_windows(generation) if w.quarter in wanted]
    progress = window_progress(ref, generation, windows)
    return [summarise(w, progress, ref, today) for w in windows]


def due_for(
    ref: ReferenceData, generation: int, district_ids: set[int] | None, today: dt.date
) -> list[WindowSummary]:
    """What is due from these districts (None: every district) on the entry home page.

    Windows that have opened and ask any of the districts, while open, and after they close while any
    of them is still late. Closing soonest first.
    """
    asked = []
    for window in collection_windows(generation):
        if not window.has_opened(today):
            continue
        codes = {d.code for d in window.districts(ref) if district_ids is None or d.id in district_ids}
        if codes:
            asked.append(window)
    progress = window_progress(ref, generation, asked)
    out = []
    for window in asked:
        summary = summarise(window, progress, ref, today, district_ids)
        if window.has_closed(today) and not summary.late:
            continue
        out.append(summary)
    return sorted(out, key=lambda s: (s.window.closes_on, s.window.id))


def window_page(ref: ReferenceData, generation: int, window: WindowInfo, *, user, today: dt.date) -> dict:
    """What a window's page shows: each district's progress and state, its officers, a link to its grid for
    people who may enter it, and (for analysts) how many reminders have gone out. Two queries besides the
    cached progress: the officers, and the emails sent."""
    summary = summarise(window, window_progress(ref, generation, [window]), ref, today)
    editable = roles.editable_district_ids(user)
    officers: dict[int, list[str]] = {}
    for membership in DistrictMembership.objects.filter(
        district_id__in=[d.id for d in window.districts(ref)], user__is_active=True, user__groups__name=roles.OFFICER,
    ).select_related("user").order_by("user__username"):
        officers.setdefault(membership.district_id, []).append(
            membership.user.get_full_name() or membership.user.get_username())
    manage = roles.can_sign_off(user)
    sent = None
    if manage:
        sent = dict(SentEmail.objects.filter(key__startswith=f"window-{window.id}:", status=SentEmail.STATUS_SENT)
                    .values_list("stream").annotate(n=Count("id")).values_list("stream", "n"))
    q = window.quarter
    return {
        "window": window,
        "summary": summary,
        "rows": [{"row": r, "officers": officers.get(r.district.id, []),
                  "grid": reverse("entry-grid", kwargs={"code": r.district.code, "year": q.year, "number": q.number})
                  if editable is None or r.district.id in editable else None}
                 for r in summary.rows],
        "categories": window.categories(ref),
        "closed": window.has_closed(today),
        "can_manage": manage,
        "sent": None if sent is None else {"reminders": sent.get("reminders", 0), "summaries": sent.get("summaries", 0)},
    }


# --- Checking and saving a window --------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowRequest:
    """What an analyst asked for (already parsed)."""

    quarter: Quarter
    opens_on: dt.date
    closes_on: dt.date
    category_slugs: tuple[str, ...]
    district_codes: tuple[str, ...]
    note: str = ""


# Field names problems are reported against (the form's fields).
FIELD_QUARTER, FIELD_OPENS, FIELD_CLOSES = "quarter", "opens_on", "closes_on"
FIELD_CATEGORIES, FIELD_DISTRICTS = "categories", "districts"


def _names(items: Sequence[str], limit: int = 3) -> str:
    if len(items) <= limit:
        return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else items[0]
    return f"{', '.join(items[:limit])} and {len(items) - limit} more"


def window_problems(
    request: WindowRequest, others: Iterable[WindowInfo], ref: ReferenceData, *, editing: int | None = None
) -> list[tuple[str, str]]:
    """(field, message) for every reason the window cannot be saved; empty when it can.

    Refused: no category; no district; closing before opening; closing before the quarter has ended
    (its last month's figures cannot be entered yet); and dates overlapping another window of the
    same quarter that asks any of the same districts for any of the same categories (officers would be
    asked for the same figures twice).
    """
    problems = []
    if not request.category_slugs:
        problems.append((FIELD_CATEGORIES, "Choose at least one category to collect"))
    if not request.district_codes:
        problems.append((FIELD_DISTRICTS, "Choose at least one district to collect from"))
    if request.closes_on < request.opens_on:
        problems.append((FIELD_CLOSES, f"The closing date must be on or after the opening date, "
                                       f"{date_text(request.opens_on)}"))
    quarter_ends = request.quarter.window.end_date
    if request.closes_on <= quarter_ends:
        problems.append((FIELD_CLOSES, f"The closing date must be after {request.quarter.short_label} ends on "
                                       f"{date_text(quarter_ends)}: its last month's figures cannot be entered "
                                       "before then"))
    if problems:
        return problems
    for other in others:
        if other.id == editing or other.quarter != request.quarter:
            continue
        if request.opens_on > other.closes_on or other.opens_on > request.closes_on:
            continue
        categories = [c.name for c in other.categories(ref) if c.slug in set(request.category_slugs)]
        districts = [d.name for d in other.districts(ref) if d.code in set(request.district_codes)]
        if categories and districts:
            problems.append((FIELD_OPENS, (
                f"These dates overlap another window for {other.quarter.short_label}, open from "
                f"{other.dates_text()}, which already asks {_names(districts)} for {_names(categories)}. "
                "Change the dates, the categories or the districts, or change that window instead"
            )))
    return problems


class WindowRefused(Exception):
    """Nothing was saved; ``problems`` are (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


def save_window(request: WindowRequest, *, user, ref: ReferenceData, window_id: int | None = None) -> int:
    """Create (or, with ``window_id``, change) a window in one transaction; its id.

    The other windows of the quarter are read inside the transaction, with their rows locked on
    PostgreSQL, so two analysts saving overlapping windows at once cannot both succeed. Raises
    WindowRefused, saving nothing, with every problem (``window_problems``). The change is kept in the
    window's history with who and a description of what was asked; the data generation is bumped so
    cached progress and pages see it at once.
    """
    allowed = {c.slug for c in entry_categories(ref)}
    unknown = [s for s in request.category_slugs if s not in allowed]
    if unknown:
        raise WindowRefused([(FIELD_CATEGORIES, "Choose categories that districts enter")])
    if any(ref.district(code) is None for code in request.district_codes):
        raise WindowRefused([(FIELD_DISTRICTS, "Choose districts from the list")])
    with transaction.atomic():
        list(CollectionWindow.objects.select_for_update().filter(
            quarter_year=request.quarter.year, quarter_number=request.quarter.number).values_list("pk", flat=True))
        others = [w for w in _read_windows() if w.quarter == request.quarter]
        problems = window_problems(request, others, ref, editing=window_id)
        if problems:
            raise WindowRefused(problems)
        if window_id is None:
            window = CollectionWindow(created_by=user)
            verb = "Opened"
        else:
            window = CollectionWindow.objects.select_for_update().get(pk=window_id)
            verb = "Changed"
        window.quarter_year, window.quarter_number = request.quarter.year, request.quarter.number
        window.opens_on, window.closes_on, window.note = request.opens_on, request.closes_on, request.note
        window._history_user = user
        window._change_reason = (
            f"{verb}: {request.quarter.short_label}, {request.opens_on.isoformat()} to {request.closes_on.isoformat()}; "
            f"categories {', '.join(sorted(request.category_slugs))}; districts {', '.join(sorted(request.district_codes))}"
        )
        window.save()
        window.categories.set([ref.category(s).id for s in request.category_slugs])
        window.districts.set([ref.district(c).id for c in request.district_codes])
        bump_data_generation()
    return window.pk
