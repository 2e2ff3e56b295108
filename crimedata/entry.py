"""Officers' quarterly entry: quarters, the entry grid and completeness.

Reads (``build_grid``, ``quarter_statuses``) take one query for the figures
they show; the write (``save_grid``) goes through ``services.save_figures``,
so a grid save is one transaction that checks versions, sign-off locks and
overlaps, and records history. The arithmetic (tiling a window, the change
against last year, the note rule, completeness states) is in pure functions
at the top, tested without a database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from django.db import IntegrityError

from crimedata import reference, rules
from crimedata.measures import change_pct
from crimedata.models import Figure
from crimedata.numbers import format_pct
from crimedata.periods import MONTH_NAMES, Window, month_end, month_index, month_label, month_start, quarter_window
from crimedata.selectors import CategoryInfo, DistrictInfo, ReferenceData, figures_frame
from crimedata.services import FigureInput, FigureSaveError, SaveResult, save_figures
from crimedata.signoff import SignOffInfo, sign_off_covering, sign_offs_between

# A change bigger than this against the same period last year needs a note
# before it can be saved: such jumps are usually a typing slip or a
# recording change that readers of the plan need explained.
NOTE_THRESHOLD_PCT = 50.0

# --- Quarters -------------------------------------------------------------------------------

_QUARTER = re.compile(r"^(\d{4})-q([1-4])$")
# Earliest financial year the entry pages open (the oldest Kent series start after it).
FIRST_YEAR = 2000


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial-year quarter: ``year`` is the year the financial year starts (Q1 = April to June)."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """'2016-q1' → Quarter(2016, 1); ValueError with a plain reason otherwise."""
        match = _QUARTER.match(text.strip().lower())
        if not match:
            raise ValueError("must be a financial-year quarter written as YYYY-qN, for example 2016-q1 for April to June 2016")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, month: int) -> "Quarter":
        year, m = month // 12, month % 12 + 1
        fy = year if m >= 4 else year - 1
        return cls(fy, (m - 4) % 12 // 3 + 1)

    @property
    def window(self) -> Window:
        return quarter_window(self.year, self.number)

    @property
    def slug(self) -> str:
        return f"{self.year}-q{self.number}"

    @property
    def short_label(self) -> str:
        """'Q1 2016/17'."""
        return f"Q{self.number} {self.year}/{str(self.year + 1)[2:]}"

    @property
    def months_label(self) -> str:
        """'April to June 2016'."""
        w = self.window
        return f"{MONTH_NAMES[w.start % 12]} to {MONTH_NAMES[w.end % 12]} {w.end // 12}"

    @property
    def label(self) -> str:
        """'Q1 2016/17 (April to June 2016)'."""
        return f"{self.short_label} ({self.months_label})"

    def shifted(self, quarters: int) -> "Quarter":
        index = self.year * 4 + self.number - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    def previous_year(self) -> "Quarter":
        return Quarter(self.year - 1, self.number)


def latest_ended_quarter(today: dt.date) -> Quarter:
    """The most recent quarter whose last month has ended."""
    return Quarter.containing(month_index(today)).shifted(-1)


def recent_quarters(today: dt.date, count: int) -> list[Quarter]:
    """The ``count`` most recent ended quarters, newest first."""
    latest = latest_ended_quarter(today)
    return [latest.shifted(-i) for i in range(count)]


def selectable_quarters(today: dt.date, years: int = 12) -> list[Quarter]:
    """Quarters an officer can pick, newest first: the current one (months go in as they end),
    then ``years`` years of ended quarters."""
    return [Quarter.containing(month_index(today))] + recent_quarters(today, 4 * years)


def quarter_is_open(quarter: Quarter, today: dt.date) -> bool:
    """Entry opens once a quarter has started (monthly figures can go in as months end)."""
    return FIRST_YEAR <= quarter.year and quarter.window.start <= month_index(today)


# --- Pure computations ----------------------------------------------------------------------


def tiled_value(periods: Iterable[tuple[int, int, int]], window: Window) -> int | None:
    """Sum of stored (start, end, value) periods lying wholly inside ``window`` if they
    cover every month of it, else None (never a partial sum).

    Stored periods of one series never overlap unless identical (save_figures
    enforces it), so covering every month means tiling it.
    """
    inside = [(s, e, v) for s, e, v in periods if s >= window.start and e <= window.end]
    months = sum(e - s + 1 for s, e, _ in inside)
    if months != window.months:
        return None
    return sum(v for _, _, v in inside)


def needs_note(value: int | None, last_year: int | None) -> bool:
    """The >50% rule: a change of more than 50% either way against last year needs a note.

    A rise from 0 is an unbounded change, so it needs one too; with no figure
    last year there is nothing to compare and no note is required.
    """
    if value is None or last_year is None:
        return False
    if last_year == 0:
        return value > 0
    return abs(change_pct(value, last_year)) > NOTE_THRESHOLD_PCT


def format_change(pct: float | None) -> str:
    """'+12.5%', '−3.0%', '0.0%' (a real minus sign, rounded half up like every page); '' when not computable."""
    return format_pct(pct) or ""


def parse_count(text: str) -> int | None:
    """A typed count: '' → None (not entered); '1,234' → 1234; ``rules.RuleError`` (a ValueError)
    with the reason for anything else, by the rule every import applies too (crimedata.rules)."""
    return rules.whole_number(text)


# Completeness states, in the order the key lists them.
SIGNED_OFF = "signed-off"
FINAL = "final"
PROVISIONAL = "provisional"
PARTLY = "partly"
MISSING = "missing"
STATE_LABELS = {
    SIGNED_OFF: "Signed off",
    FINAL: "Entered (final)",
    PROVISIONAL: "Entered (provisional)",
    PARTLY: "Partly entered",
    MISSING: "Missing",
}
# GOV.UK tag colours; the words carry the meaning, colour only reinforces it.
STATE_TAGS = {
    SIGNED_OFF: "govuk-tag--blue",
    FINAL: "govuk-tag--green",
    PROVISIONAL: "govuk-tag--light-blue",
    PARTLY: "govuk-tag--yellow",
    MISSING: "govuk-tag--red",
}


def completeness_state(expected: int, entered: int, provisional: int, signed_off: bool) -> str:
    """One cell of the completeness page from counts of grid cells."""
    if signed_off:
        return SIGNED_OFF
    if entered == 0:
        return MISSING
    if entered < expected:
        return PARTLY
    return PROVISIONAL if provisional else FINAL


def cell_windows(categories: Sequence[CategoryInfo], quarter: Quarter) -> list[tuple[CategoryInfo, Window]]:
    """The grid's cells: three months for a monthly category, one quarter total for a quarterly one."""
    w = quarter.window
    cells = []
    for category in categories:
        if category.grain == reference.GRAIN_QUARTER:
            cells.append((category, w))
        else:
            cells.extend((category, Window(m, m)) for m in range(w.start, w.end + 1))
    return cells


