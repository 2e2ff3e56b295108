"""URL parameters on the entry and history pages: a clear answer for anything typed, never a 500."""

import pytest

from crimedata.models import Figure
from tests.conftest import MAIDSTONE, add_figure

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("year", ["\u00b2", "\u0663", "2016\u00b2", "99999999999999999999999", "-1", "1999"])
def test_history_with_any_year_parameter_shows_the_page(signed_in, year):
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=120)
    response = signed_in.get(f"/history/{MAIDSTONE}/asb-incidents/", {"year": year})
    assert response.status_code == 200
    # Not a year the series has: the page shows its latest year.
    assert response.context["year"] == 2016


def test_history_with_a_real_year_shows_that_year(signed_in):
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=120)
    add_figure(MAIDSTONE, "asb-incidents", "2015-04", value=110)
    response = signed_in.get(f"/history/{MAIDSTONE}/asb-incidents/", {"year": "2015"})
    assert response.status_code == 200 and response.context["year"] == 2015


@pytest.mark.parametrize("quarter", ["0001-q1", "1999-q4", "2999-q1", "\u00b2\u2070\u00b9\u2076-q1"])
def test_the_quarter_picker_refuses_quarters_the_entry_pages_do_not_open(signed_in, quarter):
    response = signed_in.get("/entry/", {"district": MAIDSTONE, "quarter": quarter})
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert ("Choose a quarter from Q1 2000/01 (April to June 2000) up to the current quarter" in text
            or "must be a financial-year quarter written as YYYY-qN" in text)
    assert Figure.objects.count() == 0


def test_the_quarter_picker_opens_a_real_quarter(signed_in):
    response = signed_in.get("/entry/", {"district": MAIDSTONE, "quarter": "2016-q1"})
    assert response.status_code == 302 and response["Location"] == f"/entry/{MAIDSTONE}/2016-q1/"


def test_the_template_download_refuses_a_quarter_before_2000(signed_in):
    response = signed_in.get("/entry/template/", {"district": MAIDSTONE, "quarter": "0001-q1", "format": "csv"})
    assert response.status_code == 400
    assert "Choose a quarter from Q1 2000/01" in response.content.decode()


@pytest.mark.parametrize("year", ["\u00b2", "\u0662\u0660\u0661\u0666", "9" * 30, "1999"])
def test_completeness_refuses_a_year_that_is_not_one_it_shows(client, analyst, year):
    client.force_login(analyst)
    response = client.get("/entry/completeness/", {"year": year})
    assert response.status_code in (200, 400)
    assert "Choose a financial year from 2000/01" in response.content.decode()
