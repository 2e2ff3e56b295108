"""The comparison page, district index, profile and overview through the Django client, on small hand-made figures."""

import io
import json
import re

import pytest
from openpyxl import load_workbook

from crimedata import reference
from crimedata.models import District, Figure
from tests.comparison_data import ASHFORD, MAIDSTONE, MEDWAY, add_monthly, add_populations

pytestmark = pytest.mark.django_db

KCC = [d.code for d in reference.DISTRICTS if d.in_kcc_area]
ALL = [d.code for d in reference.DISTRICTS]
INDEX = {code: i for i, code in enumerate(sorted(ALL))}


def monthly_value(code, slug, month):
    # Distinct rates per district (Ashford lowest), rising a little each year.
    return 20 + 5 * INDEX[code] + (month // 12 - 2013) + (3 if slug == "asb-incidents" else 0)


@pytest.fixture
def figures(db):
    add_populations()
    add_monthly(ALL, ["all-crime", "asb-incidents", "robbery"], "2013-01", "2016-12", monthly_value)


def html(response) -> str:
    return response.content.decode()


def table_names(page: str, table_id: str = "comparison-table") -> list[str]:
    section = page.split(f'id="{table_id}"', 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"<[^>]+>", "", n).strip() for n in re.findall(r'<th scope="row"[^>]*>(.*?)</th>', section, re.S)]


# --- Comparison page ----------------------------------------------------------------------------


def test_compare_redirects_to_the_default_category_keeping_the_choices(client, figures):
    response = client.get("/compare/?end=2016-09&group=west-kent")
    assert response.status_code == 302
    assert response["Location"] == "/compare/all-crime/?end=2016-09&group=west-kent"
    response = client.get("/compare/?category=robbery&end=2016-09")
    assert response["Location"] == "/compare/robbery/?end=2016-09"


def test_compare_with_an_unknown_category_parameter_is_a_400_with_the_error_summary(client, figures):
    response = client.get("/compare/?category=burglary-of-sheds")
    assert response.status_code == 400
    assert "There is a problem" in html(response) and "category must be one of the categories" in html(response)


def test_comparison_page_shows_every_measure_the_group_row_and_the_chart(client, figures):
    response = client.get("/compare/all-crime/?end=2016-09&months=12&group=kent&highlight=E07000116")
    assert response.status_code == 200
    page = html(response)
    assert "12 months to September 2016 (October 2015 to September 2016)" in page
    assert "County position 1 = the lowest rate per 1,000 residents of the 12 Kent areas." in page
    assert table_names(page)[0] == "Ashford"  # lowest rate first
    assert "Tunbridge Wells (highlighted)" in page and "app-row--highlight" in page
    assert "Kent (12 KCC districts) total" in page
    for heading in ("Number, Oct 2015 to Sep 2016", "Number, Oct 2014 to Sep 2015", "Change %", "Direction",
                    "Rate per 1,000 residents", "County position (by rate)", "Position a year earlier (by rate)"):
        assert heading in page
    assert "\u2191 up" in page
    figure = json.loads(re.search(r'<script id="comparison-chart-data" type="application/json">(.*?)</script>',
                                  page, re.S).group(1))
    assert figure["data"][1]["y"] == ["Tunbridge Wells (highlighted)"]
    assert "mid-2016 population estimates (source: Test estimate)" in page
    assert "Source: Kent Police recorded crime" in page


def test_group_rate_is_total_count_over_total_population(client, figures):
    response = client.get("/api/v1/comparison/?category=all-crime&end=2016-09")
    data = response.json()
    # add_populations gives the districts in code order 100,000, 101,000, ... (Medway, E06..., first).
    pops = {code: 100_000 + 1000 * i for i, code in enumerate(sorted(ALL)) if code in KCC}
    counts = {r["district"]["code"]: r["count"] for r in data["rows"]}
    assert data["total"]["rate"] == pytest.approx(sum(counts.values()) / sum(pops.values()) * 1000)


def test_a_rate_base_in_the_address_changes_the_rates_and_survives_the_form(client, figures):
    page = html(client.get("/compare/all-crime/?end=2016-09&base=10000"))
    assert "Rate per 10,000 residents" in page and "per 10,000 residents of the 12 Kent areas" in page
    assert '<input type="hidden" name="base" value="10000">' in page
    response = client.get("/compare/all-crime/?end=2016-09&base=0")
    assert response.status_code == 400 and "base must be a whole number from 1 to 1,000,000" in html(response)


