"""`manage.py import_policeuk`: every quirk of the real files is counted and reported; nothing is dropped silently."""

import io
import shutil
import zipfile

import pytest
from django.core.management import CommandError, call_command

from crimedata import reference
from crimedata.models import Category, District, Figure, ImportLog, LsoaFigure, SignOff
from crimedata.periods import month_end
from tests.conftest import FIXTURES, MAIDSTONE, TUNBRIDGE_WELLS, add_figure, policeuk_file

POLICEUK = FIXTURES / "policeuk"
MARCH = policeuk_file("2024-03-kent-street.csv")
APRIL = policeuk_file("2024-04-kent-street.csv")
ZIP = POLICEUK / "police-uk-kent-2024-03-to-04.zip"
BAD_ENCODING = policeuk_file("bad/2024-05-kent-street.csv")
MEDWAY = "E06000035"
FOLKESTONE = "E07000112"
MARCH_SUMMARY = (
    "19 rows: 12 imported, 3 outside Kent (Bexley 2, Tandridge 1), 2 without location, "
    "1 from another month (2024-02 1), 1 malformed."
)

pytestmark = pytest.mark.django_db


def run(*paths, extra=()):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_policeuk", *[str(p) for p in paths], *extra, stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue(), err.getvalue() + str(exc)
    return True, out.getvalue(), err.getvalue()


def value(district, slug, month="2024-03"):
    figure = Figure.objects.get(district__code=district, category__slug=slug, period_start=f"{month}-01")
    return figure.value


def assert_nothing_written():
    assert Figure.objects.count() == 0
    assert Figure.history.count() == 0
    assert LsoaFigure.objects.count() == 0
    assert ImportLog.objects.count() == 0


def test_every_row_is_imported_or_reported_by_reason():
    ok, out, err = run(MARCH)
    assert ok, err
    assert f"2024-03-kent-street.csv (March 2024): {MARCH_SUMMARY}" in out
    # The truncated last row is located, as a spreadsheet numbers rows (the header is row 1).
    assert "Row 20: has no crime type (the row may be cut short)." in out
    log = ImportLog.objects.get()
    assert log.kind == ImportLog.KIND_POLICEUK and MARCH_SUMMARY in log.summary
    assert (log.first_month.isoformat(), log.last_month.isoformat()) == ("2024-03-01", "2024-03-01")


def test_districts_come_from_lsoa_names_including_former_names_and_any_case():
    run(MARCH)
    assert value(MAIDSTONE, "policeuk-burglary") == 2  # the February row in the March file is not counted
    assert value(MAIDSTONE, "policeuk-anti-social-behaviour") == 2  # ASB rows have no Crime ID
    assert value(MAIDSTONE, "policeuk-violence-and-sexual-offences") == 2
    assert value(MAIDSTONE, "policeuk-theft-from-the-person") == 1  # quoted location with a comma
    assert value(TUNBRIDGE_WELLS, "policeuk-other-theft") == 1  # "TUNBRIDGE WELLS 013B"
    assert value(FOLKESTONE, "policeuk-criminal-damage-and-arson") == 1  # "Shepway 014A"
    assert value(MEDWAY, "policeuk-public-order") == 1
    # Rows without location or outside Kent are in no district's figures.
    assert value(MAIDSTONE, "policeuk-drugs") == 0
    assert sum(Figure.objects.values_list("value", flat=True)) == 12


def test_every_district_and_crime_type_gets_a_final_monthly_figure_and_the_total_is_derived():
    run(MARCH)
    figures = Figure.objects.all()
    assert figures.count() == District.objects.count() * len(reference.POLICEUK_TYPES)
    assert set(figures.values_list("status", "source", "source_detail")) == {
        ("final", "police.uk", "2024-03-kent-street.csv")
    }
    assert set(figures.values_list("period_start", "period_end")) == {(month_end(2024 * 12 + 2).replace(day=1),
                                                                       month_end(2024 * 12 + 2))}
    # The total (all crime types, excluding ASB) is never stored: the roll-up makes it.
    assert not figures.filter(category__slug=reference.POLICEUK_TOTAL).exists()
    # History records who, when and why for each figure.
    assert Figure.history.filter(history_type="+").count() == figures.count()
    assert set(Figure.history.values_list("history_change_reason", flat=True)) == {
        "police.uk street-level import of 2024-03-kent-street.csv"
    }


