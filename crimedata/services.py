"""Writes: every change to a figure goes through ``save_figures``.

One path means every write is checked the same way (overlapping periods,
signed-off periods, edits based on a stale version), is recorded in the
figure's history with who, when, what and why, and bumps the data generation
so cached comparisons are recomputed. Nothing here uses ``queryset.update()``
on figures, which would bypass the history.

On PostgreSQL, where transactions run side by side, the checks are also made
safe against each other: every figure write, and every sign-off
(``crimedata.signoff``), first takes a lock on each (district, financial
quarter) it touches (``lock_district_quarters``) and only then reads what it
checks, so a sign-off and a grid save of the same quarter, or two uploads of
overlapping periods, run one after the other. An exclusion constraint
(migration 0005_figures_never_overlap) refuses overlapping figures in the
database itself, whatever wrote them; a write it stops is reported with the
same message as the check here. SQLite runs one write at a time, so there the
checks need no lock.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from crimedata.models import DataGeneration, Figure, LsoaFigure, SignOff
from crimedata.periods import month_index


@dataclass(frozen=True)
class FigureInput:
    """One figure someone wants stored.

    ``note=None`` keeps any existing note. ``expected_version`` is the version
    the person started editing from (the entry grid sends it); None skips the
    stale-edit check, as imports do.
    """

    district_id: int
    category_id: int
    period_start: dt.date
    period_end: dt.date
    value: int
    status: str = Figure.STATUS_PROVISIONAL
    note: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class Problem:
    """Why one input cannot be saved. ``index`` is its position in the inputs."""

    index: int
    kind: str  # "overlap", "locked" or "conflict"
    message: str
    current_value: int | None = None
    current_version: int | None = None


@dataclass(frozen=True)
class Change:
    index: int
    figure_id: int | None
    old_value: int | None
    new_value: int
    old_status: str | None
    new_status: str


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    # With ``record_versions``: the stored version each input was checked
    # against (0 when there was no figure yet), in input order. The upload
    # preview keeps them so that confirming writes nothing if any of those
    # figures changed in between.
    versions: list[int] | None = None

    @property
    def changed(self) -> int:
        return self.created + self.updated


class FigureSaveError(Exception):
    """Raised when any input cannot be saved; nothing at all was written."""

    def __init__(self, result: SaveResult):
        self.result = result
        kinds = sorted({p.kind for p in result.problems})
        super().__init__(f"{len(result.problems)} figure(s) could not be saved ({', '.join(kinds)}).")


# Chunks keep memory bounded for large imports while staying one transaction.
CHUNK_SIZE = 5000
# Changes listed back to the person (the grid shows them all; imports count them).
MAX_CHANGES_KEPT = 2000


def _chunks(items: Iterable[FigureInput], size: int) -> Iterator[list[tuple[int, FigureInput]]]:
    iterator = enumerate(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def locked_periods(district_ids: Iterable[int] | None = None) -> dict[int, list[tuple[int, int]]]:
    """Signed-off periods per district id (of ``district_ids``, or all), as (first month, last month) indexes."""
    out: dict[int, list[tuple[int, int]]] = {}
    rows = SignOff.objects.all()
    if district_ids is not None:
        rows = rows.filter(district_id__in=set(district_ids))
    for district_id, start, end in rows.values_list("district_id", "period_start", "period_end"):
        out.setdefault(district_id, []).append((month_index(start), month_index(end)))
    return out


# --- The (district, quarter) lock ----------------------------------------------------------------

# Advisory-lock keys are 64-bit: a namespace (so no other user of advisory locks
# collides with these), the district id and the financial quarter.
_LOCK_NAMESPACE = 0x4353  # "CS"


def _financial_quarter(month: int) -> int:
    """A running number for the financial quarter holding month index ``month`` (Q1 is April to June)."""
    return (month - 3) // 3


def district_quarter_keys(spans: Iterable[tuple[int, int, int]]) -> list[int]:
    """The lock keys of every (district, financial quarter) that (district id, first month, last month)
    spans touch, sorted: taking them in one order everywhere means two writers never deadlock."""
    keys = set()
    for district_id, start, end in spans:
        for quarter in range(_financial_quarter(start), _financial_quarter(end) + 1):
            keys.add((_LOCK_NAMESPACE << 48) | (district_id << 24) | quarter)
    return sorted(keys)


def lock_district_quarters(spans: Iterable[tuple[int, int, int]]) -> None:
    """Hold, until the transaction ends, the lock on every (district, financial quarter) ``spans`` touch.

    Taken by every figure write and by sign-off before they read what they
    check, so that two of them touching a quarter run one after the other
    (PostgreSQL's transaction-level advisory locks; taking one twice is
    harmless). A no-op on SQLite, which runs one write at a time anyway.
    """
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("lock_district_quarters needs a transaction: the locks last until it ends")
    keys = district_quarter_keys(spans)
    if keys:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(key) FROM unnest(%s::bigint[]) WITH ORDINALITY AS t(key, n) ORDER BY n",
                [keys],
            )


def _spans(inputs: Iterable[tuple[int, FigureInput]]) -> Iterator[tuple[int, int, int]]:
    for _, fi in inputs:
        yield fi.district_id, month_index(fi.period_start), month_index(fi.period_end)


# SQLSTATEs of the writes the database refuses when another transaction got there first:
# a figure for the same period (unique) or an overlapping one (the exclusion constraint).
_UNIQUE_VIOLATION = "23505"
_EXCLUSION_VIOLATION = "23P01"


def _refused_by_constraint(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    code = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)
    return code in (_UNIQUE_VIOLATION, _EXCLUSION_VIOLATION)


def _is_locked(locks: dict[int, list[tuple[int, int]]], district_id: int, start: int, end: int) -> bool:
    return any(s <= end and start <= e for s, e in locks.get(district_id, ()))


class _Row:
    """A stored or new figure as the writer needs it: plain attributes, no ORM instance.

    Reading and building model instances cost more than the SQL itself for
    large imports; these carry exactly the columns the writer uses.
    """

    __slots__ = (
        "pk", "district_id", "category_id", "period_start", "period_end", "value", "status", "note", "source",
        "source_detail", "entered_by_id", "version", "start", "end",
    )

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.get(name))


_STORED_FIELDS = (
    "id", "district_id", "category_id", "period_start", "period_end", "value", "status", "note", "source",
    "source_detail", "entered_by_id", "version",
)


def _existing_for(chunk: list[tuple[int, FigureInput]], for_update: bool) -> dict[tuple[int, int], list[_Row]]:
    """Stored figures that could coincide with or overlap any input in the chunk.

    Reads only stored periods that intersect the chunk's date range, so the
    work per chunk stays constant however many figures are already stored. It
    filters on the chunk's districts and categories separately (a superset,
    cheap to express) and keeps only the exact pairs here.
    """
    pairs = {(fi.district_id, fi.category_id) for _, fi in chunk}
    first = min(fi.period_start for _, fi in chunk)
    last = max(fi.period_end for _, fi in chunk)
    qs = Figure.objects.filter(
        district_id__in={d for d, _ in pairs}, category_id__in={c for _, c in pairs},
        period_start__lte=last, period_end__gte=first,
    )
    if for_update:
        qs = qs.select_for_update()
    found: dict[tuple[int, int], list[_Row]] = {}
    for values in qs.values_list(*_STORED_FIELDS):
        row = _Row(**dict(zip(("pk", *_STORED_FIELDS[1:]), values)))
        key = (row.district_id, row.category_id)
        if key in pairs:
            row.start, row.end = month_index(row.period_start), month_index(row.period_end)
            found.setdefault(key, []).append(row)
    return found


def _describe(figure: _Row) -> str:
    if figure.period_start.year == figure.period_end.year and figure.period_start.month == figure.period_end.month:
        return f"{figure.period_start:%B %Y}"
    return f"{figure.period_start:%B %Y} to {figure.period_end:%B %Y}"


def save_figures(
    inputs: Iterable[FigureInput],
    *,
    user=None,
    source: str,
    source_detail: str = "",
    reason: str = "",
    allow_locked: bool = False,
    dry_run: bool = False,
    chunk_size: int = CHUNK_SIZE,
    record_versions: bool = False,
    quarters_locked: bool = False,
) -> SaveResult:
    """Store figures in one transaction, or store nothing.

    Classifies each input as created, updated or unchanged. Refuses the whole
    save (raising FigureSaveError, or returning the problems when ``dry_run``)
    if any input would overlap a stored figure of a different shape, change a
    signed-off period without ``allow_locked`` (administrators, with a reason),
    or was based on a version that someone else has since changed.

    Before reading, a write takes the lock on each (district, quarter) its
    inputs touch (``lock_district_quarters``): all of them at once when
    ``inputs`` is a list, chunk by chunk otherwise. Callers streaming many
    chunks, like ``importers.figures``, take them all first in the same
    transaction and say so with ``quarters_locked``.

    ``record_versions`` fills ``result.versions`` (see SaveResult), typically
    in a dry run whose versions are later sent back as ``expected_version``.
    """
    result = SaveResult(versions=[] if record_versions else None)
    user_id = getattr(user, "pk", None)
    writing: list[tuple[int, FigureInput]] = []  # the chunk being written, to explain a refused write
    try:
        with transaction.atomic():
            locked_up_front = quarters_locked or (not dry_run and isinstance(inputs, Sequence))
            if locked_up_front and not quarters_locked:
                lock_district_quarters(_spans(enumerate(inputs)))
            for chunk in _chunks(inputs, chunk_size):
                if not dry_run and not locked_up_front:
                    lock_district_quarters(_spans(chunk))
                # Read after the locks, inside the transaction, so a sign-off committed
                # before this save could take them is always seen.
                locks = locked_periods({fi.district_id for _, fi in chunk})
                plan = _plan_chunk(chunk, _existing_for(chunk, for_update=not dry_run), locks, allow_locked,
                                   result.versions, user_id, source, source_detail)
                if not dry_run and not result.problems and not plan.problems:
                    writing = chunk
                    _write_chunk(plan, user, reason)
                result.problems.extend(plan.problems)
                result.created += plan.created
                result.updated += plan.updated
                result.unchanged += plan.unchanged
                for change in plan.changes:
                    _remember(result, change)
            if result.problems and not dry_run:
                transaction.set_rollback(True)
                raise FigureSaveError(result)
            if not dry_run and result.changed:
                bump_data_generation()
    except IntegrityError as exc:
        # The database refused a write the checks allowed: another transaction stored a figure
        # for these months after our read (one that bypassed this module and its lock, since
        # the lock otherwise orders them). Everything here was rolled back (to this function's
        # savepoint when called inside a transaction); that figure is committed now, so the
        # same check names it in its own words.
        if not (writing and _refused_by_constraint(exc)):
            raise
        with transaction.atomic():
            explained = _plan_chunk(writing, _existing_for(writing, for_update=False),
                                    locked_periods({fi.district_id for _, fi in writing}), allow_locked, None,
                                    user_id, source, source_detail)
        if not explained.problems:
            raise
        raise FigureSaveError(SaveResult(problems=explained.problems)) from exc
    return result


@dataclass
class _ChunkPlan:
    """What saving one chunk would do: its problems, or the rows to insert and update."""

    problems: list[Problem] = field(default_factory=list)
    to_create: list[_Row] = field(default_factory=list)
    to_update: list[_Row] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _plan_chunk(chunk, existing, locks, allow_locked: bool, versions: list[int] | None, user_id, source: str,
                source_detail: str) -> _ChunkPlan:
    """Classify each input of a chunk against the stored figures (the Python checks)."""
    plan = _ChunkPlan()
    for index, fi in chunk:
        start, end = month_index(fi.period_start), month_index(fi.period_end)
        if versions is not None:
            exact = [s for s in existing.get((fi.district_id, fi.category_id), ()) if (s.start, s.end) == (start, end)]
            versions.append(exact[0].version if exact else 0)
        same = None
        for stored in existing.get((fi.district_id, fi.category_id), ()):
            s, e = stored.start, stored.end
            if s == start and e == end:
                same = stored
            elif s <= end and start <= e:
                plan.problems.append(Problem(index, "overlap", overlap_message(stored)))
                break
        else:
            problem = _check(index, fi, same, locks, allow_locked, start, end)
            if problem:
                plan.problems.append(problem)
                continue
            if same is None:
                plan.created += 1
                plan.to_create.append(_Row(
                    district_id=fi.district_id, category_id=fi.category_id, period_start=fi.period_start,
                    period_end=fi.period_end, value=fi.value, status=fi.status, note=fi.note or "",
                    source=source, source_detail=source_detail, entered_by_id=user_id, version=1,
                ))
                plan.changes.append(Change(index, None, None, fi.value, None, fi.status))
            elif (same.value, same.status) == (fi.value, fi.status) and (fi.note is None or fi.note == same.note):
                plan.unchanged += 1
            else:
                plan.updated += 1
                plan.changes.append(Change(index, same.pk, same.value, fi.value, same.status, fi.status))
                same.value, same.status = fi.value, fi.status
                if fi.note is not None:
                    same.note = fi.note
                same.source, same.source_detail, same.entered_by_id = source, source_detail, user_id
                same.version += 1
                plan.to_update.append(same)
    return plan


def overlap_message(stored: _Row) -> str:
    """The one message for an overlap, whether the check here or the database's constraint found it."""
    return (f"overlaps a stored figure for {_describe(stored)}; figures for the same district and category must "
            "cover the same months or none in common")