def completeness_counts(
    figures: pd.DataFrame, categories: Sequence[CategoryInfo], districts: Sequence[str], quarters: Sequence[Quarter]
) -> dict[tuple[str, Quarter], tuple[int, int, int]]:
    """(expected, entered, provisional) grid cells per (district code, quarter).

    ``figures`` is a figures frame (FIGURE_COLUMNS). A cell counts as entered
    when figures lying wholly inside it cover all its months (a monthly
    category stored as one quarter figure still counts as entered).
    """
    out: dict[tuple[str, Quarter], tuple[int, int, int]] = {}
    slugs = {c.slug for c in categories}
    relevant = figures[figures["category"].isin(slugs) & figures["district"].isin(set(districts))]
    series: dict[tuple[str, str], list[tuple[int, int, int, bool]]] = {}
    for d, c, s, e, prov in zip(relevant["district"], relevant["category"], relevant["start"], relevant["end"],
                                relevant["provisional"]):
        series.setdefault((d, c), []).append((int(s), int(e), 1, bool(prov)))
    for quarter in quarters:
        cells = cell_windows(categories, quarter)
        q = quarter.window
        for district in districts:
            entered = provisional = 0
            for category, window in cells:
                stored = series.get((district, category.slug), ())
                # Figures inside the quarter that touch this cell's months.
                touching = [(s, e, p) for s, e, _, p in stored
                            if s >= q.start and e <= q.end and s <= window.end and window.start <= e]
                covered = sum(min(e, window.end) - max(s, window.start) + 1 for s, e, _ in touching)
                if covered == window.months:
                    entered += 1
                    provisional += any(p for _, _, p in touching)
            out[(district, quarter)] = (len(cells), entered, provisional)
    return out