def test_neighbourhood_counts_add_up_to_the_district_figures():
    run(MARCH, APRIL)
    for figure in Figure.objects.select_related("district", "category"):
        lsoa_total = sum(
            LsoaFigure.objects.filter(
                district=figure.district, category=figure.category, month=figure.period_start
            ).values_list("value", flat=True)
        )
        assert lsoa_total == figure.value, figure
    row = LsoaFigure.objects.get(lsoa_code="E01024320", category__slug="policeuk-burglary", month="2024-03-01")
    assert (row.lsoa_name, row.value, row.district.code) == ("Maidstone 003A", 2, MAIDSTONE)
    assert not LsoaFigure.objects.filter(value=0).exists()  # neighbourhoods are stored sparsely


def test_the_zip_as_downloaded_with_nested_month_folders_imports_and_ignores_other_files():
    ok, out, err = run(ZIP)
    assert ok, err
    assert f"2024-03-kent-street.csv in {ZIP.name} (March 2024): {MARCH_SUMMARY}" in out
    assert f"2024-04-kent-street.csv in {ZIP.name} (April 2024): 8 rows: 8 imported." in out
    assert "Ignored: 2024-03/2024-03-kent-outcomes.csv in" in out and "(not street-level crime)" in out
    assert ImportLog.objects.count() == 2
    assert value(MAIDSTONE, "policeuk-shoplifting", "2024-04") == 2


def test_the_fixture_zip_holds_exactly_the_loose_fixture_files():
    # So the zip and the loose files cannot drift apart.
    with zipfile.ZipFile(ZIP) as archive:
        assert archive.read("2024-03/2024-03-kent-street.csv") == MARCH.read_bytes()
        assert archive.read("2024-04/2024-04-kent-street.csv") == APRIL.read_bytes()


def test_a_folder_of_files_is_imported(tmp_path):
    folder = tmp_path / "downloads" / "2024-04"
    folder.mkdir(parents=True)
    shutil.copy(APRIL, folder)
    (folder / "notes.txt").write_text("my notes")
    ok, out, err = run(tmp_path / "downloads")
    assert ok, err
    assert "8 rows: 8 imported" in out and "notes.txt (not a police.uk street-level file)" in out


def test_reimporting_a_month_is_idempotent():
    run(MARCH, APRIL)
    history = Figure.history.count()
    figures = list(Figure.objects.order_by("pk").values_list("pk", "value", "version", "entered_at"))
    lsoas = sorted(LsoaFigure.objects.values_list("lsoa_code", "category_id", "month", "value"))
    ok, out, _ = run(ZIP)
    assert ok
    assert "District figures created 0, updated 0, unchanged 182, removed 0" in out
    assert Figure.history.count() == history
    assert list(Figure.objects.order_by("pk").values_list("pk", "value", "version", "entered_at")) == figures
    assert sorted(LsoaFigure.objects.values_list("lsoa_code", "category_id", "month", "value")) == lsoas