def _write_chunk(plan: _ChunkPlan, user, reason: str) -> None:
    """Insert and update a chunk's rows with their history."""
    now = timezone.now()
    if plan.to_create:
        _insert_figures(plan.to_create, now)
        _insert_history(plan.to_create, "+", now, user, reason)
    if plan.to_update:
        _update_figures(plan.to_update, now)
        _insert_history(plan.to_update, "~", now, user, reason)


def _check(index, fi: FigureInput, same: _Row | None, locks, allow_locked: bool, start: int, end: int):
    if fi.expected_version is not None:
        current = same.version if same else 0
        if current != fi.expected_version:
            if fi.expected_version == 0:
                message = "was entered by someone else after you opened this page"
            elif same is None:
                message = "was removed by someone else after you opened this page"
            else:
                message = "was changed by someone else after you opened this page"
            return Problem(
                index, "conflict", message,
                current_value=same.value if same else None, current_version=current,
            )
    if _is_locked(locks, fi.district_id, start, end) and not allow_locked:
        changing = same is None or same.value != fi.value or same.status != fi.status
        if changing:
            return Problem(
                index, "locked",
                "is in a period that has been signed off; only an administrator can correct it, giving a reason",
                current_value=same.value if same else None,
            )
    return None


# Figures and their history rows are written with batched, parameterised SQL:
# Django's bulk_create spends most of an import compiling SQL field by field
# (measured in docs/performance.md). The history rows are exactly those
# django-simple-history writes (one full snapshot per change, with the user,
# time, type and reason), so Figure.history and as_of() work unchanged.
_FIGURE_COLUMNS = (
    "district_id", "category_id", "period_start", "period_end", "value", "status", "note", "source",
    "source_detail", "entered_by_id", "entered_at", "version",
)
_HISTORY_COLUMNS = (
    "id", "district_id", "category_id", "period_start", "period_end", "value", "status", "note", "source",
    "source_detail", "entered_by_id", "version", "history_date", "history_type", "history_user_id",
    "history_change_reason",
)
_ROWS_PER_STATEMENT = 500


