"""The bad-upload corpus through the upload page: each kind of error gives its specific message and no write.

The files are the import command's corpus (fixtures/imports/bad/, one file
per kind of error with its expected message in expected-errors.json), since
the page runs the same validation code; the upload-only cases (size, type,
another district, county-wide categories, a signed-off quarter) follow. Every
value the corpus refuses is then typed into the entry grid, which must refuse
it in the same words (crimedata.rules), and the staged file must be gone after
every error, expected or not.
"""

import html as html_lib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crimedata import uploads
from crimedata.models import Figure, ImportLog, SignOff
from crimedata.periods import month_end
from tests.conftest import MAIDSTONE, add_figure
from tests.integration.bad_corpus import BAD, expected_messages, value_cases
from tests.integration.entry_support import csv_bytes, current_grid, form_data, grid_url

pytestmark = pytest.mark.django_db

EXPECTED = expected_messages()


@pytest.fixture(autouse=True)
def _private_staging(tmp_path, settings):
    settings.UPLOAD_STAGING_DIR = str(tmp_path / "staging")


def _page_text(response) -> str:
    return html_lib.unescape(response.content.decode())


def _nothing_written():
    assert Figure.objects.count() == 0
    assert Figure.history.count() == 0
    assert ImportLog.objects.count() == 0
    assert list(uploads.staging_dir().iterdir()) == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_gives_its_specific_message_and_writes_nothing(client, analyst, name):
    client.force_login(analyst)
    response = client.post("/entry/upload/", {"file": SimpleUploadedFile(name, (BAD / name).read_bytes())})
    assert response.status_code == 400
    text = _page_text(response)
    expected = EXPECTED[name]
    # The message as the command prints it ("Row 2, value: ...") is in the summary ...
    assert expected in text
    # ... and its reason is in the table of problems, row by row.
    assert "nothing was saved" in text
    _nothing_written()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_an_officer_sees_the_same_messages(client, officer, name):
    client.force_login(officer)
    response = client.post("/entry/upload/", {"file": SimpleUploadedFile(name, (BAD / name).read_bytes())})
    assert response.status_code == 400 and EXPECTED[name] in _page_text(response)
    _nothing_written()


UPLOAD_ONLY = {
    "too-large.csv": (csv_bytes(["Maidstone,asb-incidents,2016-04-01,2016-04-30,5,,"]) + b" " * 2048,
                      "The file is 0.0 MB; the largest file you can upload is 0.0 MB. Split it into smaller files"),
    "old-workbook.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 binary",
                         "'old-workbook.xls' is an older Excel workbook (.xls). Open it in Excel, choose 'Save as' "
                         "and 'Excel Workbook (.xlsx)', then upload the .xlsx file."),
    "other-district.csv": (csv_bytes(["Tunbridge Wells,asb-incidents,2016-04-01,2016-04-30,5,,"]),
                           "Row 2, district: is Tunbridge Wells, which you are not allowed to change"),
    "county-category.csv": (csv_bytes(["Maidstone,robbery,2016-04-01,2016-04-30,5,,"]),
                            "Row 2, category: is Robbery, which county analysts load for every district; officers "
                            "upload only the figures districts supply"),
    "formula-note.csv": (csv_bytes(["Maidstone,asb-incidents,2016-04-01,2016-04-30,5,,=1+1"]),
                         "Row 2, note: starts with '=', which spreadsheets treat as a formula: paste values only, "
                         "or start the note with a word"),
}


@pytest.mark.parametrize("name", sorted(UPLOAD_ONLY))
def test_upload_only_refusals_give_their_message_and_write_nothing(client, officer, settings, name):
    settings.UPLOAD_MAX_BYTES = 1024
    content, expected = UPLOAD_ONLY[name]
    client.force_login(officer)
    response = client.post("/entry/upload/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert expected in _page_text(response)
    _nothing_written()


def test_a_signed_off_quarter_refuses_the_row_that_would_change_it(client, officer):
    figure = add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=120)
    SignOff.objects.create(district=figure.district, period_start=figure.period_start, period_end=month_end(2016 * 12 + 5))
    history_before = Figure.history.count()
    client.force_login(officer)
    response = client.post("/entry/upload/", {"file": SimpleUploadedFile(
        "late.csv", csv_bytes(["Maidstone,asb-incidents,2016-04-01,2016-04-30,125,,"]))})
    assert ("Row 2: is in a period that has been signed off; only an administrator can correct it, giving a reason"
            in _page_text(response))
    assert Figure.objects.get().value == 120 and Figure.history.count() == history_before


# --- The same value rules in the entry grid ---------------------------------------------------

VALUE_CASES = value_cases()


def test_the_corpus_covers_every_refused_kind_of_value():
    typed = {value for value, _ in VALUE_CASES.values()}
    assert {"1,2,3,4", "12 34", "1e3", "1.5E2", "-0", "+5", "7.0000000000000001", "\u00b2", "=SUM(E2:E3)"} <= typed


@pytest.mark.parametrize("name", sorted(VALUE_CASES))
def test_the_grid_refuses_each_corpus_value_in_the_same_words(client, officer, name):
    typed, message = VALUE_CASES[name]
    client.force_login(officer)
    data = form_data(current_grid(), {"asb-incidents-2016-04": typed})
    response = client.post(grid_url(), data)
    assert response.status_code == 400
    assert f"Anti-social behaviour incidents for April 2016 {message}" in _page_text(response)
    assert Figure.objects.count() == 0 and Figure.history.count() == 0


# --- Staged files never outlive an error -------------------------------------------------------


def test_the_staged_file_is_deleted_even_when_checking_it_fails_unexpectedly(client, officer, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr("crimedata.views.upload.import_figures", broken)
    client.force_login(officer)
    client.raise_request_exception = False
    response = client.post("/entry/upload/", {"file": SimpleUploadedFile(
        "q1.csv", csv_bytes(["Maidstone,asb-incidents,2016-04-01,2016-04-30,5,,"]))})
    assert response.status_code == 500
    _nothing_written()


def test_the_staged_file_is_deleted_when_saving_it_fails_unexpectedly(client, officer, monkeypatch):
    client.force_login(officer)
    preview = client.post("/entry/upload/", {"file": SimpleUploadedFile(
        "q1.csv", csv_bytes(["Maidstone,asb-incidents,2016-04-01,2016-04-30,5,,"]))})
    assert preview.status_code == 200 and list(uploads.staging_dir().iterdir())

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("crimedata.views.upload.import_figures", broken)
    client.raise_request_exception = False
    response = client.post("/entry/upload/confirm/", {"token": preview.context["token"]})
    assert response.status_code == 500
    _nothing_written()


def test_a_long_file_name_keeps_its_extension(client, officer):
    name = "maidstone-" + "q" * 236 + ".csv"
    assert len(name) == 250
    client.force_login(officer)
    response = client.post("/entry/upload/", {"file": SimpleUploadedFile(
        name, csv_bytes(["Maidstone,asb-incidents,2016-04-01,2016-04-30,5,,"]))})
    assert response.status_code == 200, _page_text(response)
    assert response.context["name"] == name[:196] + ".csv"
    client.post("/entry/upload/confirm/", {"token": response.context["token"]})
    assert Figure.objects.get().source_detail == name[:196] + ".csv"
    assert list(uploads.staging_dir().iterdir()) == []
