"""Reading CSV and XLSX files as chunks of text, with plain-English file errors.

Both the figures and the populations importers (and the upload page) read
through here. Everything is read as text so that Excel's habit of turning
codes into numbers or dates cannot slip through; conversion happens in the
validators. Chunks keep memory bounded for files of a million rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
from defusedxml import DefusedXmlException
from openpyxl import load_workbook

CHUNK_ROWS = 50_000
SUPPORTED_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True, order=True)
class RowError:
    """One problem, located as a spreadsheet shows it (the header is row 1).

    ``row`` is None for a problem with the whole file.
    """

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column is None:
            return f"Row {self.row}: {self.message}"
        return f"Row {self.row}, {self.column}: {self.message}"


class FileProblem(Exception):
    """The file cannot be read at all (wrong type, encoding, empty, headers)."""

    def __init__(self, message: str):
        self.error = RowError(None, None, message)
        super().__init__(message)


def normalise_header(name: object) -> str:
    return str(name if name is not None else "").strip().lower().replace(" ", "_")


def check_headers(found: list[str], required: tuple[str, ...], optional: tuple[str, ...]) -> None:
    """Raise FileProblem naming missing, unexpected or repeated columns."""
    problems = []
    missing = [c for c in required if c not in found]
    if missing:
        problems.append(
            "The first row must be the column headings. Missing: " + ", ".join(missing)
            + ". Expected: " + ", ".join(required + optional) + "."
        )
    unexpected = [c for c in found if c and c not in required + optional]
    if unexpected:
        problems.append("Unexpected column heading(s): " + ", ".join(unexpected) + ".")
    repeated = sorted({c for c in found if c and found.count(c) > 1})
    if repeated:
        problems.append("Column heading(s) appear more than once: " + ", ".join(repeated) + ".")
    if problems:
        raise FileProblem(" ".join(problems))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# Bytes of a file's start examined for UTF-16 text without a byte-order mark.
_SNIFF_BYTES = 4096
# ASCII letters with a zero byte between them: "d\0i\0s\0" (UTF-16, little- or big-endian).
_UTF16_WITHOUT_BOM = re.compile(rb"(?:[A-Za-z]\x00){3}|(?:\x00[A-Za-z]){3}")
UTF16_MESSAGE = (
    "The file is saved as UTF-16 text. Save it as 'CSV UTF-8 (comma delimited)' and upload it again."
)


def _csv_chunks(path: Path, required, optional) -> Iterator[pd.DataFrame]:
    with open(path, "rb") as raw:
        head = raw.read(_SNIFF_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _UTF16_WITHOUT_BOM.search(head):
        raise FileProblem(UTF16_MESSAGE)
    try:
        with open(path, encoding="utf-8-sig", newline="") as text:
            first = next(csv.reader(text), None)
    except UnicodeDecodeError as exc:
        raise FileProblem(_encoding_message()) from exc
    except csv.Error as exc:
        raise FileProblem(f"The file is not a well-formed CSV file ({exc}).") from exc
    if first is None or not any(cell.strip() for cell in first):
        raise FileProblem("The file is empty. The first row must be the column headings.")
    headers = [normalise_header(h) for h in first]
    check_headers(headers, required, optional)
    # Excel often saves a heading row ending in ",,": columns with no heading are
    # read under stand-in names, must be empty, and are then dropped.
    names = [h or f"{_NO_HEADING}{i}" for i, h in enumerate(headers)]
    try:
        with warnings.catch_warnings():
            # pandas silently drops surplus cells in the first data row (with only a
            # warning); a row with too many cells must be an error like any other.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            # Blank lines are read (and then skipped) so that every row keeps the
            # number a spreadsheet shows for it.
            reader = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig", chunksize=CHUNK_ROWS,
                skip_blank_lines=False, header=0, names=names, index_col=False, on_bad_lines="error", engine="c",
            )
            first_row = 2
            for chunk in reader:
                chunk = chunk.fillna("").apply(lambda s: s.str.strip())
                chunk.insert(0, "row", range(first_row, first_row + len(chunk)))
                first_row += len(chunk)
                chunk = chunk[(chunk[names] != "").any(axis=1)]
                yield _without_unheaded_columns(chunk, names)
    except UnicodeDecodeError as exc:
        raise FileProblem(_encoding_message()) from exc
    except pd.errors.ParserWarning as exc:
        raise FileProblem(f"The file is not a well-formed CSV file ({_first_ragged_line(path, len(headers))}).") from exc
    except pd.errors.ParserError as exc:
        if "EOF inside string" in str(exc):
            raise FileProblem(_unclosed_quote(path)) from exc
        raise FileProblem(f"The file is not a well-formed CSV file ({_parser_detail(exc)}).") from exc


_NO_HEADING = "__no_heading_"


def _column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _without_unheaded_columns(chunk: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Drop the columns that have no heading, refusing the file if any of their cells holds something."""
    unheaded = [n for n in names if n.startswith(_NO_HEADING)]
    for name in unheaded:
        filled = chunk[name] != ""
        if filled.any():
            row = int(chunk["row"][filled].iloc[0])
            text = str(chunk[name][filled].iloc[0])
            shown = text if len(text) <= 30 else text[:29] + "…"
            letter = _column_letter(names.index(name))
            raise FileProblem(
                f"Row {row} has '{shown}' in column {letter}, which has no heading. Give the column a heading "
                "or delete what is in it, and upload the file again."
            )
    return chunk.drop(columns=unheaded) if unheaded else chunk