def _date_adapter():
    # SQLite stores dates as ISO text; PostgreSQL adapts date objects itself.
    # Decided once per write, not per value: the connection proxy is slow.
    return (lambda d: d.isoformat()) if connection.vendor == "sqlite" else (lambda d: d)


def _adapt_datetime(value):
    return connection.ops.adapt_datetimefield_value(value)


def _insert_figures(figures: list[_Row], now) -> None:
    """INSERT ... RETURNING id in batches (SQLite 3.35+ and PostgreSQL), setting each pk."""
    table = connection.ops.quote_name(Figure._meta.db_table)
    columns = ", ".join(_FIGURE_COLUMNS)
    placeholders = "(" + ", ".join(["%s"] * len(_FIGURE_COLUMNS)) + ")"
    stamp = _adapt_datetime(now)
    _adapt_date = _date_adapter()
    with connection.cursor() as cursor:
        for first in range(0, len(figures), _ROWS_PER_STATEMENT):
            batch = figures[first:first + _ROWS_PER_STATEMENT]
            params: list = []
            for f in batch:
                params.extend((
                    f.district_id, f.category_id, _adapt_date(f.period_start), _adapt_date(f.period_end), f.value,
                    f.status, f.note, f.source, f.source_detail, f.entered_by_id, stamp, f.version,
                ))
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(batch))} RETURNING id"
            cursor.execute(sql, params)
            for figure, (pk,) in zip(batch, cursor.fetchall()):
                figure.pk = pk