def test_a_corrected_month_replaces_the_old_one_exactly_with_history(tmp_path):
    run(MARCH)
    corrected = tmp_path / "2024-03-kent-street.csv"
    # Maidstone 003A's two burglaries become one vehicle crime and one burglary; Medway's public order goes.
    text = MARCH.read_text()
    first_burglary = next(line for line in text.splitlines() if "Maidstone 003A,Burglary" in line)
    text = text.replace(first_burglary, first_burglary.replace("Burglary", "Vehicle crime"), 1)
    text = "\n".join(line for line in text.split("\n") if "Medway 015A,Public order" not in line)
    corrected.write_text(text)
    ok, out, err = run(corrected)
    assert ok, err
    assert "District figures created 0, updated 3, unchanged 179, removed 0" in out
    assert value(MAIDSTONE, "policeuk-burglary") == 1
    assert value(MAIDSTONE, "policeuk-vehicle-crime") == 1
    medway = Figure.objects.get(district__code=MEDWAY, category__slug="policeuk-public-order")
    assert medway.value == 0  # the new extract has none: a count of 0, not missing
    assert list(medway.history.values_list("value", "history_type")) == [(0, "~"), (1, "+")]
    assert not LsoaFigure.objects.filter(lsoa_code="E01016016", month="2024-03-01").exists()
    assert sum(Figure.objects.values_list("value", flat=True)) == 11


def test_figures_of_the_family_that_a_reimport_no_longer_has_are_removed_with_history():
    # A police.uk total stored directly (say by an older import) is not part of the new month.
    stale = add_figure(MAIDSTONE, reference.POLICEUK_TOTAL, "2024-03", value=999)
    kent_recorded = add_figure(MAIDSTONE, "all-crime", "2024-03", value=1234)
    ok, out, err = run(MARCH)
    assert ok, err
    assert "removed 1" in out
    assert not Figure.objects.filter(pk=stale.pk).exists()
    assert list(Figure.history.filter(id=stale.pk).values_list("history_type", "value")) == [("-", 999), ("+", 999)]
    removed = Figure.history.filter(id=stale.pk, history_type="-").get()
    assert removed.history_change_reason == "police.uk street-level import of 2024-03-kent-street.csv"
    # Kent Police recorded crime is another family: never touched.
    kent_recorded.refresh_from_db()
    assert kent_recorded.value == 1234


def test_the_same_month_given_twice_identically_is_read_once():
    ok, out, err = run(APRIL, ZIP)
    assert ok, err
    assert "April 2024 was given 2 times" in out and "the copies are identical, so it was read once" in out
    assert value(MAIDSTONE, "policeuk-shoplifting", "2024-04") == 2
    assert ImportLog.objects.filter(first_month="2024-04-01").count() == 1


def test_the_same_month_given_twice_with_different_contents_is_refused(tmp_path):
    other = tmp_path / "2024-04-kent-street.csv"
    other.write_text(APRIL.read_text().replace("Shoplifting", "Burglary", 1))
    ok, _, err = run(other, ZIP)
    assert not ok
    assert "April 2024 was given 2 times with different contents" in err
    assert "nothing was written" in err
    assert_nothing_written()


def test_a_file_with_bad_encoding_is_refused_with_its_line_and_nothing_is_written():
    ok, _, err = run(APRIL, BAD_ENCODING)
    assert not ok
    assert "2024-05-kent-street.csv is not UTF-8 text (line 3 has bytes that are not UTF-8)" in err
    assert_nothing_written()  # April was fine, but the run is one transaction


def test_a_utf16_file_is_refused(tmp_path):
    path = tmp_path / "2024-04-kent-street.csv"
    path.write_bytes(APRIL.read_text().encode("utf-16"))
    ok, _, err = run(path)
    assert not ok and "is saved as UTF-16 text" in err
    assert_nothing_written()