# --- The grid -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredFigure:
    id: int
    start: int
    end: int
    value: int
    status: str
    note: str
    version: int
    source: str
    source_detail: str
    entered_by: str
    entered_at: dt.datetime | None

    @property
    def provisional(self) -> bool:
        return self.status == Figure.STATUS_PROVISIONAL


@dataclass
class Cell:
    """One value in the grid: a month of a monthly category or the quarter of a quarterly one."""

    key: str
    category: CategoryInfo
    window: Window
    figure: StoredFigure | None = None
    blocked_by: str = ""  # a stored figure of another shape covers these months
    not_yet: bool = False  # the period has not ended
    last_year: int | None = None

    @property
    def label(self) -> str:
        if self.window.months == 1:
            return month_label(self.window.start)
        return f"quarter total, {month_label(self.window.start)} to {month_label(self.window.end)}"

    @property
    def value(self) -> int | None:
        return self.figure.value if self.figure else None

    @property
    def version(self) -> int:
        return self.figure.version if self.figure else 0

    @property
    def editable(self) -> bool:
        return not self.blocked_by and not self.not_yet

    @property
    def change_text(self) -> str:
        """The change on the same period last year, as the grid shows it ('' when it has none)."""
        return format_change(change_pct(self.value, self.last_year))

    @property
    def last_year_label(self) -> str:
        w = self.window.previous_year()
        return month_label(w.start) if w.months == 1 else f"{month_label(w.start)} to {month_label(w.end)}"


@dataclass
class GridRow:
    category: CategoryInfo
    cells: list[Cell]

    @property
    def quarterly(self) -> bool:
        return self.category.grain == reference.GRAIN_QUARTER


@dataclass
class Grid:
    district: DistrictInfo
    quarter: Quarter
    rows: list[GridRow]
    sign_off: SignOffInfo | None = None
    months: list[int] = field(default_factory=list)

    @property
    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells]

    def cell(self, key: str) -> Cell | None:
        return next((c for c in self.cells if c.key == key), None)

    @property
    def locked(self) -> bool:
        return self.sign_off is not None

    @property
    def entered(self) -> int:
        return sum(c.figure is not None for c in self.cells)

    @property
    def missing(self) -> list[Cell]:
        return [c for c in self.cells if c.figure is None and not c.blocked_by]

    @property
    def month_labels(self) -> list[str]:
        return [month_label(m) for m in self.months]


def entry_categories(ref: ReferenceData) -> list[CategoryInfo]:
    """The categories districts enter, in display order (the grid's rows)."""
    return [c for c in ref.categories if c.entry == reference.ENTRY_DISTRICT]


def cell_key(category: CategoryInfo, window: Window, quarter: Quarter) -> str:
    if window.months == 1:
        return f"{category.slug}-{window.start // 12:04d}-{window.start % 12 + 1:02d}"
    return f"{category.slug}-{quarter.slug}"


def _stored_figures(district: DistrictInfo, categories: Sequence[CategoryInfo], first: int, last: int):
    """Figures of the grid's series starting between month ``first`` and ``last`` (one query)."""
    rows = (
        Figure.objects.filter(
            district_id=district.id, category_id__in=[c.id for c in categories],
            period_start__gte=month_start(first), period_start__lte=month_start(last),
        )
        .values_list(
            "id", "category_id", "period_start", "period_end", "value", "status", "note", "version", "source",
            "source_detail", "entered_by__username", "entered_by__first_name", "entered_at",
        )
    )
    out: dict[int, list[StoredFigure]] = {}
    for (pk, category_id, start, end, value, status, note, version, source, detail, username, first_name,
         entered_at) in rows:
        out.setdefault(category_id, []).append(StoredFigure(
            id=pk, start=month_index(start), end=month_index(end), value=value, status=status, note=note,
            version=version, source=source, source_detail=detail, entered_by=first_name or username or "",
            entered_at=entered_at,
        ))
    return out