def _update_figures(figures: list[_Row], now) -> None:
    table = connection.ops.quote_name(Figure._meta.db_table)
    stamp = _adapt_datetime(now)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET value = %s, status = %s, note = %s, source = %s, source_detail = %s, "
            "entered_by_id = %s, entered_at = %s, version = %s WHERE id = %s",
            [(f.value, f.status, f.note, f.source, f.source_detail, f.entered_by_id, stamp, f.version, f.pk)
             for f in figures],
        )


def _insert_history(figures: list[_Row], history_type: str, now, user, reason: str) -> None:
    table = connection.ops.quote_name(Figure.history.model._meta.db_table)
    columns = ", ".join(_HISTORY_COLUMNS)
    placeholders = "(" + ", ".join(["%s"] * len(_HISTORY_COLUMNS)) + ")"
    stamp = _adapt_datetime(now)
    _adapt_date = _date_adapter()
    user_id = getattr(user, "pk", None)
    with connection.cursor() as cursor:
        for first in range(0, len(figures), _ROWS_PER_STATEMENT):
            batch = figures[first:first + _ROWS_PER_STATEMENT]
            params: list = []
            for f in batch:
                params.extend((
                    f.pk, f.district_id, f.category_id, _adapt_date(f.period_start), _adapt_date(f.period_end),
                    f.value, f.status, f.note, f.source, f.source_detail, f.entered_by_id, f.version, stamp,
                    history_type, user_id, reason or None,
                ))
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(batch))}", params)


