"""Finding street files in paths, folders and zips; the summary sentence. No database."""

import zipfile
from collections import Counter

import pytest

from crimedata.importers.policeuk import MonthCounts, StreetFile, find_sources
from tests.conftest import policeuk_file

APRIL = policeuk_file("2024-04-kent-street.csv")


def test_the_summary_reads_as_the_issue_asks():
    counts = MonthCounts(
        file=StreetFile("2024-03-kent-street.csv", 0, "", "", lambda: None), rows=15_875, imported=15_690,
        outside=Counter({"Bexley": 2, "Tandridge": 1, "Bromley": 2}), no_location=180,
    )
    assert counts.summary() == (
        "15,875 rows: 15,690 imported, 5 outside Kent (Bexley 2, Bromley 2, Tandridge 1), 180 without location"
    )


def test_zip_members_in_nested_folders_are_found_and_others_listed(tmp_path):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("2024-04/2024-04-kent-street.csv", APRIL.read_bytes())
        z.writestr("2024-04/2024-04-kent-stop-and-search.csv", "x")
        z.writestr("__MACOSX/2024-04/._2024-04-kent-street.csv", "x")
        z.writestr("README.txt", "x")
        z.writestr("inner.zip", "x")
    sources = find_sources([(archive, "download.zip")])
    try:
        assert [(f.name, f.month, f.label) for f in sources.files] == [
            ("2024-04-kent-street.csv", 2024 * 12 + 3, "2024-04/2024-04-kent-street.csv in download.zip")
        ]
        assert sources.files[0].record_name == "2024-04-kent-street.csv in download.zip"
        assert sources.ignored == [
            "2024-04/2024-04-kent-stop-and-search.csv in download.zip (not street-level crime)",
            "README.txt in download.zip (not a police.uk street-level file)",
            "inner.zip in download.zip (a zip inside a zip: unzip it first)",
        ]
        assert sources.errors == []
    finally:
        sources.close()


@pytest.mark.parametrize("name", ["2024-04-kent-street.csv", "2024-04-Kent-street (1).csv"])
def test_browser_renamed_downloads_are_still_street_files(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(APRIL.read_bytes())
    sources = find_sources([(path, name)])
    assert sources.errors == [] and sources.files[0].month == 2024 * 12 + 3


def test_a_corrupt_zip_and_an_empty_folder_are_errors(tmp_path):
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    empty = tmp_path / "empty"
    empty.mkdir()
    sources = find_sources([(bad, "broken.zip"), (empty, "empty")])
    assert any("broken.zip is not a readable zip archive" in e for e in sources.errors)
    assert "empty: the folder has no files." in sources.errors


def test_nothing_found_is_an_error(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "2024-04-kent-outcomes.csv").write_text("x")
    sources = find_sources([(folder, "downloads")])
    assert sources.errors == [
        "No police.uk street-level files (YYYY-MM-kent-street.csv) were found; ignored: "
        "downloads/2024-04-kent-outcomes.csv (not street-level crime)."
    ]
