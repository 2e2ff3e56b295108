"""`manage.py import_populations`: validated as a whole, written in one go."""

import pytest
from django.core.management import CommandError, call_command

from crimedata.models import ImportLog, Population

pytestmark = pytest.mark.django_db


def test_populations_import_and_reimport_changes_nothing(tmp_path):
    path = tmp_path / "mye.csv"
    path.write_text("district,year,population,source\nTunbridge Wells,2015,116200,ONS mid-2015\nMaidstone,2015,\"164,500\",ONS mid-2015\n")
    call_command("import_populations", str(path))
    assert dict(Population.objects.values_list("district__name", "population")) == {
        "Tunbridge Wells": 116_200, "Maidstone": 164_500}
    call_command("import_populations", str(path))
    assert Population.objects.count() == 2
    assert ImportLog.objects.filter(kind="populations").first().summary.endswith("0 created, 0 updated, 2 unchanged.")


@pytest.mark.parametrize(
    "body,message",
    [
        ("district,year,population\nKent Town,2015,1000\n", "Row 2, district: 'Kent Town' is not a Kent district we know"),
        ("district,year,population\nMaidstone,15,1000\n", "Row 2, year: must be a year such as 2021"),
        ("district,year,population\nMaidstone,2015,-5\n", "Row 2, population: must be a whole number greater than 0"),
        ("district,year,population\nMaidstone,2015,99999999\n", "Row 2, population: is too large to be a district's population"),
        ("district,year,population\nMaidstone,2015,1\nMAIDSTONE,2015,2\n", "Row 3: repeats the district and year of row 2"),
        ("district,year\nMaidstone,2015\n", "The first row must be the column headings. Missing: population."),
    ],
)
def test_bad_population_files_write_nothing(tmp_path, body, message, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(body)
    with pytest.raises(CommandError):
        call_command("import_populations", str(path))
    assert message in capsys.readouterr().err
    assert Population.objects.count() == 0 and ImportLog.objects.count() == 0