def _remember(result: SaveResult, change: Change) -> None:
    if len(result.changes) < MAX_CHANGES_KEPT:
        result.changes.append(change)


def bump_data_generation() -> int:
    """Invalidate every cached computation by moving to a new data generation."""
    updated = DataGeneration.objects.filter(pk=1).update(number=F("number") + 1)
    if not updated:
        # A random start keeps a rebuilt database clear of an earlier one's cache entries.
        DataGeneration.objects.create(pk=1, number=secrets.randbits(48))
    return DataGeneration.objects.values_list("number", flat=True).get(pk=1)


# --- police.uk street-level crime ---------------------------------------------------------------


def remove_figures(figure_ids: Iterable[int], *, user=None, reason: str = "", allow_locked: bool = False) -> int:
    """Delete figures, keeping a "-" history row for each (who, when, why and the last value).

    A re-imported police.uk month that no longer contains a figure removes it
    this way, so the history shows the figure went and why. Refuses (raising
    FigureSaveError, deleting nothing) if any figure is in a signed-off period,
    unless ``allow_locked`` (administrators, with a reason); a problem's
    ``index`` is the figure's position among the ids in ascending order.
    Returns how many figures were removed.
    """
    ids = sorted(set(figure_ids))
    if not ids:
        return 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The quarters' locks first, as every figure write takes them, then the rows and sign-offs.
            spans = []
            for first in range(0, len(ids), _ROWS_PER_STATEMENT):
                batch = Figure.objects.filter(pk__in=ids[first:first + _ROWS_PER_STATEMENT])
                spans += [(d, month_index(s), month_index(e))
                          for d, s, e in batch.values_list("district_id", "period_start", "period_end")]
            lock_district_quarters(spans)
        rows: list[_Row] = []
        for first in range(0, len(ids), _ROWS_PER_STATEMENT):
            batch = Figure.objects.filter(pk__in=ids[first:first + _ROWS_PER_STATEMENT]).order_by("pk")
            batch = batch.select_for_update()
            for values in batch.values_list(*_STORED_FIELDS):
                rows.append(_Row(**dict(zip(("pk", *_STORED_FIELDS[1:]), values))))
        locks = locked_periods({row.district_id for row in rows})
        result = SaveResult()
        for index, row in enumerate(rows):
            if not allow_locked and _is_locked(locks, row.district_id, month_index(row.period_start),
                                               month_index(row.period_end)):
                result.problems.append(Problem(
                    index, "locked",
                    "is in a period that has been signed off; only an administrator can remove it, giving a reason",
                    current_value=row.value, current_version=row.version,
                ))
        if result.problems:
            raise FigureSaveError(result)
        _insert_history(rows, "-", timezone.now(), user, reason)
        # Raw DELETE: QuerySet.delete() would also fire simple-history's
        # post_delete signal and write each "-" history row a second time.
        table = connection.ops.quote_name(Figure._meta.db_table)
        with connection.cursor() as cursor:
            for first in range(0, len(rows), _ROWS_PER_STATEMENT):
                batch = [r.pk for r in rows[first:first + _ROWS_PER_STATEMENT]]
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(batch))})", batch)
        if rows:
            bump_data_generation()
    return len(rows)



