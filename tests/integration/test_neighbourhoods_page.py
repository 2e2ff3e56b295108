"""A district's top neighbourhoods and wards: /districts/<ons-code>/neighbourhoods/."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from crimedata.models import LsoaLookup
from tests.conftest import FIXTURES, MAIDSTONE, policeuk_file

POLICEUK = FIXTURES / "policeuk"
URL = f"/districts/{MAIDSTONE}/neighbourhoods/"

pytestmark = pytest.mark.django_db


def load(*paths):
    call_command("import_policeuk", *[str(p) for p in paths], stdout=io.StringIO())


def lookup(name):
    call_command("import_lsoa_lookup", str(POLICEUK / name), stdout=io.StringIO())


def table_rows(html, table_id):
    """Each body and footer row of a table as a list of cell texts."""
    table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


@pytest.fixture
def imported():
    lookup("lsoa-ward-lookup-2021.csv")
    load(POLICEUK / "police-uk-kent-2024-03-to-04.zip")


def test_the_url_name(imported):
    assert reverse("district-neighbourhoods", args=[MAIDSTONE]) == URL


def test_top_neighbourhoods_with_places_counts_and_shares_for_the_loaded_months(client, imported):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "police.uk: all crime types (excluding ASB), 2 months to April 2024 (March 2024 to April 2024)" in html
    assert "<strong>10</strong> records in Maidstone, in 3 neighbourhoods (LSOAs)" in html
    assert table_rows(html, "top-neighbourhoods-table") == [
        ["1=", "Maidstone 003A (E01024320)", "High Street", "4", "40.0%"],
        ["1=", "Maidstone 004H (E01034991)", "not in the lookup", "4", "40.0%"],
        ["3", "Maidstone 003B (E01024321)", "High Street", "2", "20.0%"],
        ["", "Maidstone", "", "10", "100.0%"],
    ]
    # Wards are whole neighbourhoods from the lookup; the 2021 LSOA missing from it is not guessed into one.
    assert table_rows(html, "top-wards-table") == [
        ["1", "High Street (E05015845)", "2", "6", "60.0%"],
        ["", "No ward: neighbourhoods not in the LSOA lookup", "1", "4", "40.0%"],
        ["", "Maidstone", "3", "10", "100.0%"],
    ]
    assert 'data-chart-source="top-neighbourhoods-chart-data"' in html


def test_a_category_and_a_window_can_be_chosen(client, imported):
    html = client.get(URL, {"category": "policeuk-anti-social-behaviour", "end": "2024-03", "months": "1"}).content.decode()
    assert "police.uk: Anti-social behaviour, March 2024 (March 2024)" in html
    assert table_rows(html, "top-neighbourhoods-table") == [
        ["1=", "Maidstone 003A (E01024320)", "High Street", "1", "50.0%"],
        ["1=", "Maidstone 003B (E01024321)", "High Street", "1", "50.0%"],
        ["", "Maidstone", "", "2", "100.0%"],
    ]
    assert '<option value="policeuk-anti-social-behaviour" selected>' in html


def test_the_top_is_cut_at_ten_places_and_the_rest_still_adds_up(client, tmp_path):
    rows = ["Month,LSOA code,LSOA name,Crime type"]
    for i in range(14):  # 14 neighbourhoods with 14, 13, ... 1 burglaries
        rows += [f"2024-04,E0110{i:04d},Maidstone {i + 100:03d}A,Burglary"] * (14 - i)
    path = tmp_path / "2024-04-kent-street.csv"
    path.write_text("\n".join(rows) + "\n")
    load(path)
    html = client.get(URL, {"category": "policeuk-burglary"}).content.decode()
    table = table_rows(html, "top-neighbourhoods-table")
    assert [r[0] for r in table[:10]] == [str(p) for p in range(1, 11)]
    assert table[10] == ["", "The other 4 neighbourhoods with records", "10", "9.5%"]
    assert table[11] == ["", "Maidstone", "105", "100.0%"]
    assert "No ward figures: none of these neighbourhoods is in a loaded LSOA lookup" in html


def test_a_window_with_months_not_loaded_shows_no_data_not_a_partial_count(client, imported):
    html = client.get(URL, {"months": "12"}).content.decode()
    assert ("No data for May 2023 to April 2024: police.uk data is loaded for March 2024 to April 2024, "
            "not for May 2023 to February 2024. A count over part of a period is never shown.") in html
    assert "top-neighbourhoods-table" not in html


def test_a_lookup_without_wards_gives_no_ward_figures(client):
    lookup("lsoa-lookup-2011-shape.csv")
    load(policeuk_file("2024-04-kent-street.csv"))
    html = client.get(URL).content.decode()
    assert "the loaded LSOA lookup gives each neighbourhood's district but not its ward" in html
    assert "top-wards-table" not in html


def test_no_data_imported_yet(client, analyst):
    client.force_login(analyst)
    html = client.get(URL).content.decode()
    assert "No police.uk street-level data has been imported yet." in html
    assert 'href="/data/police-uk/"' in html  # analysts are pointed to the upload


def test_a_district_with_no_records_of_the_kind(client, imported):
    html = client.get("/districts/E07000105/neighbourhoods/").content.decode()  # Ashford: none in the fixtures
    assert "There were no records of this kind in Ashford in this period." in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"category": "all-crime"}, "Choose one of the police.uk categories in the list"),
        ({"end": "2024-13"}, "The last month must be a month written as YYYY-MM, with a month from 01 to 12"),
        ({"months": "13"}, "The number of months must be a whole number from 1 to 12"),
        ({"months": "two"}, "The number of months must be a whole number from 1 to 12"),
    ],
)
def test_bad_choices_get_a_specific_error(client, imported, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html


def test_an_unknown_district_is_not_found(client):
    assert client.get("/districts/E07999999/neighbourhoods/").status_code == 404


def test_the_page_is_public_and_has_no_inline_script(client, imported):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in html and "onclick" not in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_query_count_does_not_grow_with_the_data(client, imported, django_assert_max_num_queries, tmp_path):
    with django_assert_max_num_queries(8):
        client.get(URL)
    # Many more months, neighbourhoods and lookup rows: the same number of queries.
    for month in range(1, 3):
        rows = ["Month,LSOA code,LSOA name,Crime type"]
        rows += [f"2024-0{month},E0110{i:04d},Maidstone {i + 100:03d}A,Burglary" for i in range(150)]
        path = tmp_path / f"2024-0{month}-kent-street.csv"
        path.write_text("\n".join(rows) + "\n")
        load(path)
    LsoaLookup.objects.bulk_create(
        LsoaLookup(lsoa_code=f"E0110{i:04d}", lsoa_name=f"Maidstone {i + 100:03d}A", ward_code=f"E0500{i:04d}",
                   ward_name=f"Ward {i}", district_id=LsoaLookup.objects.first().district_id, source="test")
        for i in range(150)
    )
    with django_assert_max_num_queries(8):
        html = client.get(URL).content.decode()
    assert "4 months to April 2024" in html and "The other 143 neighbourhoods with records" in html
    # 151 neighbourhoods share 3rd place: 8 are listed (by name), and the page says 143 more share it.
    assert "143 more neighbourhoods share place 3= with the last one listed" in html
