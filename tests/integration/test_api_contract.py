"""The open-data API contract (issue 3): keys, types, order, CSV, and every 400 case."""

import csv
import io

import pytest

from crimedata import reference
from crimedata.models import Figure
from tests.comparison_data import ASHFORD, MAIDSTONE, MEDWAY, TUNBRIDGE_WELLS, add_monthly, add_populations

pytestmark = pytest.mark.django_db

ALL = [d.code for d in reference.DISTRICTS]
INDEX = {code: i for i, code in enumerate(sorted(ALL))}
URL = "/api/v1/comparison/"
SUMMARY = "/api/v1/districts/{}/summary/"


@pytest.fixture
def figures(db):
    add_populations()
    add_monthly(ALL, ["all-crime", "asb-incidents", "domestic-abuse-incidents"], "2014-01", "2016-12",
                lambda code, slug, month: 20 + 3 * INDEX[code] + (month % 3))


def get(client, query: str, url=URL):
    return client.get(f"{url}?{query}")


def test_comparison_response_has_exactly_the_contract_keys(client, figures):
    response = get(client, "category=all-crime&end=2016-09")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {"category", "group", "period", "previous_period", "rank_by", "base", "rows", "total"}
    assert data["category"] == {"slug": "all-crime", "name": "All recorded crime"}
    assert data["group"] == {"slug": "kent", "name": "Kent (12 KCC districts)"}
    assert data["period"] == {"start": "2015-10", "end": "2016-09"}
    assert data["previous_period"] == {"start": "2014-10", "end": "2015-09"}
    assert data["rank_by"] == "rate" and data["base"] == 1000
    assert len(data["rows"]) == 12
    for row in data["rows"]:
        assert set(row) == {"district", "count", "previous_count", "change", "change_pct", "rate", "previous_rate",
                            "population_year", "rank", "rank_label", "direction", "status"}
        assert set(row["district"]) == {"code", "name"}
        for key in ("count", "previous_count", "change", "population_year", "rank"):
            assert isinstance(row[key], int) and not isinstance(row[key], bool), key
        for key in ("change_pct", "rate", "previous_rate"):
            assert isinstance(row[key], float), key
        assert row["direction"] in ("up", "down", "same") and row["status"] == "final"
        assert row["change"] == row["count"] - row["previous_count"]
        assert row["change_pct"] == pytest.approx(row["change"] / row["previous_count"] * 100)
    assert set(data["total"]) == {"count", "previous_count", "change", "change_pct", "rate"}
    assert data["total"]["count"] == sum(r["count"] for r in data["rows"])


def test_rates_and_change_are_unrounded(client, figures):
    row = get(client, "category=all-crime&end=2016-09").json()["rows"][0]
    assert row["rate"] != round(row["rate"], 1)


def test_rows_are_in_rank_order_with_ties_and_unranked_last(client, figures):
    Figure.objects.filter(district__code=ASHFORD, category__slug="all-crime", period_start__year=2016).delete()
    data = get(client, "category=all-crime&end=2016-09&rank_by=count").json()
    ranks = [r["rank"] for r in data["rows"]]
    assert ranks[-1] is None and data["rows"][-1]["district"]["code"] == ASHFORD
    assert data["rows"][-1]["rank_label"] is None and data["rows"][-1]["count"] is None
    assert data["rows"][-1]["direction"] is None and data["rows"][-1]["status"] is None
    assert ranks[:-1] == sorted(ranks[:-1])
    assert data["total"]["missing"] == [{"code": ASHFORD, "name": "Ashford"}]
    assert data["total"]["count"] == sum(r["count"] for r in data["rows"][:-1])


def test_equal_values_share_a_rank_label(client, figures):
    Figure.objects.filter(district__code=MAIDSTONE, category__slug="all-crime").update(value=1)
    Figure.objects.filter(district__code=TUNBRIDGE_WELLS, category__slug="all-crime").update(value=1)
    from crimedata.services import bump_data_generation

    bump_data_generation()
    data = get(client, "category=all-crime&end=2016-09&rank_by=count").json()
    assert [r["rank_label"] for r in data["rows"][:3]] == ["1=", "1=", "3"]
    assert [r["rank"] for r in data["rows"][:3]] == [1, 1, 3]


