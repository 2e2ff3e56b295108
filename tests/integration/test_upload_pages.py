"""Spreadsheet upload through the Django client: preview, confirm, limits, templates."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from crimedata import uploads
from crimedata.models import Figure, ImportLog, SignOff
from crimedata.periods import month_end, month_start
from tests.conftest import MAIDSTONE, TUNBRIDGE_WELLS, add_figure
from tests.integration.entry_support import csv_bytes, stored

pytestmark = pytest.mark.django_db

GOOD_ROWS = [
    "Maidstone,asb-incidents,2016-04-01,2016-04-30,125,provisional,",
    "Maidstone,asb-incidents,2016-05-01,2016-05-31,90,provisional,",
    "Maidstone,marac-cases,2016-04-01,2016-06-30,41,final,Checked with the MARAC coordinator",
]


def upload(client, content: bytes, name: str = "maidstone-q1.csv"):
    return client.post("/entry/upload/", {"file": SimpleUploadedFile(name, content)})


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def staged_files() -> list:
    return sorted(p.name for p in uploads.staging_dir().iterdir())


@pytest.fixture(autouse=True)
def _private_staging(tmp_path, settings):
    settings.UPLOAD_STAGING_DIR = str(tmp_path / "staging")


def test_the_upload_page_explains_the_format_and_offers_templates(client, officer):
    client.force_login(officer)
    html = client.get("/entry/upload/").content.decode()
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    assert "a blank value is refused, because a missing figure must never be stored as 0" in html
    assert re.search(r'<option value="E07000110"( selected)?>Maidstone</option>', html) and "Tunbridge Wells" not in html


def test_a_clean_file_is_previewed_then_saved_only_when_confirmed(client, officer):
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=120, status="provisional")
    add_figure(MAIDSTONE, "asb-incidents", "2016-05", value=90, status="provisional")
    client.force_login(officer)
    response = upload(client, csv_bytes(GOOD_ROWS))
    html = response.content.decode()
    assert response.status_code == 200 and "Check your upload" in html
    assert "Nothing has been saved yet" in html
    rows = html.split('id="upload-rows"')[1].split("</table>")[0]
    assert re.search(r">2</th>.*?Changed</strong> was 120", rows, re.S)
    assert re.search(r">3</th>.*?Unchanged", rows, re.S)
    assert re.search(r">4</th>.*?New</strong>", rows, re.S)
    assert re.search(r"New figures</dt><dd[^>]*>1<", html) and re.search(r"Changed figures</dt><dd[^>]*>1<", html)
    # Nothing written by the preview.
    assert stored(MAIDSTONE, "asb-incidents", "2016-04").value == 120
    assert not Figure.objects.filter(category__slug="marac-cases").exists() and not ImportLog.objects.exists()
    assert len(staged_files()) == 2  # the file and the versions it was checked against

    confirmed = client.post("/entry/upload/confirm/", {"token": token_of(response)})
    assert confirmed.status_code == 302
    assert stored(MAIDSTONE, "asb-incidents", "2016-04").value == 125
    marac = stored(MAIDSTONE, "marac-cases", "2016-04")
    assert (marac.value, marac.status, marac.note, marac.source, marac.source_detail) == (
        41, "final", "Checked with the MARAC coordinator", "upload", "maidstone-q1.csv")
    log = ImportLog.objects.get()
    assert (log.created, log.updated, log.unchanged, log.imported_by) == (1, 1, 1, officer)
    history = Figure.history.filter(source="upload")
    assert history.count() == 2 and set(history.values_list("history_user", flat=True)) == {officer.pk}
    assert staged_files() == []
    assert "Imported maidstone-q1.csv: 3 rows: 1 created, 1 updated, 1 unchanged" in client.get("/entry/upload/").content.decode()
    # The token is single use.
    again = client.post("/entry/upload/confirm/", {"token": token_of(response)})
    assert again.status_code == 400 and "expired or was already saved" in again.content.decode()


def test_a_file_with_errors_lists_every_error_and_writes_nothing(client, officer):
    client.force_login(officer)
    response = upload(client, csv_bytes([
        "Maidstone,asb-incidents,2016-04-01,2016-04-30,XXX,,",
        "Maidstone,asb-incidents,2016-05-01,2016-05-31,,,",
        "Maidstone,asb-incidnts,2016-06-01,2016-06-30,5,,",
    ]))
    html = response.content.decode()
    assert response.status_code == 400
    assert "3 problems in maidstone-q1.csv: nothing was saved" in html
    table = html.split('id="upload-errors"')[1].split("</table>")[0]
    assert re.search(r">2</th>\s*<td[^>]*>value</td>\s*<td[^>]*>must be a whole number of 0 or more</td>", table)
    assert re.search(r">3</th>\s*<td[^>]*>value</td>\s*<td[^>]*>is blank; a missing figure is left out", table)
    assert re.search(r">4</th>\s*<td[^>]*>category</td>\s*<td[^>]*>&#x27;asb-incidnts&#x27; is not a category", table)
    assert 'name="token"' not in html and staged_files() == []
    assert not Figure.objects.exists()


def test_rows_for_another_officers_district_are_refused(client, officer):
    client.force_login(officer)
    response = upload(client, csv_bytes(GOOD_ROWS + ["Tunbridge Wells,asb-incidents,2016-04-01,2016-04-30,50,,"]))
    assert response.status_code == 400
    assert "is Tunbridge Wells, which you are not allowed to change" in response.content.decode()
    assert not Figure.objects.exists()


def test_officers_cannot_upload_categories_loaded_county_wide(client, officer, analyst):
    row = ["Maidstone,robbery,2016-04-01,2016-04-30,6,,"]
    client.force_login(officer)
    response = upload(client, csv_bytes(row))
    assert "is Robbery, which county analysts load for every district" in response.content.decode()
    client.force_login(analyst)
    assert upload(client, csv_bytes(row)).status_code == 200


def test_files_over_the_size_limit_are_refused_before_reading(client, officer, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(officer)
    response = upload(client, csv_bytes(GOOD_ROWS) + b"," * (1024 * 1024 + 10))
    html = response.content.decode()
    assert response.status_code == 400
    assert "The file is 1.0 MB; the largest file you can upload is 1.0 MB" in html
    assert '<a href="#id_file">' in html and staged_files() == []


@pytest.mark.parametrize(
    ("name", "message"),
    [("figures.xls", "is an older Excel workbook (.xls). Open it in Excel, choose &#x27;Save as&#x27;"),
     ("figures.pdf", "is not a CSV (.csv) or Excel (.xlsx) file"),
     ("figures", "is not a CSV (.csv) or Excel (.xlsx) file")],
)
def test_the_wrong_file_type_is_refused(client, officer, name, message):
    client.force_login(officer)
    response = upload(client, b"\xd0\xcf\x11\xe0 old excel", name)
    assert response.status_code == 400 and message in response.content.decode()


def test_no_file_chosen(client, officer):
    client.force_login(officer)
    response = client.post("/entry/upload/", {})
    assert response.status_code == 400 and "Select a CSV or Excel file to upload" in response.content.decode()


def test_a_preview_belongs_to_the_person_who_uploaded_it(client, officer, analyst):
    client.force_login(officer)
    token = token_of(upload(client, csv_bytes(GOOD_ROWS)))
    other = Client()
    other.force_login(analyst)
    response = other.post("/entry/upload/confirm/", {"token": token})
    assert response.status_code == 400 and not Figure.objects.exists()


def test_an_altered_staged_file_is_not_saved(client, officer):
    client.force_login(officer)
    token = token_of(upload(client, csv_bytes(GOOD_ROWS)))
    path = next(p for p in uploads.staging_dir().iterdir() if p.suffix == ".csv")
    path.write_bytes(csv_bytes([GOOD_ROWS[0].replace("125", "999")]))
    assert client.post("/entry/upload/confirm/", {"token": token}).status_code == 400
    assert not Figure.objects.exists()


def test_a_figure_changed_after_the_preview_stops_the_whole_upload(client, officer, analyst):
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=120, status="provisional")
    client.force_login(officer)
    token = token_of(upload(client, csv_bytes(GOOD_ROWS)))
    # Someone corrects April between the preview and the confirmation.
    from crimedata.services import FigureInput, save_figures

    figure = stored(MAIDSTONE, "asb-incidents", "2016-04")
    save_figures([FigureInput(figure.district_id, figure.category_id, figure.period_start, figure.period_end, 130)],
                 user=analyst, source="grid")
    response = client.post("/entry/upload/confirm/", {"token": token})
    html = response.content.decode()
    assert response.status_code == 409
    assert "was changed by someone else after you opened this page" in html
    assert stored(MAIDSTONE, "asb-incidents", "2016-04").value == 130
    assert not Figure.objects.filter(category__slug="marac-cases").exists()


def test_a_signed_off_quarter_cannot_be_changed_by_an_upload(client, officer):
    figure = add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=120)
    SignOff.objects.create(district=figure.district, period_start=figure.period_start,
                           period_end=month_end(2016 * 12 + 5))
    client.force_login(officer)
    response = upload(client, csv_bytes(GOOD_ROWS))
    assert response.status_code == 400
    assert "is in a period that has been signed off; only an administrator can correct it" in response.content.decode()
    assert stored(MAIDSTONE, "asb-incidents", "2016-04").value == 120


def test_cancel_deletes_the_staged_file(client, officer):
    client.force_login(officer)
    token = token_of(upload(client, csv_bytes(GOOD_ROWS)))
    assert client.post("/entry/upload/cancel/", {"token": token}).status_code == 302
    assert staged_files() == [] and not Figure.objects.exists()


def test_xlsx_uploads_work_like_csv(client, officer):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["district", "category", "period_start", "period_end", "value"])
    sheet.append(["E07000110", "Anti-social behaviour incidents", "2016-04-01", "2016-04-30", 125])
    out = io.BytesIO()
    workbook.save(out)
    client.force_login(officer)
    response = upload(client, out.getvalue(), "figures.xlsx")
    assert response.status_code == 200
    client.post("/entry/upload/confirm/", {"token": token_of(response)})
    assert stored(MAIDSTONE, "asb-incidents", "2016-04").value == 125


# --- Templates ---------------------------------------------------------------------------------------


def test_the_csv_template_is_prefilled_for_the_district_and_quarter(client, officer):
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=120, note="=HYPERLINK(\"x\")")
    client.force_login(officer)
    response = client.get("/entry/template/", {"district": MAIDSTONE, "quarter": "2016-q1", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="maidstone-2016-q1-figures.csv"'
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "district,category,period_start,period_end,value,status,note"
    assert lines[1] == "Maidstone,asb-incidents,2016-04-01,2016-04-30,120,final,\"'=HYPERLINK(\"\"x\"\")\""
    assert "Maidstone,asb-incidents,2016-05-01,2016-05-31,,provisional," in lines
    assert "Maidstone,marac-cases,2016-04-01,2016-06-30,,provisional," in lines
    assert len(lines) == 1 + 3 * 3 + 3  # three monthly rows for three categories, one for three quarterly ones


def test_the_xlsx_template_round_trips_through_the_upload(client, officer):
    client.force_login(officer)
    response = client.get("/entry/template/", {"district": MAIDSTONE, "quarter": "2016-q1", "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Figures"]
    assert [c.value for c in sheet[1]] == ["district", "category", "period_start", "period_end", "value", "status", "note"]
    assert "How to fill this in" in workbook.sheetnames
    # The officer fills two figures and deletes the rows they have no figure for.
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True)]
    filled = Workbook()
    out_sheet = filled.active
    out_sheet.append([c.value for c in sheet[1]])
    for row in rows:
        if row[1] == "asb-incidents" and row[2] in ("2016-04-01", "2016-05-01"):
            out_sheet.append([*row[:4], 100, "provisional", None])
    out = io.BytesIO()
    filled.save(out)
    preview = upload(client, out.getvalue(), "filled.xlsx")
    assert preview.status_code == 200, preview.content.decode()[:2000]
    client.post("/entry/upload/confirm/", {"token": token_of(preview)})
    assert Figure.objects.filter(category__slug="asb-incidents").count() == 2


def test_a_template_for_another_district_is_forbidden(client, officer):
    client.force_login(officer)
    response = client.get("/entry/template/", {"district": TUNBRIDGE_WELLS, "quarter": "2016-q1", "format": "csv"})
    assert response.status_code == 403


def test_a_template_request_with_bad_parameters_says_why(client, officer):
    client.force_login(officer)
    response = client.get("/entry/template/", {"district": MAIDSTONE, "quarter": "2016-q7", "format": "pdf"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "The quarter must be a financial-year quarter written as YYYY-qN" in html and "Choose Excel or CSV" in html


@pytest.mark.parametrize("rows", [3, 300])
def test_upload_pages_query_counts_do_not_grow_with_the_file(client, officer, django_assert_max_num_queries, rows):
    client.force_login(officer)
    client.get("/entry/upload/")
    with django_assert_max_num_queries(7):
        assert client.get("/entry/upload/").status_code == 200
    first = 1995 * 12
    content = csv_bytes([f"Maidstone,asb-incidents,{month_start(first + i)},{month_end(first + i)},5,,"
                         for i in range(rows)])
    with django_assert_max_num_queries(12):
        response = upload(client, content)
    assert response.status_code == 200, response.content.decode()[:3000]
    with django_assert_max_num_queries(20):
        assert client.post("/entry/upload/confirm/", {"token": token_of(response)}).status_code == 302
