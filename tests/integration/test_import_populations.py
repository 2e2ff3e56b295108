"""`manage.py import_populations`: validated as a whole, written in one go."""

import pytest
from django.core.management import CommandError, call_command

from crimedata.models import ImportLog, Population
from tests.integration.bad_corpus import BAD_POPULATIONS, expected_messages

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
        ("district,year,population\nMaidstone,2015,-5\n",
         "Row 2, population: must be a whole number of 0 or more, written without a plus or minus sign ('-5')"),
        ("district,year,population\nMaidstone,2015,0\n", "Row 2, population: must be a whole number greater than 0"),
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


POPULATION_CASES = expected_messages(BAD_POPULATIONS)


@pytest.mark.parametrize("name", sorted(POPULATION_CASES))
def test_each_bad_population_file_in_the_corpus_gives_its_message_and_writes_nothing(name, capsys):
    # Among them "1,8,0,0,0,0", which was once stored as 180,000, and superscript digits and
    # trailing blank headings, which were once tracebacks.
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_populations", str(BAD_POPULATIONS / name))
    assert POPULATION_CASES[name] in capsys.readouterr().err.splitlines()
    assert Population.objects.count() == 0 and ImportLog.objects.count() == 0


def test_trailing_blank_headings_from_excel_are_ignored(tmp_path):
    path = tmp_path / "mye.csv"
    path.write_text("district,year,population,source,,\nMaidstone,2020,\"180,000\",ONS mid-2020,,\n")
    call_command("import_populations", str(path))
    assert Population.objects.get().population == 180_000
