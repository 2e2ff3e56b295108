"""The bad-upload corpus through the upload page: each kind of error gives its specific message and no write.

The files are the import command's corpus (fixtures/imports/bad/, one file
per kind of error with its expected message in expected-errors.json), since
the page runs the same validation code; the upload-only cases (size, type,
another district, county-wide categories, a signed-off quarter) follow.
"""

import html as html_lib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crimedata import uploads
from crimedata.models import Figure, ImportLog, SignOff
from crimedata.periods import month_end
from tests.conftest import FIXTURES, MAIDSTONE, add_figure
from tests.integration.entry_support import csv_bytes

pytestmark = pytest.mark.django_db

BAD = FIXTURES / "imports" / "bad"
EXPECTED = json.loads((BAD / "expected-errors.json").read_text())


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
                         "Row 2, note: starts with '=': remove formulas and paste values only"),
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
