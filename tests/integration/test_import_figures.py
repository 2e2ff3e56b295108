"""`manage.py import_figures`: every kind of bad file is refused with its own message and writes nothing."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from crimedata.models import Figure, ImportLog, SignOff
from crimedata.periods import month_end
from tests.conftest import FIXTURES, MAIDSTONE, add_figure
from tests.integration.bad_corpus import BAD, expected_messages

EXPECTED = expected_messages()
GOOD = FIXTURES / "imports" / "good" / "maidstone-robbery-2016.csv"


def run_import(path, *args):
    out, err = [], []

    class Sink:
        def __init__(self, store):
            self.store = store

        def write(self, text):
            self.store.append(text)

        def flush(self):
            pass

    try:
        call_command("import_figures", str(path), *args, stdout=Sink(out), stderr=Sink(err))
    except CommandError as exc:
        return False, "".join(out), "".join(err), str(exc)
    return True, "".join(out), "".join(err), ""


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_gives_its_specific_error_and_writes_nothing(name):
    ok, _, err, summary = run_import(BAD / name)
    assert not ok
    assert EXPECTED[name] in err.splitlines()
    assert "nothing was written" in summary
    assert Figure.objects.count() == 0
    assert Figure.history.count() == 0
    assert ImportLog.objects.count() == 0


@pytest.mark.django_db
def test_a_clean_file_is_imported_in_one_go_and_logged():
    ok, out, _, _ = run_import(GOOD)
    assert ok, out
    assert "12 rows: 12 created, 0 updated, 0 unchanged (November 2015 to October 2016)" in out
    assert sum(Figure.objects.values_list("value", flat=True)) == 69
    log = ImportLog.objects.get()
    assert (log.created, log.file_name, log.first_month.isoformat()) == (12, GOOD.name, "2015-11-01")
    # Every write is in the history, with its source.
    assert Figure.history.filter(history_type="+", source=Figure.SOURCE_COMMAND).count() == 12


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing():
    run_import(GOOD)
    history_before = Figure.history.count()
    versions_before = list(Figure.objects.order_by("pk").values_list("version", "entered_at"))
    ok, out, _, _ = run_import(GOOD)
    assert ok
    assert "0 created, 0 updated, 12 unchanged" in out
    assert Figure.history.count() == history_before
    assert list(Figure.objects.order_by("pk").values_list("version", "entered_at")) == versions_before


@pytest.mark.django_db
def test_a_changed_value_updates_the_figure_and_keeps_the_old_one_in_history(tmp_path):
    run_import(GOOD)
    changed = tmp_path / "maidstone-robbery-2016-corrected.csv"
    changed.write_text(GOOD.read_text(encoding="utf-8-sig").replace("2016-10-31,6,final", "2016-10-31,9,final"))
    ok, out, _, _ = run_import(changed)
    assert ok and "1 updated, 11 unchanged" in out
    figure = Figure.objects.get(period_start="2016-10-01")
    assert (figure.value, figure.version) == (9, 2)
    assert list(figure.history.values_list("value", flat=True)) == [9, 6]


@pytest.mark.django_db
def test_dry_run_reports_and_writes_nothing():
    ok, out, _, _ = run_import(GOOD, "--dry-run")
    assert ok and "dry run, nothing written" in out and "12 created" in out
    assert Figure.objects.count() == 0 and ImportLog.objects.count() == 0


@pytest.mark.django_db
def test_a_row_overlapping_a_stored_figure_of_another_shape_is_refused():
    add_figure(MAIDSTONE, "robbery", "2016-10", "2016-12", value=20)
    ok, _, err, _ = run_import(GOOD)
    assert not ok
    assert "Row 13: overlaps a stored figure for October 2016 to December 2016" in err
    assert Figure.objects.count() == 1


@pytest.mark.django_db
def test_a_signed_off_period_cannot_be_changed_by_import(tmp_path):
    run_import(GOOD)
    figure = Figure.objects.get(period_start="2016-10-01")
    SignOff.objects.create(district=figure.district, period_start=figure.period_start, period_end=month_end(2016 * 12 + 11))
    changed = tmp_path / "late-correction.csv"
    changed.write_text(GOOD.read_text(encoding="utf-8-sig").replace("2016-10-31,6,final", "2016-10-31,9,final"))
    ok, _, err, _ = run_import(changed)
    assert not ok and "Row 13: is in a period that has been signed off" in err
    figure.refresh_from_db()
    assert figure.value == 6


@pytest.mark.django_db
def test_every_error_in_a_file_is_listed_not_just_the_first(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text(
        "district,category,period_start,period_end,value\n"
        "Kent Town,robbery,2016-10-01,2016-10-31,1\n"
        "Maidstone,robbery,2016-10-01,2016-10-31,-1\n"
        "Maidstone,burglery,2016-11-01,2016-11-30,1\n"
    )
    ok, _, err, _ = run_import(path)
    lines = err.splitlines()
    assert not ok and len(lines) == 3
    assert lines[0].startswith("Row 2, district") and lines[1].startswith("Row 3, value") and lines[2].startswith("Row 4, category")


@pytest.mark.django_db
def test_names_former_names_codes_and_months_are_accepted(tmp_path):
    path = tmp_path / "spellings.csv"
    path.write_text(
        "District,Category,Period_Start,Period_End,Value\n"
        "SHEPWAY,Robbery,2016-10,2016-10,3\n"
        "e07000112,burglary-dwelling,2016-10,2016-12,12\n"
        "folkestone and hythe,Shoplifting,2016-10-01,2016-10-31,40\n"
    )
    ok, out, err, _ = run_import(path)
    assert ok, err
    assert set(Figure.objects.values_list("district__name", flat=True)) == {"Folkestone and Hythe"}
    assert Figure.objects.get(category__slug="burglary-dwelling").period_end.isoformat() == "2016-12-31"
    assert set(Figure.objects.values_list("status", flat=True)) == {"provisional"}


@pytest.mark.django_db
def test_xlsx_files_import_with_dates_and_numbers_as_excel_stores_them(tmp_path):
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.append(["district", "category", "period_start", "period_end", "value", "status"])
    sheet.append(["E07000110", "robbery", dt.datetime(2016, 10, 1), dt.datetime(2016, 10, 31), 6, "final"])
    sheet.append(["Maidstone", "shoplifting", "2016-10", "2016-10", 61.0, "final"])
    path = tmp_path / "october.xlsx"
    book.save(path)
    ok, out, err, _ = run_import(path)
    assert ok, err
    assert dict(Figure.objects.values_list("category__slug", "value")) == {"robbery": 6, "shoplifting": 61}


@pytest.mark.django_db
def test_xlsx_row_errors_use_spreadsheet_row_numbers(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["district", "category", "period_start", "period_end", "value"])
    sheet.append(["Maidstone", "robbery", "2016-10", "2016-10", 6])
    sheet.append([None, None, None, None, None])  # a blank row is skipped, but keeps its number
    sheet.append(["Maidstone", "robbery", "2016-11", "2016-11", 2.5])
    path = tmp_path / "gaps.xlsx"
    book.save(path)
    ok, _, err, _ = run_import(path)
    assert not ok and "Row 4, value: must be a whole number of 0 or more" in err


@pytest.mark.django_db
def test_police_uk_categories_are_refused_by_the_figure_import(tmp_path):
    # police.uk counts come only from police.uk files, which replace whole months.
    path = tmp_path / "policeuk.csv"
    path.write_text("district,category,period_start,period_end,value\nMaidstone,policeuk-burglary,2024-01,2024-01,50\n")
    ok, _, err, _ = run_import(path)
    assert not ok
    assert "Row 2, category: 'policeuk-burglary' figures come only from police.uk street-level files" in err
    assert Figure.objects.count() == 0


@pytest.mark.django_db
def test_a_heading_row_ending_in_empty_cells_is_read_as_excel_saves_it(tmp_path):
    # Excel writes "...,note,," when cells beyond the table were ever touched; that was a traceback.
    path = tmp_path / "excel.csv"
    path.write_text("district,category,period_start,period_end,value,status,note,,\n"
                    "Maidstone,robbery,2016-10-01,2016-10-31,\"1,234\",final,,,\n")
    ok, out, err, _ = run_import(path)
    assert ok, err
    assert Figure.objects.get().value == 1234


@pytest.mark.django_db
def test_an_xlsx_formula_cell_is_named_as_a_formula(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["district", "category", "period_start", "period_end", "value"])
    sheet.append(["Maidstone", "robbery", "2016-10", "2016-10", 4])
    sheet.append(["Maidstone", "robbery", "2016-11", "2016-11", "=SUM(E2:E2)"])
    path = tmp_path / "formula.xlsx"
    book.save(path)
    ok, _, err, _ = run_import(path)
    assert not ok and "Row 3, value: must be a whole number of 0 or more, but the cell holds a formula ('=SUM(E2:E2)')" in err
    assert Figure.objects.count() == 0
