"""The police.uk upload page: county analysts and administrators only, CSRF, limits, clear errors, all or nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse

from crimedata.models import Figure, ImportLog, LsoaFigure
from tests.conftest import FIXTURES, MAIDSTONE, policeuk_file

POLICEUK = FIXTURES / "policeuk"
URL = "/data/police-uk/"

pytestmark = pytest.mark.django_db


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def assert_nothing_written():
    assert Figure.objects.count() == 0 and LsoaFigure.objects.count() == 0 and ImportLog.objects.count() == 0


def test_the_url_name_is_policeuk_upload():
    assert reverse("policeuk-upload") == URL


def test_signed_out_visitors_are_sent_to_sign_in_or_refused(client):
    response = client.get(URL)
    try:
        login = reverse("login")
    except NoReverseMatch:
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and response.url.startswith(login)


@pytest.mark.parametrize("person", ["officer", "partner", "scrutiny"])
def test_only_county_analysts_and_administrators_may_import(client, request, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"files": upload(policeuk_file("2024-03-kent-street.csv"))})
    assert response.status_code == 403
    assert_nothing_written()


@pytest.mark.parametrize("person", ["analyst", "administrator"])
def test_the_page_explains_the_import_and_lists_past_imports(client, request, person, django_assert_max_num_queries):
    client.force_login(request.getfixturevalue(person))
    with django_assert_max_num_queries(9):
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    assert "No police.uk data has been imported yet." in html


def test_the_page_query_count_does_not_grow_with_past_imports(client, analyst, django_assert_max_num_queries):
    client.force_login(analyst)
    client.post(URL, {"files": [upload(policeuk_file("2024-03-kent-street.csv")),
                                upload(policeuk_file("2024-04-kent-street.csv"))]})
    assert ImportLog.objects.count() == 2
    with django_assert_max_num_queries(9):
        response = client.get(URL)
    assert response.content.decode().count("District figures created") == 2


def test_uploading_the_zip_imports_it_and_shows_the_report(client, analyst):
    client.force_login(analyst)
    response = client.post(URL, {"files": upload(POLICEUK / "police-uk-kent-2024-03-to-04.zip")})
    assert response.status_code == 302 and response.url == URL
    html = client.get(URL).content.decode()
    assert "Imported 2 police.uk file(s) (March 2024 to April 2024): 27 rows, 20 imported, 7 skipped and reported." in html
    assert "Ignored: 2024-03/2024-03-kent-outcomes.csv in police-uk-kent-2024-03-to-04.zip" in html
    assert ("19 rows: 12 imported, 3 outside Kent (Bexley 2, Tandridge 1), 2 without location, "
            "1 from another month (2024-02 1), 1 malformed.") in html
    figure = Figure.objects.get(district__code=MAIDSTONE, category__slug="policeuk-burglary", period_start="2024-03-01")
    assert (figure.value, figure.entered_by, figure.source_detail) == (
        2, analyst, "2024-03-kent-street.csv in police-uk-kent-2024-03-to-04.zip"
    )
    assert figure.history.get().history_user == analyst
    assert set(ImportLog.objects.values_list("imported_by", flat=True)) == {analyst.pk}


def test_several_csv_files_at_once(client, administrator):
    client.force_login(administrator)
    response = client.post(URL, {"files": [upload(policeuk_file("2024-03-kent-street.csv")),
                                           upload(policeuk_file("2024-04-kent-street.csv"))]})
    assert response.status_code == 302
    assert sorted(ImportLog.objects.values_list("first_month", flat=True)) == [dt.date(2024, 3, 1), dt.date(2024, 4, 1)]


@pytest.mark.parametrize(
    "files, message",
    [
        ([], "Select the zip archive or the YYYY-MM-kent-street.csv files to import"),
        ([("notes.txt", b"hello")], "&#x27;notes.txt&#x27; is not a CSV (.csv) or zip (.zip) file"),
        ([("march.csv", b"Month\n2024-03\n")], "march.csv: the name must be as data.police.uk gives it"),
        ([("2024-05-kent-street.csv", (policeuk_file("bad/2024-05-kent-street.csv")).read_bytes()),
          ("2024-04-kent-street.csv", (policeuk_file("2024-04-kent-street.csv")).read_bytes())],
         "2024-05-kent-street.csv is not UTF-8 text (line 3 has bytes that are not UTF-8)"),
        ([("broken.zip", b"PK\x03\x04 not a zip")], "broken.zip is not a readable zip archive"),
    ],
)
def test_problems_are_listed_in_an_error_summary_and_nothing_is_written(client, analyst, files, message):
    client.force_login(analyst)
    response = client.post(URL, {"files": [SimpleUploadedFile(n, b) for n, b in files]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "There is a problem: nothing was imported" in html
    assert message in html
    assert 'aria-describedby="files-hint files-error"' in html
    assert_nothing_written()


def test_the_size_limit(client, analyst, settings):
    settings.POLICEUK_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    client.force_login(analyst)
    big = SimpleUploadedFile("2024-04-kent-street.csv", b"x" * (2 * 1024 * 1024 + 1))
    response = client.post(URL, {"files": big})
    assert response.status_code == 400
    assert "The upload is 2.0 MB; the limit is 2 MB. Import fewer months at a time." in response.content.decode()
    assert_nothing_written()


def test_a_post_without_the_csrf_token_is_refused(analyst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    response = client.post(URL, {"files": upload(policeuk_file("2024-04-kent-street.csv"))})
    assert response.status_code == 403
    assert_nothing_written()


def test_other_methods_are_not_allowed(client, analyst):
    client.force_login(analyst)
    assert client.put(URL).status_code == 405
