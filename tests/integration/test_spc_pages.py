"""SPC pages through the Django client: the chart from stored figures, options, provisional and small numbers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from assessments.spc.chart import SpcOptions, spc_chart
from assessments.spc.step_changes import add_step_change
from assessments.spc.summary import KEY_CATEGORIES, variation_summary
from crimedata.models import Category, District, Figure
from crimedata.periods import month_end, parse_month
from crimedata.selectors import reference_data
from crimedata.services import bump_data_generation
from tests.conftest import ASHFORD, MAIDSTONE, TUNBRIDGE_WELLS

pytestmark = pytest.mark.django_db

CRIME_24_MONTHS = [
    420, 435, 410, 428, 441, 415, 430, 422, 438, 419, 426, 433,
    405, 398, 401, 396, 399, 402, 395, 390, 470, 412, 409, 415,
]


def store_series(code, slug, first, values, status=Figure.STATUS_FINAL, months=1):
    """Store consecutive figures (months=1 monthly, 3 quarterly) in one insert; None leaves a gap."""
    district = District.objects.get(code=code)
    category = Category.objects.get(slug=slug)
    start = parse_month(first)
    figures = []
    for i, value in enumerate(values):
        if value is None:
            continue
        s = start + i * months
        statuses = status if isinstance(status, (list, tuple)) else [status] * len(values)
        figures.append(Figure(
            district=district, category=category, period_start=dt.date(s // 12, s % 12 + 1, 1),
            period_end=month_end(s + months - 1), value=value, status=statuses[i], source=Figure.SOURCE_COMMAND,
        ))
    Figure.objects.bulk_create(figures)
    bump_data_generation()


def table_rows(html: str) -> list[str]:
    body = html.split('class="govuk-table app-spc-table"')[1].split("</tbody>")[0]
    rows = ["<tr" + row for row in body.split("<tr")[2:]]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>|&#\d+;", " ", row)).strip() for row in rows]


# --- Vector D end to end: stored figures -> chart -> labels on the page ---------------------------------------


def test_worked_crime_example_from_stored_figures_to_labels(client):
    store_series(MAIDSTONE, "robbery", "2015-01", CRIME_24_MONTHS)
    chart = spc_chart(MAIDSTONE, "robbery", SpcOptions(fix_after=12), user=AnonymousUser())
    assert chart.latest_segment.upl == pytest.approx(467.284, abs=1e-3)
    assert chart.points["variation"].tolist() == ["common"] * 12 + ["improvement"] * 8 + ["concern"] + ["common"] * 3

    response = client.get(f"/spc/{MAIDSTONE}/robbery/", {"fix_after": "12"})
    assert response.status_code == 200
    rows = table_rows(response.content.decode())
    assert len(rows) == 24
    assert rows[0].startswith("January 2015 420 426.4 385.5 467.3") and "Common cause" in rows[0]
    assert "Special cause: improvement (lower)" in rows[12] and "7 or more points in a row below" in rows[12]
    assert "2 of 3 points close to the lower control limit" in rows[13]
    assert "Special cause: concern (higher)" in rows[20] and "Above the upper control limit" in rows[20]
    assert "Common cause" in rows[23]
    html = response.content.decode()
    assert "A sustained run of 7 or more points on one side of the centre line starts in <strong>January 2016" in html
    assert 'id="spc-chart-data"' in html  # the chart's JSON for charts.js


def test_the_parent_category_is_the_sum_of_its_children_each_month(client):
    store_series(MAIDSTONE, "theft-of-motor-vehicle", "2016-01", [10, 12, 11, 9])
    store_series(MAIDSTONE, "theft-from-motor-vehicle", "2016-01", [40, None, 41, 39])
    chart = spc_chart(MAIDSTONE, "vehicle-crime", SpcOptions(), user=AnonymousUser())
    values = chart.points["value"].tolist()
    assert values[0] == 50 and values[2] == 52 and values[3] == 48
    assert values[1] != values[1]  # NaN: a month with a child missing is missing, never a partial sum


def test_quarterly_points_and_monthly_refused_for_a_quarterly_category(client):
    store_series(MAIDSTONE, "robbery", "2016-04", [10, 11, 12, 13, 14, 15])
    chart = spc_chart(MAIDSTONE, "robbery", SpcOptions(grain="quarter"), user=AnonymousUser())
    assert chart.points["value"].tolist() == [33, 42]
    assert chart.points["label"].tolist() == ["Q1 2016/17 (Apr to Jun 2016)", "Q2 2016/17 (Jul to Sep 2016)"]

    store_series(MAIDSTONE, "marac-cases", "2016-04", [30, 35, 28], months=3)
    assert client.get(f"/spc/{MAIDSTONE}/marac-cases/").status_code == 200
    response = client.get(f"/spc/{MAIDSTONE}/marac-cases/", {"grain": "month"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Monthly figures are not available for MARAC cases: they are entered quarterly." in html
    assert "govuk-error-summary" in html and 'href="#id_grain_0"' in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"fix_after": "twelve"}, "Enter the number of points as a whole number, like 12."),
        ({"fix_after": "1"}, "The limits need at least 2 points to measure the variation."),
        ({"grain": "week"}, "Choose monthly or quarterly points."),
    ],
)
def test_bad_options_get_a_clear_error(client, params, message):
    store_series(MAIDSTONE, "robbery", "2016-01", [10, 11, 12])
    response = client.get(f"/spc/{MAIDSTONE}/robbery/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_unknown_series_are_not_found(client):
    assert client.get("/spc/E99999999/robbery/").status_code == 404
    assert client.get(f"/spc/{MAIDSTONE}/no-such-crime/").status_code == 404


def test_screening_and_near_limits_options(client):
    values = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    store_series(MAIDSTONE, "robbery", "2016-01", values)
    plain = table_rows(client.get(f"/spc/{MAIDSTONE}/robbery/").content.decode())
    screened = client.get(f"/spc/{MAIDSTONE}/robbery/", {"screen": "1", "near": "1"}).content.decode()
    assert plain[0].startswith("January 2016 1 1.9 0.0 7.0")  # UPL 6.95, the lower limit clamped at 0
    assert table_rows(screened)[0].startswith("January 2016 1 1.9 0.0 4.6")  # UPL 4.60
    assert "Near lower" in screened and "Near upper limit (2 sigma)" in screened


def test_a_series_of_twelve_points_or_fewer_has_trial_limits(client):
    store_series(MAIDSTONE, "robbery", "2016-01", [10, 11, 12, 9, 10, 11, 13, 12, 10, 9, 11, 12])
    html = client.get(f"/spc/{MAIDSTONE}/robbery/").content.decode()
    assert "Trial limits: the limits from January 2016 to December 2016 rest on 12 points." in html


def test_no_figures_says_so(client):
    response = client.get(f"/spc/{MAIDSTONE}/robbery/")
    assert response.status_code == 200
    assert "There are no monthly figures for robbery in Maidstone yet." in response.content.decode()


# --- Provisional figures --------------------------------------------------------------------------


def test_the_public_sees_final_figures_only_and_staff_see_provisional_marked(client, officer, partner):
    statuses = [Figure.STATUS_FINAL] * 22 + [Figure.STATUS_PROVISIONAL] * 2
    store_series(MAIDSTONE, "robbery", "2015-01", CRIME_24_MONTHS, status=statuses)
    public = client.get(f"/spc/{MAIDSTONE}/robbery/").content.decode()
    assert len(table_rows(public)) == 22 and "provisional" not in public.split("app-spc-table")[1]
    assert "Latest month: October 2016" in public

    client.force_login(partner)
    staff = client.get(f"/spc/{MAIDSTONE}/robbery/").content.decode()
    rows = table_rows(staff)
    assert len(rows) == 24 and "(provisional)" in rows[-1] and "(provisional)" not in rows[-3]
    assert "Latest month: December 2016" in staff and "Provisional figure" in staff


def test_scrutiny_members_see_final_figures_only(client, scrutiny):
    store_series(MAIDSTONE, "robbery", "2016-01", [10, 11, 12], status=[Figure.STATUS_FINAL] * 2 + ["provisional"])
    client.force_login(scrutiny)
    assert len(table_rows(client.get(f"/spc/{MAIDSTONE}/robbery/").content.decode())) == 2


# --- Small numbers --------------------------------------------------------------------------------


def test_a_series_with_small_numbers_is_withheld_from_the_public(client, officer, other_officer, analyst, partner):
    store_series(MAIDSTONE, "alcohol-hospital-admissions", "2015-04", [12, 3, 15, 14, 9, 11], months=3)
    url = f"/spc/{MAIDSTONE}/alcohol-hospital-admissions/"
    public = client.get(url).content.decode()
    assert "small numbers of alcohol-specific hospital admissions are not published" in public
    assert "app-spc-table" not in public and "spc-chart-data" not in public
    for user in (partner, other_officer):
        client.force_login(user)
        assert "app-spc-table" not in client.get(url).content.decode()
    for user in (analyst, officer):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "app-spc-table" in html and "suppressed in public" in html


def test_a_series_without_small_numbers_is_shown(client):
    store_series(MAIDSTONE, "alcohol-hospital-admissions", "2015-04", [12, 13, 15, 14], months=3)
    assert "app-spc-table" in client.get(f"/spc/{MAIDSTONE}/alcohol-hospital-admissions/").content.decode()


# --- Settings -------------------------------------------------------------------------------------


def test_run_length_is_a_setting(client):
    values = [30, 10] * 5 + [25] * 7 + [10, 30] * 3
    store_series(MAIDSTONE, "robbery", "2015-01", values)
    html = client.get(f"/spc/{MAIDSTONE}/robbery/").content.decode()
    assert "7 or more points in a row above the centre line" in html
    with override_settings(SPC_RUN_LENGTH=8):
        html = client.get(f"/spc/{MAIDSTONE}/robbery/").content.decode()
    assert "points in a row above the centre line" not in html.split("How to read")[0]
    assert "a run of 8 or more points" in html


# --- Index ----------------------------------------------------------------------------------------


def test_index_lists_districts_and_categories(client, ref):
    html = client.get("/spc/").content.decode()
    assert all(d.name in html for d in ref.districts)
    assert "Violence against the person" in html


def test_index_with_a_district_summarises_every_series(client):
    store_series(MAIDSTONE, "robbery", "2015-01", CRIME_24_MONTHS)
    response = client.get("/spc/", {"district": MAIDSTONE})
    html = response.content.decode()
    assert "SPC charts for Maidstone" in html
    summary = html.split("app-spc-summary")[1]
    assert "Robbery" in summary and "December 2016" in summary and "Common cause" in summary
    assert f'href="/spc/{MAIDSTONE}/robbery/?grain=month"' in summary
    assert "Burglary dwelling" not in summary  # no figures: not listed


def test_index_redirects_to_the_chart_and_rejects_bad_choices(client):
    response = client.get("/spc/", {"district": ASHFORD, "category": "shoplifting"})
    assert response.status_code == 302 and response["Location"] == f"/spc/{ASHFORD}/shoplifting/"
    bad = client.get("/spc/", {"district": "nowhere"})
    assert bad.status_code == 400 and "Choose a district from the list." in bad.content.decode()
    missing = client.get("/spc/", {"category": "shoplifting"})
    assert missing.status_code == 400 and "Choose the district to chart." in missing.content.decode()


def test_variation_summary_for_the_district_profile(officer):
    store_series(TUNBRIDGE_WELLS, "shoplifting", "2015-01", CRIME_24_MONTHS)
    rows = variation_summary(TUNBRIDGE_WELLS, user=officer)
    assert [r.category.slug for r in rows] == list(KEY_CATEGORIES)
    shoplifting = next(r for r in rows if r.category.slug == "shoplifting")
    assert shoplifting.latest_label == "December 2016" and shoplifting.variation == "common"
    assert shoplifting.suggested_step_change_label == "January 2016"
    assert next(r for r in rows if r.category.slug == "robbery" or r.category.slug == "burglary-dwelling").variation \
        == "missing"


# --- Queries --------------------------------------------------------------------------------------


def chart_page_queries(client, django_assert_max_num_queries, bound):
    with django_assert_max_num_queries(bound):
        response = client.get(f"/spc/{MAIDSTONE}/robbery/")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("signed_in", [False, True])
def test_chart_page_queries_do_not_grow_with_the_data(client, officer, django_assert_max_num_queries, signed_in):
    # On a cold cache (every store bumps the data generation): generation, reference data (3),
    # figures, step changes, commentary edit. An officer adds session, user, their roles and
    # districts (one query) and the step-change history.
    bound = 11 if signed_in else 7
    if signed_in:
        client.force_login(officer)
    store_series(MAIDSTONE, "robbery", "2015-01", CRIME_24_MONTHS)
    small = chart_page_queries(client, django_assert_max_num_queries, bound)
    assert len(table_rows(small.content.decode())) == 24

    from crimedata import reference

    for code in (MAIDSTONE, ASHFORD, TUNBRIDGE_WELLS):
        for slug in reference.additive_leaves("all-crime"):
            if (code, slug) != (MAIDSTONE, "robbery"):
                store_series(code, slug, "2013-01", [100 + i % 7 for i in range(48)])
    store_series(MAIDSTONE, "robbery", "2013-01", [30 + i % 5 for i in range(24)])
    add_step_change(
        user=officer, district=reference_data().district(MAIDSTONE),
        category=reference_data().category("robbery"), month=parse_month("2015-01"), reason="New rules",
    )
    large = chart_page_queries(client, django_assert_max_num_queries, bound)
    assert len(table_rows(large.content.decode())) == 48