def test_rank_by_count_and_change_and_the_statement_follows(client, figures):
    page = html(client.get("/compare/all-crime/?end=2016-09&rank_by=change_pct"))
    assert "County position 1 = the biggest fall (or smallest rise) on a year earlier, in %" in page
    assert "Position a year earlier" not in page  # only comparable when ranking by rate


def test_a_missing_district_shows_no_data_is_unranked_last_and_named(client, figures):
    Figure.objects.filter(district__code=ASHFORD, category__slug="all-crime", period_start__year=2016).delete()
    page = html(client.get("/compare/all-crime/?end=2016-09"))
    assert table_names(page)[-1] == "Ashford"
    assert "no data" in page
    assert "it leaves out Ashford, which has no figure for this period" in page


def test_provisional_figures_are_hidden_from_the_public_and_marked_for_partners(client, figures, partner):
    Figure.objects.filter(district__code=MAIDSTONE, category__slug="all-crime", period_start__year=2016,
                          period_start__month=9).update(status=Figure.STATUS_PROVISIONAL)
    public = client.get("/api/v1/comparison/?category=all-crime&end=2016-09").json()
    maidstone = next(r for r in public["rows"] if r["district"]["code"] == MAIDSTONE)
    assert maidstone["count"] is None and maidstone["rank"] is None and maidstone["status"] is None
    assert public["total"]["missing"] == [{"code": MAIDSTONE, "name": "Maidstone"}]
    # Nothing derived from the provisional figure reaches the public page either.
    assert "it leaves out Maidstone" in html(client.get("/compare/all-crime/?end=2016-09"))
    client.force_login(partner)
    page = html(client.get("/compare/all-crime/?end=2016-09"))
    assert "(provisional)" in page and "Figures marked P are provisional" in page
    row = next(r for r in client.get("/api/v1/comparison/?category=all-crime&end=2016-09").json()["rows"]
               if r["district"]["code"] == MAIDSTONE)
    assert row["status"] == "provisional" and row["count"] is not None


@pytest.mark.parametrize(
    "query, message",
    [
        ("end=2016-13", "end must be a month written as YYYY-MM, with a month from 01 to 12"),
        ("end=2030-01", "end must not be after 2016-12"),
        ("months=13", "months must be a whole number from 1 to 12"),
        ("group=surrey", "group must be one of: kent"),
        ("rank_by=volume", "rank_by must be one of: rate, count, change_pct"),
        ("highlight=XYZ", "highlight must be the ONS code of a district"),
        ("end=2016-09&_export=pdf", "_export must be csv or xlsx"),
    ],
)
def test_a_bad_parameter_gets_a_govuk_error_summary_and_400(client, figures, query, message):
    response = client.get(f"/compare/all-crime/?{query}")
    assert response.status_code == 400
    page = html(response)
    assert '<div class="govuk-error-summary"' in page and "There is a problem" in page
    assert message in page
    assert "<title>Error: " in page
    assert 'id="comparison-table"' not in page


def test_sorting_reorders_rows_and_keeps_missing_rows_last(client, figures):
    Figure.objects.filter(district__code=ASHFORD, category__slug="all-crime", period_start__year=2016).delete()
    ascending = table_names(html(client.get("/compare/all-crime/?end=2016-09&sort=rate")))
    descending = table_names(html(client.get("/compare/all-crime/?end=2016-09&sort=-rate")))
    assert ascending[-1] == descending[-1] == "Ashford"
    assert ascending[:-1] == list(reversed(descending[:-1]))
    by_name = table_names(html(client.get("/compare/all-crime/?end=2016-09&sort=name")))
    assert by_name == sorted(by_name)
    assert 'aria-sort="ascending"' in html(client.get("/compare/all-crime/?end=2016-09&sort=name"))