def _unclosed_quote(path: Path) -> str:
    """Name the row where an unclosed quote opens (pandas names a 0-based line, which is not it)."""
    row = line = 1
    last_line = 0
    with open(path, encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text)
        for number, _ in enumerate(reader, start=1):
            # The record that runs to the end of the file is the one whose quote never closes.
            row, line = number, last_line + 1
            last_line = reader.line_num
    where = f"row {row}" if row == line else f"row {row} (line {line} of the file)"
    return (
        f"The file is not a well-formed CSV file: a quote mark (\") opens in {where} and is never closed, so "
        "everything after it would be read as one cell. Close or delete the quote mark and upload the file again."
    )


def _first_ragged_line(path: Path, width: int) -> str:
    with open(path, encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text)
        next(reader, None)
        for cells in reader:
            if len(cells) > width:
                return f"line {reader.line_num} has {len(cells)} cells but there are {width} column headings"
    return "a row has more cells than there are column headings"


def _parser_detail(exc: Exception) -> str:
    text = str(exc).strip().split("\n")[0]
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if found:
        expected, line, saw = found.groups()
        return f"line {line} has {saw} cells but there are {expected} column headings"
    return text.replace("Error tokenizing data. C error: ", "").rstrip(".")


def _encoding_message() -> str:
    return (
        "The file is not UTF-8 text. In Excel choose 'Save as' then 'CSV UTF-8 (comma delimited)', "
        "and upload it again."
    )


# --- Excel workbooks -------------------------------------------------------------------------

