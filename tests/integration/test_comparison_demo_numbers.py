"""Real published Kent figures, reproduced by the pages and the API from the demo data.

The demo dataset is built so that every total printed in the seed documents
comes out exactly (the demo package). It is loaded once for this module, inside
a transaction rolled back at the end, so other tests never see it.
"""

import re

import pytest
from django.db import transaction

from tests.comparison_data import load_demo_subset

MAIDSTONE = "E07000110"
TUNBRIDGE_WELLS = "E07000116"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            load_demo_subset()
            yield
            transaction.set_rollback(True)


@pytest.fixture
def client_with_demo(demo, db, client):
    return client


def rows_by_name(data):
    return {r["district"]["name"]: r for r in data["rows"]}


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_tunbridge_wells_all_crime_october_2015_to_september_2016(client_with_demo):
    data = client_with_demo.get("/api/v1/comparison/?category=all-crime&end=2016-09").json()
    tw = rows_by_name(data)["Tunbridge Wells"]
    assert (tw["count"], tw["previous_count"], tw["change"]) == (5285, 5040, 245)
    assert round(tw["change_pct"], 2) == 4.86
    # "Tunbridge Wells had the lowest overall crime rate in Kent in 2015/16": first of the 12.
    assert tw["rank"] == 1 and data["rows"][0]["district"]["code"] == TUNBRIDGE_WELLS
    assert len(data["rows"]) == 12


def test_tunbridge_wells_profile_headline_box(client_with_demo):
    page = text(client_with_demo.get(f"/districts/{TUNBRIDGE_WELLS}/?end=2016-09"))
    assert "5,285 crimes (previous period 5,040 crimes)" in page
    assert "An increase of 245 crimes (4.9%)" in page  # the document's "4.7%" was a hand-typing slip
    assert "Best out of 12 Kent areas" in page
    # The crime-type table's real rows (seed 000): burglary dwelling 155 against 240.
    assert "Burglary dwelling 155 240 \u221285 \u221235.4%" in page
    # Proportionality as the document: ASB 2,253 of 7,538 (crime plus ASB) = 29.9%.
    assert "a total of 7,538" in page and "Anti-social behaviour incidents 2,253 29.9%" in page


def test_kent_asb_table_november_2015_to_october_2016_ranked_by_change(client_with_demo):
    data = client_with_demo.get(
        "/api/v1/comparison/?category=asb-incidents&end=2016-10&group=kent-and-medway&rank_by=change_pct"
    ).json()
    names = [r["district"]["name"] for r in data["rows"]]
    assert names[0] == "Canterbury" and names[-1] == "Ashford"
    first, last = data["rows"][0], data["rows"][-1]
    assert (first["count"], first["previous_count"]) == (3852, 4231)
    assert (last["count"], last["previous_count"]) == (1856, 1582) and round(last["change_pct"], 1) == 17.3
    assert names == ["Canterbury", "Dover", "Tonbridge and Malling", "Medway", "Swale", "Gravesham", "Thanet",
                     "Folkestone and Hythe", "Sevenoaks", "Maidstone", "Tunbridge Wells", "Dartford", "Ashford"]


def test_maidstone_crime_table_year_to_october_2016(client_with_demo):
    data = client_with_demo.get(f"/api/v1/districts/{MAIDSTONE}/summary/?end=2016-10").json()
    rows = {c["category"]["slug"]: c for c in data["categories"]}
    assert (rows["all-crime"]["count"], rows["all-crime"]["previous_count"]) == (10271, 9189)
    vap = rows["violence-against-the-person"]
    assert (vap["count"], vap["previous_count"], round(vap["change_pct"], 1)) == (3390, 2665, 27.2)
    # The published violent crime row said 2,964 a year earlier, but its own parts add up to
    # 2,665 + 222 + 79 = 2,966: computed from the parts, the change is +777 (+26.2%), not +26.3%.
    assert (rows["violent-crime"]["count"], rows["violent-crime"]["previous_count"]) == (3743, 2966)
    assert (rows["shoplifting"]["count"], rows["shoplifting"]["change"]) == (804, -273)


def test_comparison_page_and_overview_with_the_demo(client_with_demo):
    page = text(client_with_demo.get("/compare/all-crime/?end=2016-09&highlight=E07000116"))
    assert "Tunbridge Wells (highlighted) 5,285 5,040 +245 +4.9%" in page
    overview = client_with_demo.get("/overview/?end=2016-09")
    assert overview.status_code == 200 and "Tunbridge Wells" in text(overview)


@pytest.mark.parametrize("url", [
    "/compare/all-crime/?end=2016-09&highlight=E07000116",
    "/districts/E07000116/?end=2016-09",
    "/overview/?end=2016-09&show=all",
    "/api/v1/comparison/?category=all-crime&end=2016-09",
    "/api/v1/districts/E07000116/summary/?end=2016-09",
])
def test_query_count_with_twelve_years_of_demo_figures(client_with_demo, django_assert_max_num_queries, url):
    # The same bounds as with a handful of figures (test_comparison_pages.py).
    from tests.integration.test_comparison_pages import COLD_ANONYMOUS, WARM, extra_queries

    with django_assert_max_num_queries(COLD_ANONYMOUS + extra_queries(url)):
        assert client_with_demo.get(url).status_code == 200
    with django_assert_max_num_queries(WARM + extra_queries(url)):
        assert client_with_demo.get(url).status_code == 200