@pytest.mark.parametrize(
    "name, message",
    [
        ("kent-march.csv", "the name must be as data.police.uk gives it, YYYY-MM-kent-street.csv"),
        ("2024-13-kent-street.csv", "'2024-13' in the name is not a real month"),
        ("2024-04-surrey-street.csv", "is 'surrey' police.uk data. Only Kent Police street-level files"),
        ("2024-04-btp-street.csv", "is 'btp' police.uk data"),
    ],
)
def test_files_that_are_not_kent_monthly_street_files_are_refused(tmp_path, name, message):
    path = tmp_path / name
    shutil.copy(APRIL, path)
    ok, _, err = run(path)
    assert not ok and message in err
    assert_nothing_written()


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "is empty"),
        ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type\r\n",
         "has column headings but no rows"),
        ("Crime ID,Month,Location,Crime type\r\nabc,2024-04,On or near X,Burglary\r\n",
         "is not a police.uk street-level crime file: it has no 'LSOA code', 'LSOA name' column"),
        ("Crime ID,Month,Location,LSOA code,LSOA name,Crime type\r\nabc,2024-04,\"On or near X,E01024320,Maid",
         "is not a well-formed CSV file"),
        ("Month,LSOA code,LSOA name,Crime type\r\n2024-04,E01000379,Bexley 019F,Burglary\r\n",
         "none of its 1 rows could be imported (1 rows: 0 imported, 1 outside Kent (Bexley 1))"),
    ],
)
def test_unreadable_files_are_refused_with_a_specific_message(tmp_path, content, message):
    path = tmp_path / "2024-04-kent-street.csv"
    path.write_text(content)
    ok, _, err = run(path)
    assert not ok and message in err, err
    assert_nothing_written()


def test_malformed_rows_are_counted_with_examples(tmp_path):
    path = tmp_path / "2024-04-kent-street.csv"
    path.write_text(
        "Month,LSOA code,LSOA name,Crime type\r\n"
        "2024-04,E01024320,Maidstone 003A,Burglary\r\n"
        "2024-04,E01024320,Maidstone 003A,Burgl\r\n"  # cut off inside the crime type
        "April,E01024320,Maidstone 003A,Burglary\r\n"
        "2024-04,E01024320,,Burglary\r\n"
        "2024-04,XYZ,Maidstone 003A,Drugs\r\n"
        "2024-04,E01024321,Maidstone,Drugs\r\n"
        "2024-04,E01024320,Maidstone 003X,Drugs\r\n"  # the same code named another way
        "2024-04,E01024320,Maidstone 003A,Violent crime\r\n"  # a pre-2013 crime type
    )
    ok, out, err = run(path)
    assert ok, err
    assert "8 rows: 1 imported, 7 malformed." in out
    for expected in (
        "Row 3: crime type 'Burgl' is not a police.uk crime type.",
        "Row 4: month 'April' is not written YYYY-MM.",
        "Row 5: has an LSOA code but no LSOA name.",
        "Row 6: LSOA code 'XYZ' is not an LSOA code.",
        "Row 7: LSOA name 'Maidstone' is not like 'Maidstone 001A'.",
    ):
        assert expected in out


def test_spaces_around_values_do_not_make_another_neighbourhood(tmp_path):
    path = tmp_path / "2024-04-kent-street.csv"
    path.write_text(
        "Month,LSOA code,LSOA name,Crime type\r\n"
        "2024-04,E01024320,Maidstone 003A,Burglary\r\n"
        "2024-04 , E01024320 ,Maidstone 003A ,Burglary \r\n"
    )
    ok, out, err = run(path)
    assert ok, err
    assert "2 rows: 2 imported." in out
    assert LsoaFigure.objects.get(lsoa_code="E01024320").value == 2


def test_a_row_whose_lsoa_code_is_named_two_ways_is_malformed(tmp_path):
    path = tmp_path / "2024-04-kent-street.csv"
    path.write_text(
        "Month,LSOA code,LSOA name,Crime type\r\n"
        "2024-04,E01024320,Maidstone 003A,Burglary\r\n"
        "2024-04,E01024320,Maidstone 003A,Drugs\r\n"
        "2024-04,E01024320,Tunbridge Wells 013A,Drugs\r\n"
    )
    ok, out, err = run(path)
    assert ok, err
    assert "3 rows: 2 imported, 1 malformed." in out
    assert "1 row(s) name LSOA E01024320 'Tunbridge Wells 013A', but most name it 'Maidstone 003A'." in out
    assert value(TUNBRIDGE_WELLS, "policeuk-drugs", "2024-04") == 0


