"""CSV and XLSX downloads, safe against spreadsheet formula injection.

A text cell starting with = + - @, a tab, a carriage return or a NUL can run
as a formula when a partner opens the file in Excel (OWASP ASVS 1.2.10). Such
text gets a leading apostrophe (``crimedata.spreadsheets.safe_cell``). Numbers
stay numbers (a rate of -8.9 is a number, not a formula), so XLSX cells remain
numeric and sum in a spreadsheet. django-tables2's own export passes formulas
straight through and tablib's ``escape`` only handles "=", which is why this
module exists.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.html import strip_tags

from crimedata.spreadsheets import safe_cell

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_rows(rows: Iterable[Sequence]) -> list[list]:
    return [[safe_cell(cell) for cell in row] for row in rows]


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in safe_rows(rows):
        writer.writerow(["" if cell is None else cell for cell in row])
    # A byte-order mark so Excel reads the file as UTF-8 ("↑", "£", "–").
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Iterable[Sequence], *, title: str = "Figures") -> bytes:
    # openpyxl is imported only when a workbook is asked for: it is slow to import, and most pages never need it.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    widths: dict[int, int] = {}
    for index, row in enumerate(safe_rows(rows)):
        sheet.append(row)
        for column, cell in enumerate(row, start=1):
            widths[column] = max(widths.get(column, 8), min(60, len(str(cell or "")) + 2))
        if index == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    for column, width in widths.items():
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    # openpyxl reads any string starting with "=" as a formula; the escaping
    # above means none does, and this makes sure of it.
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.value = "'" + str(cell.value)
                cell.data_type = "s"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31] or "Figures"


def download(rows: Iterable[Sequence], *, fmt: str, filename: str, title: str = "Figures") -> HttpResponse:
    """An attachment response with ``rows`` (the first row is the header) as CSV or XLSX."""
    if fmt == "csv":
        response = HttpResponse(csv_bytes(rows), content_type=CSV_TYPE)
    elif fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(rows, title=title), content_type=XLSX_TYPE)
    else:
        raise ValueError(f"Unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def table_rows(table, notes: Sequence[str] = ()) -> list[list]:
    """A django-tables2 table's header, rows (every row, in the current sort) and footer, as values.

    Columns give export values through ``value()`` (numbers as numbers); a
    table may add a footer row with ``export_footer()``. ``notes`` (such as
    what "<5" and "*" mean) follow after an empty row, one per row, so the
    file says what the page says under the table.
    """
    rows = [list(row) for row in table.as_values()]
    rows[0] = [strip_tags(str(header)) for header in rows[0]]
    footer = getattr(table, "export_footer", None)
    if footer is not None:
        extra = footer()
        if extra:
            rows.append(extra)
    notes = [note for note in notes if note]
    if notes:
        rows.append([])
        rows.extend([note] for note in notes)
    return rows
