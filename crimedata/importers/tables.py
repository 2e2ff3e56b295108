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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

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


def _csv_chunks(path: Path, required, optional) -> Iterator[pd.DataFrame]:
    with open(path, "rb") as raw:
        head = raw.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(
            "The file is saved as UTF-16 text. Save it as 'CSV UTF-8 (comma delimited)' and upload it again."
        )
    try:
        with open(path, encoding="utf-8-sig", newline="") as text:
            first = next(csv.reader(text), None)
    except UnicodeDecodeError as exc:
        raise FileProblem(_encoding_message()) from exc
    if first is None or not any(cell.strip() for cell in first):
        raise FileProblem("The file is empty. The first row must be the column headings.")
    headers = [normalise_header(h) for h in first]
    check_headers(headers, required, optional)
    try:
        with warnings.catch_warnings():
            # pandas silently drops surplus cells in the first data row (with only a
            # warning); a row with too many cells must be an error like any other.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            reader = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig", chunksize=CHUNK_ROWS,
                skip_blank_lines=True, header=0, names=headers, index_col=False, on_bad_lines="error", engine="c",
            )
            first_row = 2
            for chunk in reader:
                chunk = chunk.apply(lambda s: s.str.strip())
                chunk.insert(0, "row", range(first_row, first_row + len(chunk)))
                first_row += len(chunk)
                yield chunk
    except UnicodeDecodeError as exc:
        raise FileProblem(_encoding_message()) from exc
    except pd.errors.ParserWarning as exc:
        raise FileProblem(f"The file is not a well-formed CSV file ({_first_ragged_line(path, len(headers))}).") from exc
    except pd.errors.ParserError as exc:
        raise FileProblem(f"The file is not a well-formed CSV file ({_parser_detail(exc)}).") from exc


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


def _xlsx_chunks(path: Path, required, optional) -> Iterator[pd.DataFrame]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem("The file is not a readable Excel workbook (.xlsx).") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None or not any(_cell_text(c) for c in first):
            raise FileProblem("The file is empty. The first row must be the column headings.")
        headers = [normalise_header(h) for h in first]
        while headers and headers[-1] == "":
            headers.pop()
        check_headers(headers, required, optional)
        buffer: list[list[str]] = []
        row_numbers: list[int] = []
        for number, values in enumerate(rows, start=2):
            cells = [_cell_text(v) for v in values[: len(headers)]]
            cells += [""] * (len(headers) - len(cells))
            if not any(cells):
                continue
            buffer.append(cells)
            row_numbers.append(number)
            if len(buffer) >= CHUNK_ROWS:
                yield _frame(buffer, row_numbers, headers)
                buffer, row_numbers = [], []
        if buffer:
            yield _frame(buffer, row_numbers, headers)
    finally:
        workbook.close()


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