def _describe(start: int, end: int) -> str:
    return month_label(start) if start == end else f"{month_label(start)} to {month_label(end)}"


def build_grid(ref: ReferenceData, district: DistrictInfo, quarter: Quarter, today: dt.date) -> Grid:
    """The entry grid for a district and quarter: stored values, last year's and the sign-off.

    Two queries: the figures (this quarter and the same quarter last year,
    plus any longer figure overlapping this quarter) and the sign-off.
    """
    categories = entry_categories(ref)
    w = quarter.window
    stored = _stored_figures(district, categories, w.start - 12, w.end)
    now_month = month_index(today)
    rows = []
    for category in categories:
        series = stored.get(category.id, [])
        cells = []
        for _, window in cell_windows([category], quarter):
            cell = Cell(key=cell_key(category, window, quarter), category=category, window=window)
            for figure in series:
                if (figure.start, figure.end) == (window.start, window.end):
                    cell.figure = figure
                elif figure.start <= window.end and window.start <= figure.end:
                    cell.blocked_by = (
                        f"Stored as one figure for {_describe(figure.start, figure.end)} ({figure.value:,}), "
                        "so it cannot be entered here"
                    )
            cell.not_yet = window.end >= now_month
            cell.last_year = tiled_value(((f.start, f.end, f.value) for f in series), window.previous_year())
            cells.append(cell)
        rows.append(GridRow(category=category, cells=cells))
    return Grid(
        district=district, quarter=quarter, rows=rows, sign_off=sign_off_covering(district.id, w),
        months=list(range(w.start, w.end + 1)),
    )


# --- Saving ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellInput:
    """What the person submitted for one editable cell (already validated)."""

    key: str
    value: int | None
    version: int
    note: str


@dataclass(frozen=True)
class CellChange:
    cell: Cell
    old_value: int | None
    new_value: int
    old_status: str | None
    new_status: str
    note_changed: bool


@dataclass(frozen=True)
class CellConflict:
    cell: Cell
    kind: str  # "conflict", "locked" or "overlap"
    message: str
    typed: int
    current: int | None


class GridSaveRefused(Exception):
    """Nothing was saved; ``conflicts`` lists every figure that stopped it."""

    def __init__(self, conflicts: list[CellConflict]):
        self.conflicts = conflicts
        super().__init__(f"{len(conflicts)} figure(s) stopped the save")


def grid_inputs(grid: Grid, submitted: Iterable[CellInput], *, new_status: str) -> list[tuple[Cell, FigureInput]]:
    """FigureInputs for every cell with a value, each carrying the version the page showed.

    A value the person did not change keeps its stored status; new and changed
    values take ``new_status``. A note equal to the stored one is sent as None
    (keep), so an untouched cell is 'unchanged' and writes nothing.
    """
    out = []
    for item in submitted:
        cell = grid.cell(item.key)
        if cell is None or not cell.editable or item.value is None:
            continue
        stored = cell.figure
        same_value = stored is not None and stored.value == item.value
        status = stored.status if same_value and new_status != Figure.STATUS_FINAL else new_status
        note = None if stored is not None and item.note == stored.note else (item.note or ("" if stored else None))
        out.append((cell, FigureInput(
            district_id=grid.district.id, category_id=cell.category.id,
            period_start=month_start(cell.window.start), period_end=month_end(cell.window.end),
            value=item.value, status=status, note=note, expected_version=item.version,
        )))
    return out


