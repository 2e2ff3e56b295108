"""The comparison page's statistics through the Django client: the group comparison, intervals, change tests.

Tunbridge Wells recorded 5,285 crimes in the 12 months to September 2016 and
5,040 the year before; with the same population both years the exact test
gives p ≈ 0.016 (methods.md §3): a significant rise at 95%, not at 99.8%.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from crimedata import reference
from tests.comparison_data import add_populations, add_twelve_months
from tests.conftest import TUNBRIDGE_WELLS
from tests.integration.test_wiring_suppression import column, html_table

pytestmark = pytest.mark.django_db

KCC = sorted(d.code for d in reference.DISTRICTS if d.in_kcc_area)
URL = "/compare/all-crime/?end=2016-09&months=12&highlight=E07000116"


@pytest.fixture
def figures(db):
    add_populations(2014, 2016, base=116_200)
    for i, code in enumerate(KCC):
        if code == TUNBRIDGE_WELLS:
            add_twelve_months(code, "all-crime", "2016-09", 5285)
            add_twelve_months(code, "all-crime", "2015-09", 5040)
        else:
            # Higher rates than Tunbridge Wells and no change: similar or worse than Kent, "no significant change".
            add_twelve_months(code, "all-crime", "2016-09", 7000 + 150 * i)
            add_twelve_months(code, "all-crime", "2015-09", 7000 + 150 * i)


def same_population_both_years():
    from crimedata.models import Population

    # add_populations() gives each district the same estimate every year.
    values = {(p.district_id, p.year): p.population for p in Population.objects.all()}
    return all(values[(d, 2015)] == values[(d, 2016)] for d, _ in values)


def test_the_change_arrow_says_the_rise_is_significant_and_the_column_compares_with_kent(client, figures):
    assert same_population_both_years()
    page = client.get(URL).content.decode()
    headers, rows, footer = html_table(page, "comparison-table")
    tw = next(r for r in rows if r[0].startswith("Tunbridge Wells"))
    assert tw[column(headers, "Direction")] == "\u2191 up significant rise"
    assert tw[column(headers, "Compared with Kent")] == "Significantly better than Kent"
    assert re.fullmatch(r"\d+\.\d to \d+\.\d", tw[column(headers, "95% confidence interval")])
    others = [r for r in rows if not r[0].startswith("Tunbridge Wells")]
    assert all(r[column(headers, "Direction")] == "\u2194 no change" for r in others)
    words = {r[column(headers, "Compared with Kent")] for r in others}
    assert words <= {"Similar to Kent", "Significantly worse than Kent", "Significantly better than Kent"}
    assert "Significantly worse than Kent" in words
    # Colour reinforces the words: the Fingertips classes, never colour alone.
    assert 'app-status app-status--text app-status--better">Significantly better than Kent' in page
    # The group row has its own interval and change test.
    assert re.fullmatch(r"\d+\.\d to \d+\.\d", footer[column(headers, "95% confidence interval")])
    assert footer[column(headers, "Direction")] == "\u2191 up no significant change"
    assert "How the intervals and significance are worked out" in page


def test_at_99_8_percent_the_same_rise_is_not_significant_and_the_picker_keeps_the_choice(client, figures):
    page = client.get(URL + "&confidence=99.8").content.decode()
    headers, rows, _ = html_table(page, "comparison-table")
    tw = next(r for r in rows if r[0].startswith("Tunbridge Wells"))
    assert tw[column(headers, "Direction")] == "\u2191 up no significant change"
    assert "99.8% confidence interval" in headers
    assert '<option value="99.8" selected>' in page
    # The quick period links keep it too.
    assert "confidence=99.8" in page.split("Choose a financial year")[1]
    assert "gives p &lt; 0.002" in page


@pytest.mark.parametrize("value", ["90", "0.5", "ninety-five", "95.5"])
def test_a_bad_confidence_is_a_400_naming_the_parameter(client, figures, value):
    response = client.get(URL + f"&confidence={value}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "confidence must be 95 or 99.8" in page
    assert 'href="#picker-confidence"' in page


@pytest.mark.parametrize("value, level", [("95", "95%"), ("95%", "95%"), ("0.998", "99.8%"), ("99.8%", "99.8%")])
def test_confidence_spellings_that_mean_the_same_are_accepted(client, figures, value, level):
    response = client.get(URL + f"&confidence={value}")
    assert response.status_code == 200
    assert f"{level} confidence interval" in response.content.decode()


def test_the_chart_has_error_bars_for_each_rate(client, figures):
    page = client.get(URL).content.decode()
    figure = json.loads(re.search(r'<script id="comparison-chart-data" type="application/json">(.*?)</script>',
                                  page, re.S).group(1))
    for trace in figure["data"]:
        bars = trace["error_x"]
        assert bars["type"] == "data" and bars["symmetric"] is False
        assert all(v is not None and v > 0 for v in bars["array"] + bars["arrayminus"])
        assert len(bars["array"]) == len(trace["x"])
    assert "95% confidence interval as a line across the end of its bar" in page


def test_the_download_has_the_limits_the_test_and_its_p_value(client, figures):
    text = client.get(URL + "&_export=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    for name in ("Rate, lower 95% confidence limit", "Rate, upper 95% confidence limit",
                 "Change significance (95%)", "Change p-value (exact test)"):
        assert name in header
    tw = next(r for r in rows if r[0] == "Tunbridge Wells")
    assert tw[header.index("Change significance (95%)")] == "significant rise"
    assert float(tw[header.index("Change p-value (exact test)")]) == pytest.approx(0.0163, abs=0.0005)
    assert "95% confidence interval" not in header  # the page's combined cell is not exported


def test_the_group_summary_says_whether_the_group_change_is_significant(client, figures):
    page = client.get(URL).content.decode()
    assert re.search(r"Kent \(12 KCC districts\): [\d,]+ crimes, [\d.]+ per 1,000 residents \(95% confidence "
                     r"interval [\d.]+ to [\d.]+\)\. An increase of 245 crimes \(0\.3%\) on a year earlier, which is "
                     r"no significant change\.", page)


@pytest.mark.parametrize("query", ["", "&confidence=99.8", "&rank_by=change_pct"])
def test_the_statistics_add_no_queries(client, figures, django_assert_max_num_queries, query):
    from tests.integration.test_comparison_pages import COLD_ANONYMOUS, WARM

    with django_assert_max_num_queries(COLD_ANONYMOUS):
        assert client.get(URL + query).status_code == 200
    with django_assert_max_num_queries(WARM):
        assert client.get(URL + query).status_code == 200


def test_the_district_index_and_the_profile_comparison_show_significance_too(client, figures):
    index = client.get("/districts/?end=2016-09").content.decode()
    headers, rows, _ = html_table(index, "districts-table")
    assert "Compared with Kent" in headers and "95% confidence interval" in headers
    profile = client.get(f"/districts/{TUNBRIDGE_WELLS}/?end=2016-09").content.decode()
    headers, rows, _ = html_table(profile, "kent-comparison-table")
    tw = next(r for r in rows if r[0].startswith("Tunbridge Wells"))
    assert tw[column(headers, "Compared with Kent")] == "Significantly better than Kent"