def test_group_months_rank_by_and_base_are_applied(client, figures):
    data = get(client, "category=asb-incidents&end=2016-06&months=3&group=kent-and-medway&rank_by=change_pct"
                       "&base=10000").json()
    assert data["period"] == {"start": "2016-04", "end": "2016-06"}
    assert data["group"]["slug"] == "kent-and-medway" and len(data["rows"]) == 13
    assert data["rank_by"] == "change_pct" and data["base"] == 10000
    default = get(client, "category=asb-incidents&end=2016-06&months=3&group=kent-and-medway").json()
    by_code = {r["district"]["code"]: r["rate"] for r in default["rows"]}
    for row in data["rows"]:
        assert row["rate"] == pytest.approx(by_code[row["district"]["code"]] * 10)


def test_csv_returns_the_same_data(client, figures):
    data = get(client, "category=all-crime&end=2016-09").json()
    response = get(client, "category=all-crime&end=2016-09&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="all-crime-kent-2016-09-12m.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(data["rows"]) + 1  # and the group total
    for json_row, csv_row in zip(data["rows"], rows):
        assert csv_row["district_code"] == json_row["district"]["code"]
        assert int(csv_row["count"]) == json_row["count"]
        assert float(csv_row["rate"]) == pytest.approx(json_row["rate"])
        assert csv_row["rank_label"] == json_row["rank_label"] and csv_row["period_end"] == "2016-09"
    assert rows[-1]["district_name"] == "Total: Kent (12 KCC districts)"
    assert int(rows[-1]["count"]) == data["total"]["count"]


def test_provisional_figures_are_for_signed_in_partners_only(client, figures, partner, scrutiny):
    Figure.objects.filter(district__code=MAIDSTONE, category__slug="all-crime", period_start__year=2016).update(
        status=Figure.STATUS_PROVISIONAL
    )
    public = get(client, "category=all-crime&end=2016-09").json()
    assert next(r for r in public["rows"] if r["district"]["code"] == MAIDSTONE)["count"] is None
    client.force_login(scrutiny)
    assert next(r for r in get(client, "category=all-crime&end=2016-09").json()["rows"]
                if r["district"]["code"] == MAIDSTONE)["status"] is None
    client.force_login(partner)
    row = next(r for r in get(client, "category=all-crime&end=2016-09").json()["rows"]
               if r["district"]["code"] == MAIDSTONE)
    assert row["status"] == "provisional" and row["count"] is not None


def test_district_summary_has_every_category_with_data(client, figures):
    response = get(client, "end=2016-09", SUMMARY.format(TUNBRIDGE_WELLS))
    data = response.json()
    assert data["district"] == {"code": TUNBRIDGE_WELLS, "name": "Tunbridge Wells"}
    assert data["group"]["slug"] == "kent" and data["period"] == {"start": "2015-10", "end": "2016-09"}
    slugs = [c["category"]["slug"] for c in data["categories"]]
    assert slugs[0] == "all-crime" and "asb-incidents" in slugs
    from crimedata.models import Category

    assert len(slugs) == Category.objects.count()  # every category, with or without data
    crime = data["categories"][0]
    for key in ("count", "previous_count", "change", "change_pct", "rate", "rank_label"):
        assert key in crime
    comparison = get(client, "category=all-crime&end=2016-09").json()
    mine = next(r for r in comparison["rows"] if r["district"]["code"] == TUNBRIDGE_WELLS)
    assert crime["count"] == mine["count"] and crime["rank_label"] == mine["rank_label"]
    assert crime["rate"] == pytest.approx(mine["rate"])
    robbery = next(c for c in data["categories"] if c["category"]["slug"] == "robbery")
    assert robbery["count"] is None and robbery["rank_label"] is None


def test_district_summary_csv_and_medway_default_group(client, figures):
    response = get(client, "end=2016-09&format=csv", SUMMARY.format(TUNBRIDGE_WELLS))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["category"] == "all-crime" and rows[0]["district_code"] == TUNBRIDGE_WELLS
    json_data = get(client, "end=2016-09", SUMMARY.format(TUNBRIDGE_WELLS)).json()
    assert len(rows) == len(json_data["categories"])
    assert get(client, "end=2016-09", SUMMARY.format(MEDWAY)).json()["group"]["slug"] == "kent-and-medway"


# --- Every 400 case --------------------------------------------------------------------------------

BAD_COMPARISON = [
    ("end=2016-09", "category", "category is required"),
    ("category=&end=2016-09", "category", "category is required"),
    ("category=burglary-of-sheds&end=2016-09", "category", "category must be a category slug"),
    ("category=all-crime", "end", "end is required: a month from 2014-12 to 2016-12"),
    ("category=all-crime&end=2016-9", "end", "end must be a month written as YYYY-MM"),
    ("category=all-crime&end=2016-13", "end", "with a month from 01 to 12"),
    ("category=all-crime&end=1850-01", "end", "between 1990 and 2100"),
    ("category=all-crime&end=2017-01", "end", "end must not be after 2016-12"),
    ("category=all-crime&end=2014-06", "end", "end must not be before 2014-12"),
    ("category=all-crime&end=2016-09&months=0", "months", "months must be a whole number from 1 to 12"),
    ("category=all-crime&end=2016-09&months=13", "months", "months must be a whole number from 1 to 12"),
    ("category=all-crime&end=2016-09&months=six", "months", "months must be a whole number from 1 to 12"),
    ("category=all-crime&end=2016-09&months=-1", "months", "months must be a whole number from 1 to 12"),
    ("category=all-crime&end=2016-09&group=surrey", "group", "group must be one of"),
    ("category=all-crime&end=2016-09&rank_by=volume", "rank_by", "rank_by must be one of: rate, count, change_pct"),
    ("category=all-crime&end=2016-09&base=0", "base", "base must be a whole number from 1 to 1,000,000"),
    ("category=all-crime&end=2016-09&base=2000000", "base", "base must be a whole number from 1 to 1,000,000"),
    ("category=all-crime&end=2016-09&base=ten", "base", "base must be a whole number"),
    ("category=all-crime&end=2016-09&format=xml", "format", "format must be one of: json, csv"),
]


@pytest.mark.parametrize("query, parameter, message", BAD_COMPARISON)
def test_every_bad_comparison_parameter_is_a_400_naming_it(client, figures, query, parameter, message):
    response = get(client, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["parameter"] == parameter and message in data["error"]
    assert data["allowed"]
    assert data["errors"][0]["parameter"] == parameter and "allowed" in data["errors"][0]


def test_several_bad_parameters_are_all_reported(client, figures):
    data = get(client, "category=nope&end=2016-09&months=99&group=nope&rank_by=nope&base=nope").json()
    assert {e["parameter"] for e in data["errors"]} == {"category", "months", "group", "rank_by", "base"}


def test_a_csv_request_with_a_bad_parameter_still_gets_a_json_error(client, figures):
    response = get(client, "category=nope&end=2016-09&format=csv")
    assert response.status_code == 400 and response.json()["parameter"] == "category"


BAD_SUMMARY = [
    ("", "end", "end is required"),
    ("end=2016-13", "end", "with a month from 01 to 12"),
    ("end=2016-09&months=13", "months", "from 1 to 12"),
    ("end=2016-09&group=surrey", "group", "group must be one of"),
    ("end=2016-09&group=east-division", "group", "group must be a group that includes Tunbridge Wells"),
    ("end=2016-09&format=pdf", "format", "format must be one of: json, csv"),
]


@pytest.mark.parametrize("query, parameter, message", BAD_SUMMARY)
def test_every_bad_summary_parameter_is_a_400_naming_it(client, figures, query, parameter, message):
    response = get(client, query, SUMMARY.format(TUNBRIDGE_WELLS))
    assert response.status_code == 400
    data = response.json()
    assert data["parameter"] == parameter and message in data["error"] and data["allowed"]


def test_an_unknown_district_is_a_404_naming_the_path_parameter(client, figures):
    response = get(client, "end=2016-09", SUMMARY.format("E09999999"))
    assert response.status_code == 404
    data = response.json()
    assert data["parameter"] == "district" and TUNBRIDGE_WELLS in data["allowed"]


def test_the_api_reads_only(client, figures):
    assert client.post(f"{URL}?category=all-crime&end=2016-09").status_code == 405


def test_api_docs_page_has_working_example_links(client, figures):
    page = client.get("/api/").content.decode()
    assert "/api/v1/comparison/?category=all-crime&amp;end=2016-12" in page
    assert "/api/v1/districts/E07000116/summary/?end=2016-12" in page
    for href in ("/api/v1/comparison/?category=all-crime&end=2016-12",
                 "/api/v1/comparison/?category=all-crime&end=2016-12&format=csv",
                 "/api/v1/districts/E07000116/summary/?end=2016-12&format=csv"):
        assert client.get(href).status_code == 200, href
    assert client.get("/api/v1/comparison/?category=all-crime&end=2016-12&months=13").status_code == 400
