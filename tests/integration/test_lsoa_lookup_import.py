"""`manage.py import_lsoa_lookup`: the 2011 shape (districts only) and the ONS shape with wards."""

import io

import pytest
from django.core.management import CommandError, call_command

from crimedata.models import ImportLog, LsoaFigure, LsoaLookup
from tests.conftest import FIXTURES, MAIDSTONE, policeuk_file

POLICEUK = FIXTURES / "policeuk"
SHAPE_2011 = POLICEUK / "lsoa-lookup-2011-shape.csv"
WARDS_2021 = POLICEUK / "lsoa-ward-lookup-2021.csv"

pytestmark = pytest.mark.django_db


def run(path):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_lsoa_lookup", str(path), stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue(), err.getvalue() + str(exc)
    return True, out.getvalue(), err.getvalue()


def test_the_2011_shape_loads_districts_without_wards():
    ok, out, err = run(SHAPE_2011)
    assert ok, err
    assert "7 rows: 6 Kent and Medway neighbourhoods (LSOAs) loaded (6 new, 0 replaced), 1 outside Kent and Medway" in out
    assert "The file has no ward columns" in out
    shepway = LsoaLookup.objects.get(lsoa_code="E01024504")
    assert (shepway.district.name, shepway.ward_code, shepway.source) == ("Folkestone and Hythe", "", SHAPE_2011.name)
    assert not LsoaLookup.objects.filter(lsoa_code="E01000379").exists()  # Bexley is skipped
    assert ImportLog.objects.get().kind == ImportLog.KIND_LSOA_LOOKUP


def test_the_ons_shape_with_wards_loads_and_replaces_earlier_rows():
    run(SHAPE_2011)
    ok, out, err = run(WARDS_2021)
    assert ok, err
    assert "6 Kent and Medway neighbourhoods (LSOAs) loaded (0 new, 6 replaced)" in out and "6 have a ward" in out
    row = LsoaLookup.objects.get(lsoa_code="E01024320")
    assert (row.ward_code, row.ward_name, row.district.code) == ("E05015845", "High Street", MAIDSTONE)
    assert LsoaLookup.objects.get(lsoa_code="E01024504").lsoa_name == "Folkestone and Hythe 014A"


def test_neighbourhoods_with_police_uk_figures_but_no_lookup_row_are_counted():
    call_command("import_policeuk", str(policeuk_file("2024-03-kent-street.csv")), stdout=io.StringIO())
    ok, out, _ = run(WARDS_2021)
    assert ok and "1 neighbourhood(s) in the imported police.uk figures are not in any loaded lookup" in out
    assert LsoaFigure.objects.filter(lsoa_code="E01034991").exists()


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "The file is empty"),
        ("code,name\nE01024320,Maidstone 003A\n", "The file does not look like an LSOA lookup: no column for lsoa_code"),
        ("LSOA21CD,LSOA21NM,WD23CD,LAD23CD\nE01024320,Maidstone 003A,E05015845,E07000110\n",
         "A ward needs both its code and its name"),
        ("LSOA21CD,LSOA21NM,LAD23CD\nE0102432,Maidstone 003A,E07000110\n",
         "Row 2, lsoa21cd: 'E0102432' is not an LSOA code"),
        ("LSOA21CD,LSOA21NM,LAD23CD\nE01024320,Maidstone 003A,E07000110\nE01024320,Maidstone 003A,E07000116\n",
         "Row 3, lsoa21cd: E01024320 is also on row 2 with a different ward or district"),
        ("LSOA21CD,LSOA21NM,WD23CD,WD23NM,LAD23CD\nE01024320,Maidstone 003A,E05015845,,E07000110\n",
         "Row 2, wd23nm: is blank, but the ward's code is given"),
        ("LSOA21CD,LSOA21NM,LAD23CD\nE01024320,Maidstone 003A,\n", "Row 2, lad23cd: is blank"),
    ],
)
def test_bad_lookups_are_refused_and_load_nothing(tmp_path, content, message):
    path = tmp_path / "lookup.csv"
    path.write_text(content)
    ok, _, err = run(path)
    assert not ok and message in err, err
    assert LsoaLookup.objects.count() == 0 and ImportLog.objects.count() == 0


def test_a_lookup_by_district_name_works_when_there_is_no_district_code(tmp_path):
    path = tmp_path / "by-name.csv"
    path.write_text("lsoa_code,lsoa_name,lad_name\nE01024504,Shepway 014A,Shepway\nE01000379,Bexley 019F,Bexley\n")
    ok, out, err = run(path)
    assert ok, err
    assert LsoaLookup.objects.get().district.code == "E07000112"


def test_a_lookup_that_is_not_csv_is_refused(tmp_path):
    path = tmp_path / "lookup.xlsx"
    path.write_bytes(b"PK")
    ok, _, err = run(path)
    assert not ok and "is not a CSV (.csv) file" in err