def test_csv_and_xlsx_exports_are_safe_and_numeric(client, figures):
    District.objects.filter(code=ASHFORD).update(name='=HYPERLINK("http://evil.example","click")')
    from crimedata.services import bump_data_generation

    bump_data_generation()
    response = client.get("/compare/all-crime/?end=2016-09&_export=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="all-crime-kent-2016-09-12m.csv"' == response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    assert text.splitlines()[-1].startswith("Kent (12 KCC districts) total,")
    response = client.get("/compare/all-crime/?end=2016-09&_export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "District" and rows[0][1] == "Number, Oct 2015 to Sep 2016"
    first = next(r for r in rows if r[0] and str(r[0]).startswith("'=HYPERLINK"))
    assert isinstance(first[1], int) and isinstance(first[6], float)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_navigation_keeps_the_window_and_group(client, figures):
    page = html(client.get("/compare/all-crime/?end=2015-03&months=12&group=west-kent"))
    assert 'href="/overview/?end=2015-03&amp;months=12&amp;group=west-kent"' in page
    assert 'href="/districts/?end=2015-03&amp;months=12&amp;group=west-kent"' in page
    assert '/districts/E07000116/?end=2015-03&amp;months=12&amp;group=west-kent' in page


def test_a_quarter_says_its_rates_are_not_annualised(client, figures):
    page = html(client.get("/compare/all-crime/?end=2016-06&months=3"))
    assert "Q1 2016/17 (Apr to Jun 2016)" in page
    assert "Rates are for the 3 months shown, not scaled up to a year" in page
    assert "not scaled up" not in html(client.get("/compare/all-crime/?end=2016-06"))


def test_quick_links_to_financial_years_keep_the_group(client, figures):
    page = html(client.get("/compare/all-crime/?group=west-kent"))
    assert "Financial year 2015/16" in page and "end=2016-03&amp;months=12" in page
    assert "Calendar year 2015" in page and "Q3 2016/17" in page


def test_unknown_category_in_the_path_is_a_404_listing_the_categories(client, figures):
    response = client.get("/compare/burglary-of-sheds/")
    assert response.status_code == 404
    assert "There is no category called" in html(response) and "/compare/robbery/" in html(response)


def test_pages_without_any_figures_say_so(client, db):
    for url in ("/compare/all-crime/", "/districts/", "/districts/E07000116/", "/overview/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "No figures have been loaded yet" in html(response)


# --- Query counts ---------------------------------------------------------------------------------

PAGES = [
    "/compare/all-crime/?end=2016-09&highlight=E07000116",
    "/districts/",
    "/districts/E07000116/?end=2016-09",
    "/overview/?end=2016-09&show=all",
    "/api/v1/comparison/?category=all-crime&end=2016-09",
    "/api/v1/districts/E07000116/summary/?end=2016-09",
    "/api/",
]
# Cold cache, anonymous: data generation 1, reference data 3, months with data 1,
# figures 1, populations 1. Signed in adds the session, the user and their roles.
# The statistics (intervals, significance, suppression) add none.
COLD_ANONYMOUS = 7
COLD_SIGNED_IN = 10
WARM = 4
# The profile also reads the edits of its generated texts (1, batched for every box) and the
# district's SPC step changes (1), cold or warm; its SPC series come from the same figures query.
PROFILE_EXTRA = 2


def extra_queries(url: str) -> int:
    return PROFILE_EXTRA if url.startswith("/districts/E") else 0


def more_data():
    """Eight more categories for every district from 2012, plus 20 more districts in the group."""
    from crimedata.models import ComparisonGroup

    extra = District.objects.bulk_create(
        District(code=f"E0799{i:04d}", name=f"Extra district {i}", slug=f"extra-{i}", police_division="west")
        for i in range(20)
    )
    ComparisonGroup.objects.get(slug="kent").districts.add(*extra)
    add_populations(2008, 2009, codes=ALL)
    add_populations(2008, 2024, codes=[d.code for d in extra])
    leaves = [s for s in reference.leaf_slugs() if s not in ("robbery", "asb-incidents")][:8]
    add_monthly(ALL + [d.code for d in extra], leaves, "2012-01", "2016-12", lambda c, s, m: 3)


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("size", ["small", "large"])
def test_query_count_is_bounded_and_does_not_grow_with_the_data(client, partner, django_assert_max_num_queries,
                                                                figures, url, size):
    if size == "large":
        more_data()
    extra = extra_queries(url)
    with django_assert_max_num_queries(COLD_ANONYMOUS + extra):
        response = client.get(url)
    assert response.status_code == 200, url
    with django_assert_max_num_queries(WARM + extra):
        assert client.get(url).status_code == 200
    from django.core.cache import cache

    cache.clear()
    client.force_login(partner)
    with django_assert_max_num_queries(COLD_SIGNED_IN + extra):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(WARM + 3 + extra):
        assert client.get(url).status_code == 200


# --- District index and profile -------------------------------------------------------------------


def test_district_index_lists_the_group_and_links_to_profiles(client, figures):
    page = html(client.get("/districts/?end=2016-09"))
    assert 'id="districts-table"' in page
    assert "/districts/E07000105/?end=2016-09&amp;months=12&amp;group=kent" in page
    assert "Districts outside Kent (12 KCC districts)" in page and "/districts/E06000035/" in page


def test_district_index_form_redirects_to_the_chosen_profile(client, figures):
    response = client.get("/districts/?district=e07000116&end=2016-09&months=12&group=kent")
    assert response.status_code == 302
    assert response["Location"] == "/districts/E07000116/?end=2016-09&months=12&group=kent"
    assert client.get("/districts/?district=nowhere").status_code == 400


def test_profile_has_headlines_trend_crime_types_and_proportionality(client, figures):
    response = client.get("/districts/E07000116/?end=2016-09")
    assert response.status_code == 200
    page = html(response)
    for text in ("All recorded crime and key themes", "Peer comparison", "Annual change", "Kent comparison",
                 "3-year trend: all recorded crime", "Crime and disorder types", "Proportionality",
                 "plus anti-social behaviour incidents", "About these figures"):
        assert text in page, text
    assert page.count('class="app-headline"') == 7
    assert 'id="kent-chart-data"' in page and 'id="trend-chart-data"' in page
    trend = json.loads(re.search(r'<script id="trend-chart-data" type="application/json">(.*?)</script>',
                                 page, re.S).group(1))
    assert len(trend["data"][0]["x"]) == 36 and trend["data"][0]["x"][-1] == "2016-09-30"


def test_profile_exports_each_table(client, figures):
    for name in ("crime-types", "proportions", "trend", "kent-comparison"):
        response = client.get(f"/districts/E07000116/?end=2016-09&_export=csv&_table={name}")
        assert response.status_code == 200, name
        assert f"tunbridge-wells-{name}-kent-2016-09-12m.csv" in response["Content-Disposition"]
    assert client.get("/districts/E07000116/?end=2016-09&_export=csv&_table=nope").status_code == 400


def test_profile_of_medway_defaults_to_kent_and_medway(client, figures):
    page = html(client.get(f"/districts/{MEDWAY}/?end=2016-09"))
    assert "Kent and Medway (13 areas)" in page
    response = client.get(f"/districts/{MEDWAY}/?end=2016-09&group=kent")
    assert response.status_code == 400
    page = html(response)
    assert "group must be a group that includes Medway:" in page
    assert "kent-and-medway" in page and "north-division" in page


def test_profile_of_an_unknown_district_is_a_404(client, figures):
    response = client.get("/districts/E09999999/")
    assert response.status_code == 404 and "There is no district with the ONS code" in html(response)


def test_profile_trend_picker_changes_the_trend(client, figures):
    page = html(client.get("/districts/E07000116/?end=2016-09&trend=asb-incidents"))
    assert "3-year trend: anti-social behaviour incidents" in page
    assert client.get("/districts/E07000116/?end=2016-09&trend=nope").status_code == 400


# --- Overview ---------------------------------------------------------------------------------------


def test_overview_matrix_rates_with_counts_on_hover_and_a_count_view(client, figures):
    page = html(client.get("/overview/?end=2016-09"))
    assert 'id="overview-table"' in page and "All recorded crime" in page
    assert re.search(r'<span title="[\d,]+ recorded">[\d.]+</span>', page)
    counts = html(client.get("/overview/?end=2016-09&view=count"))
    assert "numbers recorded" in counts and re.search(r'<span title="[\d.]+ per 1,000 residents">[\d,]+</span>', counts)
    assert "Kent (12 KCC districts) average" in page and "Kent (12 KCC districts) total" in counts


def test_overview_sorts_by_any_column_and_exports(client, figures):
    descending = table_names(html(client.get("/overview/?end=2016-09&sort=-asb-incidents")), "overview-table")
    ascending = table_names(html(client.get("/overview/?end=2016-09&sort=asb-incidents")), "overview-table")
    assert descending == list(reversed(ascending)) and descending[-1] == "Ashford"
    sheet = load_workbook(io.BytesIO(client.get("/overview/?end=2016-09&_export=xlsx").content)).active
    header = [c.value for c in sheet[1]]
    assert header[0] == "District" and "All recorded crime" in header
    assert isinstance(sheet.cell(row=2, column=header.index("All recorded crime") + 1).value, float)


def test_overview_every_category_view(client, figures):
    page = html(client.get("/overview/?end=2016-09&show=all"))
    assert "Killed or seriously injured (KSI)" in page and "Drug trafficking" in page
    assert client.get("/overview/?view=pie").status_code == 400


def test_home_links_districts_to_their_profiles(client, figures):
    assert 'href="/districts/E07000116/"' in html(client.get("/"))
