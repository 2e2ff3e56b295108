"""Import figures from CSV or XLSX: the single path for every bulk load.

Used by ``manage.py import_figures`` and by the officers' upload page. The
file is read twice, in chunks: first every row is validated (and checked
against stored figures and signed-off periods) without writing anything;
only if there is no error at all is it read again and written, in one
transaction, through crimedata.services.save_figures.

Columns: district, category, period_start, period_end, value, and optionally
status (default provisional) and note. Row numbers in messages are as a
spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from crimedata import rules
from crimedata.importers.tables import FileProblem, RowError, read_chunks
from crimedata.models import Figure, ImportLog
from crimedata.periods import MAX_MONTHS, month_end, month_index, month_label, month_start
from crimedata.selectors import ReferenceData
from crimedata.services import (
    CHUNK_SIZE,
    FigureInput,
    FigureSaveError,
    SaveResult,
    lock_district_quarters,
    save_figures,
)

REQUIRED = ("district", "category", "period_start", "period_end", "value")
OPTIONAL = ("status", "note")

MAX_PLAUSIBLE_PER_MONTH = rules.MAX_PLAUSIBLE_PER_MONTH
# Keep every error for normal files, but do not let a wholly wrong million-row
# file fill the memory with messages.
MAX_ERRORS_KEPT = 5_000

POLICEUK_ONLY = -1


@dataclass
class Validation:
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    rows: int = 0
    first_month: int | None = None
    last_month: int | None = None
    # Compact per-row arrays kept for the checks that span the whole file.
    _keys: list[np.ndarray] = field(default_factory=list, repr=False)

    def add(self, errors: list[RowError]) -> None:
        self.error_count += len(errors)
        room = MAX_ERRORS_KEPT - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def sorted_errors(self) -> list[RowError]:
        return sorted(self.errors, key=lambda e: (e.row or 0, REQUIRED.index(e.column) if e.column in REQUIRED else 9))


@dataclass(frozen=True)
class PreviewRow:
    """One row of a dry run as the upload preview shows it."""

    row: int
    district_id: int
    category_id: int
    period_start: dt.date
    period_end: dt.date
    value: int
    status: str
    note: str | None
    action: str  # "create", "update" or "unchanged"
    old_value: int | None
    old_status: str | None


@dataclass
class ImportOutcome:
    validation: Validation
    result: SaveResult | None = None
    log: ImportLog | None = None
    dry_run: bool = False
    file_name: str = ""
    # Dry runs with ``preview_limit``: the first rows, each classified.
    preview: list[PreviewRow] = field(default_factory=list)
    # Dry runs: the stored version behind every row, in file order (see SaveResult.versions).
    versions: list[int] | None = None
    # Rows refused because someone changed the figure after ``expected_versions`` were read.
    conflicts: int = 0

    @property
    def ok(self) -> bool:
        return self.validation.ok

    @property
    def summary(self) -> str:
        v = self.validation
        if not v.ok:
            return f"{self.file_name}: {v.error_count:,} error(s); nothing was written."
        r = self.result
        span = ""
        if v.first_month is not None:
            span = f" ({month_label(v.first_month)} to {month_label(v.last_month)})"
        verb = "Checked (dry run, nothing written)" if self.dry_run else "Imported"
        return (
            f"{verb} {self.file_name}: {v.rows:,} rows: {r.created:,} created, {r.updated:,} updated, "
            f"{r.unchanged:,} unchanged{span}."
        )


def _lookup_tables(ref: ReferenceData) -> tuple[dict[str, int], dict[str, int]]:
    districts: dict[str, int] = {}
    for d in ref.districts:
        for name in (d.code, d.name, *d.former_names):
            districts[name.strip().lower()] = d.id
    categories: dict[str, int] = {}
    for c in ref.categories:
        for name in (c.slug, c.name):
            # police.uk counts come only from police.uk files (import_policeuk),
            # which replace a month wholesale: figures loaded here would vanish.
            categories[name.strip().lower()] = POLICEUK_ONLY if c.family == "policeuk" else c.id
    return districts, categories


def _parse_months(texts: pd.Series, *, is_end: bool) -> tuple[pd.Series, pd.Series]:
    """Month index per row and an error message per row ('' when fine).

    Accepts YYYY-MM-DD (which must be the first or last day of a month) or
    YYYY-MM. Parsed with pandas' C date parser: a million rows take well
    under a second.
    """
    full = pd.to_datetime(texts, format="%Y-%m-%d", errors="coerce")
    month_only = pd.to_datetime(texts.where(texts.str.len() == 7), format="%Y-%m", errors="coerce")
    parsed = full.fillna(month_only)
    error = pd.Series("", index=texts.index, dtype=object)
    blank = texts == ""
    error[blank] = "is blank; write a date as YYYY-MM-DD or a month as YYYY-MM"
    unreadable = parsed.isna() & ~blank
    looks_like_date = texts.str.fullmatch(r"\d{4}-\d{2}(-\d{2})?", na=False)
    error[unreadable & ~looks_like_date] = "must be a date written as YYYY-MM-DD (or a month as YYYY-MM)"
    error[unreadable & looks_like_date] = "is not a real date"
    year = parsed.dt.year
    out_of_range = parsed.notna() & ((year < 1990) | (year > 2100))
    error[out_of_range] = "is not a real month between 1990 and 2100"
    has_day = full.notna() & ~out_of_range
    if is_end:
        wrong = has_day & ~full.dt.is_month_end
        error[wrong] = "must be the last day of a month (the period is whole months), for example 2016-10-31"
    else:
        wrong = has_day & (full.dt.day != 1)
        error[wrong] = "must be the first day of a month (the period is whole months), for example 2015-11-01"
    index = (year * 12 + parsed.dt.month - 1).where(error == "")
    return index, error


def _validate_chunk(chunk: pd.DataFrame, districts, categories, validation: Validation,
                    current_month: int) -> pd.DataFrame:
    """Check every cell of a chunk; return the rows converted to ids and month indexes.

    Values, notes and periods follow the shared input rules (crimedata.rules),
    the same the entry grid applies.
    """
    rows = chunk["row"].to_numpy()
    errors: list[RowError] = []

    def collect(mask: pd.Series, column: str, message: str | pd.Series) -> None:
        for position in np.flatnonzero(mask.to_numpy()):
            text = message if isinstance(message, str) else message.iloc[position]
            errors.append(RowError(int(rows[position]), column, text))

    # A control character (a NUL byte ...) is reported once, in its own words, and
    # removed before the column's other checks so they do not quote it back.
    chunk = chunk.copy()
    for column in ("district", "category", "period_start", "period_end", "value", "status"):
        if column in chunk:
            control = rules.control_character_column(chunk[column])
            if (control != "").any():
                collect(control != "", column, control)
                chunk[column] = rules.without_control_characters(chunk[column])

    district_text = chunk["district"]
    district_id = district_text.str.lower().map(districts)
    collect(district_text == "", "district", "is blank")
    unknown = district_id.isna() & (district_text != "")
    collect(unknown, "district", "'" + district_text + "' is not a Kent district we know (use its name or ONS code)")

    category_text = chunk["category"]
    category_id = category_text.str.lower().map(categories)
    from_policeuk = category_id == POLICEUK_ONLY
    collect(
        from_policeuk, "category",
        "'" + category_text + "' figures come only from police.uk street-level files; load them with the "
        "police.uk import instead",
    )
    category_id = category_id.where(~from_policeuk)
    collect(category_text == "", "category", "is blank")
    unknown = category_id.isna() & (category_text != "")
    collect(unknown, "category", "'" + category_text + "' is not a category we know (use its name or code)")

    start, start_error = _parse_months(chunk["period_start"], is_end=False)
    end, end_error = _parse_months(chunk["period_end"], is_end=True)
    collect(start_error != "", "period_start", start_error)
    collect(end_error != "", "period_end", end_error)
    future = end.notna() & (end > current_month)
    if future.any():
        collect(future, "period_end",
                end[future].astype(int).map(lambda month: rules.period_end_problem(month, current_month)))
        end = end.where(~future)
    both = start.notna() & end.notna()
    backwards = both & (end < start)
    collect(backwards, "period_end", "is before period_start")
    months = end - start + 1
    too_long = both & ~backwards & (months > MAX_MONTHS)
    collect(too_long, "period_end", "makes the period longer than 12 months")

    value_text = chunk["value"]
    value, value_error = rules.whole_number_column(value_text)
    blank_value = value_text == ""
    collect(blank_value, "value", "is blank; a missing figure is left out of the file, not entered as 0")
    not_whole = value_error != ""
    collect(not_whole, "value", value_error)
    absurd = ~blank_value & ~not_whole & both & (value > MAX_PLAUSIBLE_PER_MONTH * months.clip(lower=1))
    collect(absurd, "value", rules.IMPLAUSIBLE_COUNT)

    if "status" in chunk:
        status = chunk["status"].str.lower().replace("", Figure.STATUS_PROVISIONAL)
        bad_status = ~status.isin([Figure.STATUS_PROVISIONAL, Figure.STATUS_FINAL])
        collect(bad_status, "status", "must be 'provisional' or 'final' (or left blank for provisional)")
    else:
        status = pd.Series(Figure.STATUS_PROVISIONAL, index=chunk.index)

    if "note" in chunk:
        note_error = rules.note_column(chunk["note"])
        collect(note_error != "", "note", note_error)

    validation.add(errors)
    bad_rows = {e.row for e in errors}
    good = ~chunk["row"].isin(bad_rows)
    converted = pd.DataFrame(
        {
            "row": chunk["row"],
            "district_id": district_id,
            "category_id": category_id,
            "start": start,
            "end": end,
            "value": value,
            "status": status,
            "note": chunk["note"] if "note" in chunk else None,
        }
    )[good]
    return converted


def _check_across_file(validation: Validation) -> None:
    """Duplicate, conflicting or overlapping rows anywhere in the file."""
    if not validation._keys:
        return
    keys = np.concatenate(validation._keys)  # columns: district, category, start, end, value, row
    keys = keys[np.lexsort((keys[:, 3], keys[:, 2], keys[:, 1], keys[:, 0]))]
    same_series = (keys[1:, 0] == keys[:-1, 0]) & (keys[1:, 1] == keys[:-1, 1])
    # Within each district/category series (sorted by start), a row overlaps an
    # earlier one when it starts at or before the latest end seen so far; the
    # row that reached that end is the one to name.
    series_id = np.concatenate([[0], np.cumsum(~same_series)])
    latest_end = pd.Series(keys[:, 3]).groupby(series_id).cummax().to_numpy()
    latest_row = (
        pd.Series(np.where(keys[:, 3] == latest_end, keys[:, 5], np.nan)).groupby(series_id).ffill().to_numpy()
    )
    current, previous = keys[1:], keys[:-1]
    identical = same_series & (current[:, 2] == previous[:, 2]) & (current[:, 3] == previous[:, 3])
    overlapping = same_series & ~identical & (current[:, 2] <= latest_end[:-1])
    errors: list[RowError] = []
    for i in np.flatnonzero(identical):
        if current[i, 4] == previous[i, 4]:
            message = f"repeats row {previous[i, 5]} (same district, category and period)"
        else:
            message = f"conflicts with row {previous[i, 5]}: same district, category and period but a different value"
        errors.append(RowError(int(current[i, 5]), None, message))
    for i in np.flatnonzero(overlapping):
        # Report it on whichever of the two comes later in the file.
        earlier, later = sorted((int(current[i, 5]), int(latest_row[i])))
        errors.append(
            RowError(
                later, "period_start",
                f"overlaps the period of row {earlier} for the same district and category; "
                "periods must be the same months or none in common",
            )
        )
    validation.add(errors)


def validate_file(path: Path, name: str, ref: ReferenceData, *, allow_locked: bool = False,
                  today: dt.date | None = None) -> Validation:
    """Validate every row without writing anything (first pass)."""
    validation = Validation()
    current_month = month_index(today or timezone.localdate())
    districts, categories = _lookup_tables(ref)
    try:
        for chunk in read_chunks(path, name, REQUIRED, OPTIONAL):
            validation.rows += len(chunk)
            good = _validate_chunk(chunk, districts, categories, validation, current_month)
            if good.empty:
                continue
            # 32-bit keys: every id, month index, plausible value and row number fits,
            # and a million-row file needs 24 MB for its cross-file checks.
            block = good[["district_id", "category_id", "start", "end", "value", "row"]].to_numpy(dtype=np.int32)
            validation._keys.append(block)
            first, last = int(good["start"].min()), int(good["end"].max())
            validation.first_month = first if validation.first_month is None else min(validation.first_month, first)
            validation.last_month = last if validation.last_month is None else max(validation.last_month, last)
    except FileProblem as problem:
        validation.add([problem.error])
        return validation
    _check_across_file(validation)
    return validation


def iter_inputs(
    path: Path, name: str, ref: ReferenceData, rows_out: list[int] | None = None,
    expected_versions: list[int] | None = None, today: dt.date | None = None,
) -> Iterator[FigureInput]:
    """The file's rows as FigureInputs (second pass; the file is already valid).

    ``expected_versions`` (one per row, in file order) makes the write refuse
    any row whose figure changed since those versions were read.
    """
    districts, categories = _lookup_tables(ref)
    scratch = Validation()
    current_month = month_index(today or timezone.localdate())
    position = 0
    for chunk in read_chunks(path, name, REQUIRED, OPTIONAL):
        good = _validate_chunk(chunk, districts, categories, scratch, current_month)
        has_note = "note" in chunk
        for record in good.itertuples(index=False):
            start, end = int(record.start), int(record.end)
            if rows_out is not None:
                rows_out.append(int(record.row))
            yield FigureInput(
                district_id=int(record.district_id),
                category_id=int(record.category_id),
                period_start=dt.date(start // 12, start % 12 + 1, 1),
                period_end=month_end(end),
                value=int(record.value),
                status=record.status,
                note=(record.note or None) if has_note else None,
                expected_version=(
                    expected_versions[position]
                    if expected_versions is not None and position < len(expected_versions) else None
                ),
            )
            position += 1


def import_figures(
    path: Path,
    name: str,
    ref: ReferenceData,
    *,
    user=None,
    source: str = Figure.SOURCE_COMMAND,
    dry_run: bool = False,
    allow_locked: bool = False,
    reason: str = "",
    district_filter: Callable[[int], bool] | None = None,
    category_filter: Callable[[int], bool] | None = None,
    preview_limit: int = 0,
    expected_versions: list[int] | None = None,
    today: dt.date | None = None,
) -> ImportOutcome:
    """Validate, then (unless ``dry_run``) write the whole file or nothing.

    ``district_filter`` and ``category_filter`` let the upload page refuse rows
    for districts the officer may not change and categories loaded county-wide;
    they are checked with the other row errors. A dry run classifies the first
    ``preview_limit`` rows (created, updated or unchanged) into
    ``outcome.preview`` and records every row's stored version in
    ``outcome.versions``; passing those back as ``expected_versions`` makes the
    real run refuse rows whose figure has changed since.
    """
    today = today or timezone.localdate()
    outcome = ImportOutcome(validation=validate_file(path, name, ref, today=today), dry_run=dry_run, file_name=name)
    validation = outcome.validation
    if (district_filter is not None or category_filter is not None) and validation._keys:
        keys = np.concatenate(validation._keys)
        refused: list[RowError] = []
        if district_filter is not None:
            names = {d.id: d.name for d in ref.districts}
            refused += [
                RowError(int(row), "district", f"is {names[int(d)]}, which you are not allowed to change")
                for d, row in zip(keys[:, 0], keys[:, 5])
                if not district_filter(int(d))
            ]
        if category_filter is not None:
            names = {c.id: c.name for c in ref.categories}
            refused += [
                RowError(
                    int(row), "category",
                    f"is {names[int(c)]}, which county analysts load for every district; "
                    "officers upload only the figures districts supply",
                )
                for c, row in zip(keys[:, 1], keys[:, 5])
                if not category_filter(int(c))
            ]
        validation.add(sorted(refused))
    if not validation.ok:
        return outcome
    # Against stored figures and sign-offs: save_figures refuses the whole file
    # (writing nothing) if any row overlaps, is locked or conflicts, and says which.
    row_numbers: list[int] = []
    if dry_run:
        shown: list[FigureInput] = []

        def keep_first(inputs: Iterator[FigureInput]) -> Iterator[FigureInput]:
            for fi in inputs:
                if len(shown) < preview_limit:
                    shown.append(fi)
                yield fi

        outcome.result = save_figures(
            keep_first(iter_inputs(path, name, ref, row_numbers, today=today)), user=user, source=source, source_detail=name,
            allow_locked=allow_locked, dry_run=True, record_versions=True,
        )
        outcome.versions = outcome.result.versions
        validation.add([RowError(row_numbers[p.index], None, p.message) for p in outcome.result.problems])
        outcome.preview = _classify(shown, row_numbers, outcome.result)
        return outcome
    try:
        with transaction.atomic():
            # A file written in several chunks: every (district, quarter) it touches is locked at
            # once, in one order, before the first chunk, so two large imports can never deadlock
            # chunk by chunk. (save_figures locks a single chunk's quarters itself.)
            several_chunks = validation.rows > CHUNK_SIZE
            if several_chunks:
                keys = np.concatenate(validation._keys)
                lock_district_quarters(zip(keys[:, 0].tolist(), keys[:, 2].tolist(), keys[:, 3].tolist()))
            outcome.result = save_figures(
                iter_inputs(path, name, ref, row_numbers, expected_versions, today=today), user=user, source=source,
                source_detail=name, allow_locked=allow_locked, reason=reason, quarters_locked=several_chunks,
            )
            outcome.log = ImportLog.objects.create(
                kind=ImportLog.KIND_FIGURES,
                file_name=name,
                source=source,
                imported_by=user,
                first_month=month_start(validation.first_month),
                last_month=month_start(validation.last_month),
                created=outcome.result.created,
                updated=outcome.result.updated,
                unchanged=outcome.result.unchanged,
                summary=outcome.summary,
            )
    except FigureSaveError as exc:
        outcome.result = None
        outcome.conflicts = sum(p.kind == "conflict" for p in exc.result.problems)
        validation.add([RowError(row_numbers[p.index], None, p.message) for p in exc.result.problems])
    return outcome


def _classify(shown: list[FigureInput], row_numbers: list[int], result: SaveResult) -> list[PreviewRow]:
    """Created, updated or unchanged for each previewed input (changes are listed in input order)."""
    changes = {c.index: c for c in result.changes}
    rows = []
    for index, fi in enumerate(shown):
        change = changes.get(index)
        if change is None:
            action, old_value, old_status = "unchanged", fi.value, fi.status
        elif change.figure_id is None:
            action, old_value, old_status = "create", None, None
        else:
            action, old_value, old_status = "update", change.old_value, change.old_status
        rows.append(PreviewRow(
            row=row_numbers[index], district_id=fi.district_id, category_id=fi.category_id,
            period_start=fi.period_start, period_end=fi.period_end, value=fi.value, status=fi.status,
            note=fi.note, action=action, old_value=old_value, old_status=old_status,
        ))
    return rows
