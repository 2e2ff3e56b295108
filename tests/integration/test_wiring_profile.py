"""The district profile's new sections: SPC variation for the key categories and the top neighbourhoods."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from assessments.spc.summary import KEY_CATEGORIES
from tests.comparison_data import add_monthly, add_populations
from tests.conftest import FIXTURES, MAIDSTONE, TUNBRIDGE_WELLS
from tests.integration.test_wiring_suppression import KCC, html_table, store

pytestmark = pytest.mark.django_db

POLICEUK = FIXTURES / "policeuk"


@pytest.fixture
def monthly(db):
    add_populations(2012, 2016)
    # Flat series with a jump in the last 8 months for Tunbridge Wells' all crime: a special cause.
    add_monthly(KCC, list(KEY_CATEGORIES[1:]) + ["all-crime"], "2013-01", "2016-09",
                lambda code, slug, month: (60 if month >= 2016 * 12 + 1 else 40) if code == TUNBRIDGE_WELLS
                and slug == "all-crime" else 30 + (month % 5))


def test_the_spc_section_summarises_each_key_category_and_links_to_its_chart(client, monthly):
    html = client.get(f"/districts/{TUNBRIDGE_WELLS}/?end=2016-09").content.decode()
    assert 'id="spc"' in html and "Statistical process control" in html
    headers, rows, _ = html_table(html, "spc-summary-caption")
    assert len(rows) == len(KEY_CATEGORIES)
    names = [r[0] for r in rows]
    assert names[0] == "All recorded crime"
    all_crime = rows[0]
    assert all_crime[1] == "September 2016" and all_crime[2] == "60"
    assert "Special cause: concern (higher)" in all_crime[3]
    for slug in KEY_CATEGORIES:
        assert f'href="/spc/{TUNBRIDGE_WELLS}/{slug}/?grain=month"' in html
    assert 'href="#spc"' in html  # listed under "On this page"


def test_the_profile_spc_ends_with_the_period_shown(client, monthly):
    add_monthly([TUNBRIDGE_WELLS], ["all-crime"], "2016-10", "2016-12", lambda *a: 500)
    html = client.get(f"/districts/{TUNBRIDGE_WELLS}/?end=2016-09").content.decode()
    _, rows, _ = html_table(html, "spc-summary-caption")
    assert rows[0][1] == "September 2016"  # not December, after the period


def test_without_police_uk_data_the_neighbourhoods_section_says_so(client, monthly):
    html = client.get(f"/districts/{TUNBRIDGE_WELLS}/?end=2016-09").content.decode()
    assert "No police.uk data loaded for this period" in html
    assert f'/districts/{TUNBRIDGE_WELLS}/neighbourhoods/?category=policeuk-all-crime&amp;end=2016-09' in html
    assert 'id="picker-neighbourhoods"' in html


@pytest.fixture
def policeuk(db):
    call_command("import_lsoa_lookup", str(POLICEUK / "lsoa-ward-lookup-2021.csv"), stdout=io.StringIO())
    call_command("import_policeuk", str(POLICEUK / "police-uk-kent-2024-03-to-04.zip"), stdout=io.StringIO())
    add_populations(2022, 2024)


def test_with_police_uk_data_the_profile_shows_the_top_neighbourhoods(client, policeuk):
    html = client.get(f"/districts/{MAIDSTONE}/?end=2024-04&months=2").content.decode()
    assert "No police.uk data loaded" not in html
    assert 'id="top-neighbourhoods-table"' in html and "Maidstone 003A" in html
    assert 'id="top-wards-table"' in html and "High Street" in html
    # A category picked with "Neighbourhoods for".
    html = client.get(f"/districts/{MAIDSTONE}/?end=2024-04&months=2&neighbourhoods=policeuk-burglary").content.decode()
    assert "Top neighbourhoods" in html and '<option value="policeuk-burglary" selected>' in html
    # A period with a month not loaded is never a partial sum.
    html = client.get(f"/districts/{MAIDSTONE}/?end=2024-04&months=3").content.decode()
    assert "No police.uk data loaded for this period" in html and 'id="top-neighbourhoods-table"' not in html


@pytest.mark.parametrize("value", ["all-crime", "burglary-of-sheds"])
def test_a_category_that_is_not_police_uk_is_a_400(client, policeuk, value):
    response = client.get(f"/districts/{MAIDSTONE}/?end=2024-04&months=2&neighbourhoods={value}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "neighbourhoods must be a police.uk category" in page and 'href="#picker-neighbourhoods"' in page


def test_the_neighbourhoods_cost_two_queries_only_when_the_period_is_loaded(client, policeuk,
                                                                          django_assert_max_num_queries):
    from tests.integration.test_comparison_pages import COLD_ANONYMOUS, PROFILE_EXTRA, WARM

    with django_assert_max_num_queries(COLD_ANONYMOUS + PROFILE_EXTRA + 2):
        assert client.get(f"/districts/{MAIDSTONE}/?end=2024-04&months=2").status_code == 200
    with django_assert_max_num_queries(WARM + PROFILE_EXTRA + 2):
        assert client.get(f"/districts/{MAIDSTONE}/?end=2024-04&months=2").status_code == 200
    with django_assert_max_num_queries(WARM + PROFILE_EXTRA):
        assert client.get(f"/districts/{MAIDSTONE}/?end=2024-04&months=3").status_code == 200


def test_the_trend_of_a_suppressible_category_hides_small_counts(client):
    quarterly = {code: [5] * 8 for code in KCC}
    quarterly[TUNBRIDGE_WELLS] = [1, 0, 1, 0, 0, 1, 1, 1]
    store(quarterly)
    url = f"/districts/{TUNBRIDGE_WELLS}/?end=2016-12&trend=alcohol-hospital-admissions"
    html = client.get(url).content.decode()
    headers, rows, _ = html_table(html, "trend-table")
    december = next(r for r in rows if r[0] == "December 2016")
    assert december[1] == "<5" and december[2] == "not published"
    assert "Small numbers:" in html
    download = client.get(url + "&_export=csv&_table=trend").content.decode("utf-8-sig")
    assert "December 2016,<5,not published" in download


def test_proportions_with_a_hidden_part_withhold_the_total_and_shares(client, monthly):
    # An administrator gives robbery (a part of all recorded crime) a threshold; Tunbridge Wells has 3.
    from crimedata.models import Category
    from crimedata.services import bump_data_generation

    Category.objects.filter(slug="robbery").update(suppress_below=5)
    add_monthly(KCC, ["robbery"], "2014-10", "2016-09",
                lambda code, slug, month: (1 if month in (2016 * 12, 2016 * 12 + 1, 2016 * 12 + 2) else 0)
                if code == TUNBRIDGE_WELLS else 10)
    bump_data_generation()
    html = client.get(f"/districts/{TUNBRIDGE_WELLS}/?end=2016-09").content.decode()
    headers, rows, _ = html_table(html, "shares-table" if 'id="shares-table"' in html else "proportionality")
    robbery = next(r for r in rows if r[0] == "Robbery")
    assert robbery[1] == "<5" and robbery[2] == "not published"
    assert all(r[2] == "not published" for r in rows if r[1] != "no data"), rows
    assert "The total is not published: small numbers" in html
