"""The completeness page: districts × quarters, each cell's state in words and colour, and the gaps."""

import re

import pytest
from django.utils import timezone

from crimedata.entry import Quarter
from crimedata.models import SignOff
from crimedata.periods import month_end, month_start
from tests.conftest import ASHFORD, MAIDSTONE, TUNBRIDGE_WELLS, add_figure
from tests.integration.entry_support import month_text

pytestmark = pytest.mark.django_db

YEAR = 2016  # 2016/17: every quarter has ended
ENTRY_MONTHLY = ("asb-incidents", "domestic-abuse-incidents", "domestic-abuse-repeat-victims")
ENTRY_QUARTERLY = ("marac-cases", "one-stop-shop-visitors", "alcohol-hospital-admissions")


def fill(code: str, quarter: Quarter, status: str = "final", skip: int = 0):
    """Enter every grid cell of the quarter for a district (leaving out the last ``skip`` cells)."""
    cells = [(slug, month_text(m), None) for slug in ENTRY_MONTHLY
             for m in range(quarter.window.start, quarter.window.end + 1)]
    cells += [(slug, month_text(quarter.window.start), month_text(quarter.window.end)) for slug in ENTRY_QUARTERLY]
    for slug, start, end in cells[: len(cells) - skip]:
        add_figure(code, slug, start, end, value=3, status=status)


def cell(html: str, district: str, column: int) -> str:
    row = re.search(rf"<th scope=\"row\" class=\"govuk-table__header\">{district}.*?</tr>", html, re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", "<td" + row.split("<td")[column])).strip()


def test_each_cell_says_its_state_in_words_and_colour(client, analyst):
    fill(MAIDSTONE, Quarter(YEAR, 1))
    fill(MAIDSTONE, Quarter(YEAR, 2), status="provisional")
    fill(MAIDSTONE, Quarter(YEAR, 3), skip=4)
    fill(ASHFORD, Quarter(YEAR, 1), skip=1)
    SignOff.objects.create(district_id=_district_id(ASHFORD), period_start=month_start(Quarter(YEAR, 1).window.start),
                           period_end=month_end(Quarter(YEAR, 1).window.end), signed_off_by=analyst)
    client.force_login(analyst)
    response = client.get("/entry/completeness/", {"year": YEAR})
    html = response.content.decode()
    assert response.status_code == 200
    assert cell(html, "Maidstone", 1).startswith("Entered (final) 12 of 12 figures entered")
    assert cell(html, "Maidstone", 2).startswith("Entered (provisional) 12 of 12 figures entered")
    assert cell(html, "Maidstone", 3).startswith("Partly entered 8 of 12 figures entered")
    assert cell(html, "Maidstone", 4).startswith("Missing 0 of 12 figures entered")
    assert cell(html, "Ashford", 1).startswith("Signed off 11 of 12 figures entered for Ashford, Q1 2016/17 Signed off by county.analyst on")
    for tag in ("govuk-tag--green", "govuk-tag--light-blue", "govuk-tag--yellow", "govuk-tag--red", "govuk-tag--blue"):
        assert tag in html
    # Each cell links to its grid (analysts may open every district's).
    assert f'href="/entry/{MAIDSTONE}/{YEAR}-q3/"' in html and f'href="/entry/{TUNBRIDGE_WELLS}/{YEAR}-q1/"' in html
    # Where the county's data has gaps.
    gaps = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('id="gaps"')[1].split("</ul>")[0]))
    assert "Maidstone, Q3 2016/17: partly entered (8 of 12 figures entered)" in gaps
    assert "Tunbridge Wells, Q1 2016/17: missing (0 of 12 figures entered)" in gaps
    assert "Ashford, Q1" not in gaps  # signed off, even though one figure is missing
    assert "49 of 52 district quarters in 2016/17 have figures missing" in html


def _district_id(code):
    from crimedata.models import District

    return District.objects.get(code=code).pk


def test_officers_see_every_district_but_link_only_to_their_own(client, officer):
    client.force_login(officer)
    html = client.get("/entry/completeness/", {"year": YEAR}).content.decode()
    assert f'href="/entry/{MAIDSTONE}/{YEAR}-q1/"' in html
    assert f'href="/entry/{TUNBRIDGE_WELLS}/{YEAR}-q1/"' not in html
    assert "Maidstone <span class=\"govuk-body-s\">(yours)</span>" in html


def test_quarters_not_started_are_marked_so(client, analyst):
    today = timezone.localdate()
    current = Quarter.containing(today.year * 12 + today.month - 1)
    client.force_login(analyst)
    html = client.get("/entry/completeness/", {"year": current.year}).content.decode()
    if current.number < 4:
        assert "Not started yet" in html


def test_a_bad_year_is_refused_with_a_message(client, analyst):
    client.force_login(analyst)
    response = client.get("/entry/completeness/", {"year": "1850"})
    assert response.status_code == 400
    assert "Choose a financial year from 2000/01" in response.content.decode()
    assert client.get("/entry/completeness/", {"year": "abc"}).status_code == 400


@pytest.mark.parametrize("more_data", [False, True])
def test_completeness_query_count_does_not_grow_with_figures(client, analyst, django_assert_max_num_queries, more_data):
    if more_data:
        for code in (MAIDSTONE, ASHFORD, TUNBRIDGE_WELLS):
            for q in range(1, 5):
                fill(code, Quarter(YEAR, q))
        SignOff.objects.create(district_id=_district_id(MAIDSTONE), period_start=month_start(Quarter(YEAR, 1).window.start),
                               period_end=month_end(Quarter(YEAR, 1).window.end))
    client.force_login(analyst)
    client.get("/entry/completeness/", {"year": YEAR})
    with django_assert_max_num_queries(6):
        assert client.get("/entry/completeness/", {"year": YEAR}).status_code == 200