class LsoaCount(NamedTuple):
    """One neighbourhood's (LSOA's) count for a category in a month (plain tuples in this order do too)."""

    lsoa_code: str
    lsoa_name: str
    district_id: int
    category_id: int
    value: int


def replace_lsoa_figures(month: dt.date, counts: Iterable[LsoaCount], *, source_detail: str = "",
                         category_ids: Iterable[int] | None = None, district_ids: Iterable[int] | None = None) -> int:
    """Make the stored neighbourhood counts for ``month`` exactly ``counts``.

    Deletes the month's rows (for ``category_ids`` and ``district_ids`` if
    given; giving both lets the delete use the district/category/month index
    rather than read the whole table) and inserts the new ones, in one
    transaction: re-importing a month replaces it and can never count it
    twice. Neighbourhood counts are a breakdown of police.uk's published
    figures with no history of their own (the district figures carry it).
    Returns the number of rows stored.
    """
    table = connection.ops.quote_name(LsoaFigure._meta.db_table)
    columns = ("lsoa_code", "lsoa_name", "district_id", "category_id", "month", "value", "source_detail")
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    stored = 0
    with transaction.atomic():
        existing = LsoaFigure.objects.filter(month=month)
        if category_ids is not None:
            existing = existing.filter(category_id__in=list(category_ids))
        if district_ids is not None:
            existing = existing.filter(district_id__in=list(district_ids))
        existing.delete()  # no signals or relations point at LsoaFigure, so this is one DELETE
        day = _date_adapter()(month)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                return _copy_lsoa_rows(cursor, table, columns, counts, month, source_detail)
            iterator = iter(counts)
            while batch := list(islice(iterator, _ROWS_PER_STATEMENT)):
                params: list = []
                for code, name, district_id, category_id, value in batch:
                    params.extend((code, name, district_id, category_id, day, value, source_detail))
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([placeholders] * len(batch))}",
                    params,
                )
                stored += len(batch)
    return stored


def _copy_lsoa_rows(cursor, table: str, columns: tuple[str, ...], counts: Iterable[LsoaCount], month: dt.date,
                    source_detail: str) -> int:
    """PostgreSQL's COPY: several times faster than INSERT for the ~5,000 rows of a month.

    Written as CSV so names with commas or quotes are escaped by the csv module.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    stored = 0
    day = month.isoformat()
    for code, name, district_id, category_id, value in counts:
        writer.writerow((code, name, district_id, category_id, day, value, source_detail))
        stored += 1
    # FORCE_NOT_NULL: an empty source_detail is an empty string, not NULL.
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (lsoa_name, source_detail))"
    raw = cursor.cursor  # the driver's own cursor under Django's wrapper
    buffer.seek(0)
    if hasattr(raw, "copy_expert"):  # psycopg2
        raw.copy_expert(sql, buffer)
    else:  # psycopg 3
        with raw.copy(sql) as copy:
            copy.write(buffer.getvalue())
    return stored
