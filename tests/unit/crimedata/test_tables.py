"""Reading files safely (crimedata.importers.tables): workbooks are checked before any XML is parsed."""

import zipfile

import openpyxl
import pytest

from crimedata.importers import tables
from crimedata.importers.tables import FileProblem, check_workbook_archive, read_chunks
from tests.conftest import FIXTURES

BAD = FIXTURES / "imports" / "bad"
REQUIRED = ("district", "category", "period_start", "period_end", "value")


def test_openpyxl_parses_with_defusedxml():
    # requirements.txt pins defusedxml; openpyxl uses it only when it is importable.
    assert openpyxl.DEFUSEDXML is True


@pytest.mark.parametrize("name,start", [
    ("inflates-to-400-mb.xlsx", "The workbook expands to 400 MB when opened"),
    ("too-many-cells.xlsx", "The workbook has more than 2,000,000 cells"),
    ("external-entity.xlsx", "The workbook contains a document type declaration"),
    ("billion-laughs.xlsx", "The workbook contains a document type declaration"),
    ("corrupt.xlsx", "The file is not a readable Excel workbook (.xlsx)."),
])
def test_hostile_workbooks_are_refused_before_parsing(name, start, monkeypatch):
    def never(*args, **kwargs):  # pragma: no cover - the point is that it is not reached
        raise AssertionError("openpyxl was asked to parse a workbook the checks should have refused")

    monkeypatch.setattr(tables, "load_workbook", never)
    with pytest.raises(FileProblem) as refused:
        list(read_chunks(BAD / name, name, REQUIRED))
    assert str(refused.value).startswith(start)


def test_a_workbook_with_a_damaged_worksheet_is_unreadable_not_a_crash():
    with pytest.raises(FileProblem, match=r"not a readable Excel workbook"):
        list(read_chunks(BAD / "malformed-xml.xlsx", "malformed-xml.xlsx", REQUIRED))


def test_cells_are_counted_across_read_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "_SCAN_BLOCK", 7)
    path = tmp_path / "small.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<sheetData><row>" + '<c r="A1"/>' * 50 + "<c>x</c>" * 3
                         + "<cell/><col/></row></sheetData>")
    monkeypatch.setattr(tables, "XLSX_MAX_CELLS", 53)
    check_workbook_archive(path)  # exactly at the limit
    monkeypatch.setattr(tables, "XLSX_MAX_CELLS", 52)
    with pytest.raises(FileProblem, match="more than 52 cells"):
        check_workbook_archive(path)