def save_grid(
    grid: Grid,
    submitted: Sequence[CellInput],
    *,
    user,
    new_status: str = Figure.STATUS_PROVISIONAL,
    correction_reason: str = "",
) -> list[CellChange]:
    """Save a grid in one transaction, or nothing at all.

    Every cell with a value is sent with the version the page showed (0 for a
    cell that was empty), so a figure changed by someone else since the page
    opened refuses the whole save (GridSaveRefused, listing each one). With a
    ``correction_reason`` (administrators only) signed-off figures may change,
    and the reason is kept in each figure's history.
    """
    pairs = grid_inputs(grid, submitted, new_status=new_status)
    inputs = [fi for _, fi in pairs]
    correcting = bool(correction_reason)
    kwargs = dict(
        user=user,
        source=Figure.SOURCE_ADMIN if correcting else Figure.SOURCE_GRID,
        source_detail=f"{grid.district.name} {grid.quarter.short_label}",
        reason=correction_reason,
        allow_locked=correcting,
    )
    try:
        result = save_figures(inputs, **kwargs)
    except FigureSaveError as exc:
        raise GridSaveRefused(_conflicts(pairs, exc.result)) from exc
    except IntegrityError:
        # Someone else created one of these figures after our read but before
        # our insert (their row was not committed when we looked). Their
        # transaction has committed now, so a dry run names the figures.
        result = save_figures(inputs, dry_run=True, **kwargs)
        if result.problems:
            raise GridSaveRefused(_conflicts(pairs, result)) from None
        raise
    submitted_notes = {item.key: item.note for item in submitted}
    changes = []
    for change in result.changes:
        cell, fi = pairs[change.index]
        old_note = cell.figure.note if cell.figure else ""
        changes.append(CellChange(
            cell=cell, old_value=change.old_value, new_value=change.new_value, old_status=change.old_status,
            new_status=change.new_status, note_changed=fi.note is not None and submitted_notes[cell.key] != old_note,
        ))
    return changes


def _conflicts(pairs: list[tuple[Cell, FigureInput]], result: SaveResult) -> list[CellConflict]:
    return [
        CellConflict(cell=pairs[p.index][0], kind=p.kind, message=p.message, typed=pairs[p.index][1].value,
                     current=p.current_value)
        for p in result.problems
    ]


# --- Completeness ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterStatus:
    district: DistrictInfo
    quarter: Quarter
    expected: int
    entered: int
    provisional: int
    sign_off: SignOffInfo | None

    @property
    def state(self) -> str:
        return completeness_state(self.expected, self.entered, self.provisional, self.sign_off is not None)

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def tag_class(self) -> str:
        return STATE_TAGS[self.state]

    @property
    def missing(self) -> int:
        return self.expected - self.entered

    @property
    def detail(self) -> str:
        """'9 of 12 figures entered' (what a tag alone does not say)."""
        return f"{self.entered} of {self.expected} figures entered"


def quarter_statuses(
    ref: ReferenceData, districts: Sequence[DistrictInfo], quarters: Sequence[Quarter]
) -> dict[tuple[str, Quarter], QuarterStatus]:
    """Completeness of each (district code, quarter): two queries however many cells.

    One figures query over the quarters' span for the district-entered
    categories, and one for the sign-offs.
    """
    if not districts or not quarters:
        return {}
    categories = entry_categories(ref)
    first = min(q.window.start for q in quarters)
    last = max(q.window.end for q in quarters)
    codes = [d.code for d in districts]
    frame = figures_frame(ref, categories=[c.slug for c in categories], districts=codes,
                          first_month=first, last_month=last)
    counts = completeness_counts(frame, categories, codes, quarters)
    signed = sign_offs_between([d.id for d in districts], first, last)
    out = {}
    for district in districts:
        for quarter in quarters:
            expected, entered, provisional = counts[(district.code, quarter)]
            covering = next(
                (s for s in signed.get(district.id, ())
                 if s.start <= quarter.window.start and quarter.window.end <= s.end),
                None,
            )
            out[(district.code, quarter)] = QuarterStatus(
                district=district, quarter=quarter, expected=expected, entered=entered, provisional=provisional,
                sign_off=covering,
            )
    return out