def test_codes_missing_from_the_lsoa_lookup_are_reported_not_guessed():
    ok, out, _ = run(MARCH)
    assert "No LSOA lookup is loaded" in out
    call_command("import_lsoa_lookup", str(POLICEUK / "lsoa-lookup-2011-shape.csv"), stdout=io.StringIO())
    ok, out, _ = run(MARCH)
    # Maidstone 004H (E01034991) is a 2021 LSOA: not in the 2011-shaped lookup.
    assert "2 imported rows in 1 neighbourhood (LSOA) is not in the loaded LSOA lookup" in out
    assert LsoaFigure.objects.get(lsoa_code="E01034991", category__slug="policeuk-shoplifting").district.code == MAIDSTONE


def test_a_signed_off_month_cannot_be_changed_by_reimport(tmp_path):
    run(MARCH)
    maidstone = District.objects.get(code=MAIDSTONE)
    SignOff.objects.create(district=maidstone, period_start="2024-01-01", period_end="2024-03-31")
    changed = tmp_path / "2024-03-kent-street.csv"
    changed.write_text(MARCH.read_text().replace("Maidstone 003A,Burglary", "Maidstone 003A,Drugs", 1))
    ok, _, err = run(changed)
    assert not ok
    assert "Maidstone, police.uk: Burglary, March 2024 is in a period that has been signed off" in err
    assert value(MAIDSTONE, "policeuk-burglary") == 2
    # An administrator's correction, with a reason, goes through and is kept in the history.
    ok, out, err = run(changed, extra=("--allow-locked", "--reason", "police.uk republished March"))
    assert ok, err
    assert value(MAIDSTONE, "policeuk-burglary") == 1
    latest = Figure.objects.get(district=maidstone, category__slug="policeuk-burglary").history.first()
    assert latest.history_change_reason == "police.uk republished March"


def test_allow_locked_needs_a_reason():
    ok, _, err = run(MARCH, extra=("--allow-locked",))
    assert not ok and "--allow-locked needs --reason" in err


def test_dry_run_reports_and_writes_nothing():
    ok, out, _ = run(ZIP, extra=("--dry-run",))
    assert ok
    assert "Checked (dry run, nothing written) 2 police.uk file(s)" in out
    assert "District figures would be created 182" in out
    assert_nothing_written()


def test_a_missing_path_is_refused():
    ok, _, err = run(POLICEUK / "no-such-file.csv")
    assert not ok and "does not exist" in err


def test_police_uk_figures_never_touch_recorded_crime_categories():
    run(MARCH, APRIL)
    families = set(Category.objects.filter(figures__isnull=False).values_list("family", flat=True))
    assert families == {"policeuk"}


def test_a_stale_figure_in_a_signed_off_month_is_not_removed_without_an_administrator():
    run(MARCH)
    lsoa_rows = LsoaFigure.objects.count()
    stale = add_figure(TUNBRIDGE_WELLS, reference.POLICEUK_TOTAL, "2024-03", value=50)
    add_figure(MAIDSTONE, reference.POLICEUK_TOTAL, "2024-03", value=40)
    SignOff.objects.create(district=stale.district, period_start="2024-03-01", period_end="2024-03-31")
    ok, _, err = run(MARCH)
    assert not ok
    # The problem names the right figure: Tunbridge Wells (signed off), not Maidstone.
    assert "Tunbridge Wells, police.uk: all crime types (excluding ASB), March 2024 is in a period that has been " \
           "signed off; only an administrator can remove it" in err
    assert "Maidstone, police.uk: all crime types" not in err
    assert Figure.objects.filter(category__slug=reference.POLICEUK_TOTAL).count() == 2  # neither removed
    assert LsoaFigure.objects.count() == lsoa_rows