# A workbook is a zip of XML files. Before any XML is parsed, its members are
# checked: how much they expand to (a 0.4 MB file can inflate to 400 MB), how
# many cells the worksheets hold, and that no part declares a DTD (entity
# expansion, "billion laughs", and external entities need one; Excel never
# writes one). zipfile stops every member at its declared size, so the declared
# sizes can be trusted. openpyxl then parses with defusedxml (requirements.txt),
# which refuses entities again.
XLSX_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
XLSX_MAX_CELLS = 2_000_000
XLSX_MAX_MEMBERS = 1_000
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_DTD_MARKERS = tuple(
    marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY") for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_SCAN_BLOCK = 1 << 20
_CARRY = 64
UNREADABLE_XLSX = "The file is not a readable Excel workbook (.xlsx)."


def _unreadable(detail: str = "") -> FileProblem:
    return FileProblem(UNREADABLE_XLSX + (f" {detail}" if detail else "") + (
        " Open it in Excel, save it again as 'Excel Workbook (.xlsx)' (or as 'CSV UTF-8'), and upload that file."
    ))


def check_workbook_archive(path: Path) -> None:
    """Refuse, before parsing any XML, a workbook that would expand too far, holds too many cells,
    or declares a DTD. Raises FileProblem."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > XLSX_MAX_MEMBERS:
                raise _unreadable(f"It holds {len(members):,} parts; a workbook of figures has a few dozen.")
            expanded = sum(m.file_size for m in members)
            if expanded > XLSX_MAX_UNCOMPRESSED_BYTES:
                raise FileProblem(
                    f"The workbook expands to {expanded / 1024 / 1024:,.0f} MB when opened; the largest this "
                    f"service opens is {XLSX_MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB. Save the figures as "
                    "'CSV UTF-8 (comma delimited)', or split them into smaller workbooks."
                )
            cells = 0
            for member in members:
                if member.is_dir():
                    continue
                counting = member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
                cells += _scan_member(archive, member, counting)
                if cells > XLSX_MAX_CELLS:
                    raise FileProblem(
                        f"The workbook has more than {XLSX_MAX_CELLS:,} cells; the most this service reads is "
                        f"{XLSX_MAX_CELLS:,}. Save the figures as 'CSV UTF-8 (comma delimited)', or split them "
                        "into smaller workbooks."
                    )
    except FileProblem:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error, NotImplementedError,
            RuntimeError, ValueError) as exc:
        raise _unreadable() from exc


def _scan_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, counting: bool) -> int:
    """Stream one member: raise FileProblem on a DTD; return its cell count when ``counting``."""
    cells = 0
    carry = b""
    with archive.open(member) as stream:
        while block := stream.read(_SCAN_BLOCK):
            data = carry + block
            if any(marker in data for marker in _DTD_MARKERS):
                raise FileProblem(
                    "The workbook contains a document type declaration (<!DOCTYPE> or <!ENTITY>), which Excel "
                    "never writes and which can make a file expand without limit or read other files, so it is "
                    "refused. Open it in Excel, save it again as 'Excel Workbook (.xlsx)', and upload that file."
                )
            # Tags starting in the last few bytes may be cut off: they are counted with the next block.
            limit = max(len(data) - _CARRY, 0)
            if counting:
                cells += sum(1 for m in _CELL_TAG.finditer(data, 0, len(data)) if m.start() < limit)
            carry = data[limit:]
    if counting and carry:
        cells += len(_CELL_TAG.findall(carry))
    return cells


# Anything a damaged workbook can make openpyxl or its XML parser raise.
_XLSX_ERRORS = (
    zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, ValueError, TypeError, AttributeError, IndexError,
    NotImplementedError, SyntaxError, ElementTree.ParseError, DefusedXmlException,
)


def _xlsx_chunks(path: Path, required, optional) -> Iterator[pd.DataFrame]:
    check_workbook_archive(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except _XLSX_ERRORS as exc:
        raise _unreadable() from exc
    try:
        yield from _workbook_chunks(workbook, required, optional)
    except _XLSX_ERRORS as exc:
        raise _unreadable() from exc
    finally:
        workbook.close()


def _workbook_chunks(workbook, required, optional) -> Iterator[pd.DataFrame]:
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, None)
    if first is None or not any(_cell_text(c) for c in first):
        raise FileProblem("The file is empty. The first row must be the column headings.")
    headers = [normalise_header(h) for h in first]
    while headers and headers[-1] == "":
        headers.pop()
    check_headers(headers, required, optional)
    names = [h or f"{_NO_HEADING}{i}" for i, h in enumerate(headers)]
    buffer: list[list[str]] = []
    row_numbers: list[int] = []
    for number, values in enumerate(rows, start=2):
        cells = [_cell_text(v) for v in values]
        if any(cells[len(names):]):
            position = next(i for i in range(len(names), len(cells)) if cells[i])
            raise FileProblem(
                f"Row {number} has '{cells[position][:30]}' in column {_column_letter(position)}, which has no "
                "heading. Give the column a heading or delete what is in it, and upload the file again."
            )
        cells = cells[: len(names)]
        cells += [""] * (len(names) - len(cells))
        if not any(cells):
            continue
        buffer.append(cells)
        row_numbers.append(number)
        if len(buffer) >= CHUNK_ROWS:
            yield _without_unheaded_columns(_frame(buffer, row_numbers, names), names)
            buffer, row_numbers = [], []
    if buffer:
        yield _without_unheaded_columns(_frame(buffer, row_numbers, names), names)


def _frame(buffer, row_numbers, headers) -> pd.DataFrame:
    frame = pd.DataFrame(buffer, columns=headers, dtype=str)
    frame.insert(0, "row", row_numbers)
    return frame


def read_chunks(path: Path, name: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> Iterator[pd.DataFrame]:
    """Yield the file's data rows as text DataFrames with a leading ``row`` column.

    Raises FileProblem for a file that cannot be read. ``name`` (the file's
    original name) decides the type.
    """
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise FileProblem(
            f"'{name}' is not a CSV (.csv) or Excel (.xlsx) file. Older .xls workbooks must be saved as .xlsx first."
        )
    reader = _csv_chunks if suffix == ".csv" else _xlsx_chunks
    empty = True
    for chunk in reader(Path(path), required, optional):
        if not chunk.empty:
            empty = False
            yield chunk
    if empty:
        raise FileProblem("The file has column headings but no rows of figures.")
