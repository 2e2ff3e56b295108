"""The quarterly entry grid through the Django client: prefill, last year, validation, saving, conflicts."""

import re

import pytest
from django.test import Client

from crimedata.models import Figure, SignOff
from crimedata.periods import month_end
from tests.conftest import MAIDSTONE, TUNBRIDGE_WELLS, add_figure
from tests.integration.entry_support import Q1_2016, current_grid, form_data, grid_url, stored

pytestmark = pytest.mark.django_db

URL = grid_url()


@pytest.fixture
def seeded(db):
    """Maidstone ASB: April 2015 = 100 and April 2016 = 120 (provisional); MARAC Q1 2015/16 = 40."""
    add_figure(MAIDSTONE, "asb-incidents", "2015-04", value=100)
    add_figure(MAIDSTONE, "asb-incidents", "2015-05", value=80)
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=120, status=Figure.STATUS_PROVISIONAL)
    add_figure(MAIDSTONE, "marac-cases", "2015-04", "2015-06", value=40)


def test_the_grid_prefills_values_and_shows_last_year_with_the_change(client, officer, seeded):
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="value-asb-incidents-2016-04"' in html and 'value="120"' in html
    # Same month last year beside it, with the change worked out (never typed).
    assert "Last year: 100." in html and "Change: +20.0%." in html
    # Months without a figure say so; blank is never 0.
    assert "Not entered." in html
    # A quarterly category has one cell spanning the three month columns.
    assert 'id="value-marac-cases-2016-q1"' in html and 'colspan="3"' in html
    for month in ("April 2016", "May 2016", "June 2016"):
        assert f'<th scope="col" class="govuk-table__header">{month}</th>' in html
    assert "csrfmiddlewaretoken" in html


def test_rows_are_exactly_the_categories_districts_enter(client, officer, ref):
    client.force_login(officer)
    html = client.get(URL).content.decode()
    rows = re.findall(r'app-entry-grid__category">\s*([^<]+?)\s*<', html)
    assert rows == [c.name for c in ref.categories if c.entry == "district"]
    assert "Robbery" not in rows


def test_saving_writes_one_transaction_and_says_what_changed(client, officer, seeded):
    client.force_login(officer)
    grid = current_grid()
    data = form_data(grid, {"asb-incidents-2016-04": "125", "asb-incidents-2016-05": "90",
                            "marac-cases-2016-q1": "41"})
    response = client.post(URL, data)
    assert response.status_code == 302 and response["Location"] == URL
    assert (stored(MAIDSTONE, "asb-incidents", "2016-04").value, stored(MAIDSTONE, "asb-incidents", "2016-05").value) == (125, 90)
    # The June cell was left blank: it stays missing, not 0.
    assert stored(MAIDSTONE, "asb-incidents", "2016-06") is None
    page = client.get(URL).content.decode()
    assert "Figures saved: 3 figures changed." in page
    changes = page.split('id="saved-changes"')[1].split("</table>")[0]
    assert re.search(r"Anti-social behaviour incidents, April 2016</th>\s*<td[^>]*>120</td>\s*<td[^>]*>125</td>", changes)
    assert re.search(r"May 2016</th>\s*<td[^>]*><span class=\"app-missing\">not entered</span></td>\s*<td[^>]*>90</td>", changes)
    # The confirmation is shown once.
    assert "Figures saved" not in client.get(URL).content.decode()
    history = Figure.history.filter(source=Figure.SOURCE_GRID)
    assert history.count() == 3 and set(history.values_list("history_user", flat=True)) == {officer.pk}


def test_saving_an_unchanged_page_changes_nothing(client, officer, seeded):
    client.force_login(officer)
    before = Figure.history.count()
    client.post(URL, form_data(current_grid()))
    assert Figure.history.count() == before
    assert "Nothing changed" in client.get(URL).content.decode()


@pytest.mark.parametrize("typed,reason", [
    ("-3", ", written without a plus or minus sign (&#x27;-3&#x27;)"),
    ("2.5", ", without a decimal point (&#x27;2.5&#x27;)"),
    ("XXX", ""),
    ("12x", ""),
])
def test_only_whole_numbers_of_0_or_more_are_accepted(client, officer, seeded, typed, reason):
    client.force_login(officer)
    data = form_data(current_grid(), {"asb-incidents-2016-05": "90", "asb-incidents-2016-06": typed})
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 400
    # The input rules' own words (crimedata.rules), the same an import gives for this value.
    message = "Anti-social behaviour incidents for June 2016 must be a whole number of 0 or more" + reason
    # GOV.UK error summary linking to the field, and the message at the field.
    assert f'<a href="#value-asb-incidents-2016-06">{message}</a>' in html
    assert 'id="value-asb-incidents-2016-06-error"' in html
    assert html.count("<title>Error: ") == 1
    # Nothing at all was saved, not even the valid May figure.
    assert stored(MAIDSTONE, "asb-incidents", "2016-05") is None


def test_a_change_of_more_than_half_needs_a_note(client, officer, seeded):
    client.force_login(officer)
    data = form_data(current_grid(), {"asb-incidents-2016-04": "200"})
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert ('<a href="#note-asb-incidents-2016-04">Anti-social behaviour incidents for April 2016 is +100.0% on '
            "April 2015 (100). A change of more than 50% needs a note") in html
    assert stored(MAIDSTONE, "asb-incidents", "2016-04").value == 120
    # The note box is open so the link reaches it.
    assert re.search(r'<details class="[^"]*app-entry-note" open>\s*<summary[^>]*>.*?</summary>\s*<div[^>]*>\s*'
                     r'<div class="[^"]*govuk-form-group--error', html, re.S)

    data["note-asb-incidents-2016-04"] = "Town-centre operation moved incidents into April."
    assert client.post(URL, data).status_code == 302
    figure = stored(MAIDSTONE, "asb-incidents", "2016-04")
    assert (figure.value, figure.note) == (200, "Town-centre operation moved incidents into April.")


def test_a_fall_of_more_than_half_and_a_rise_from_zero_need_notes_too(client, officer, seeded):
    add_figure(MAIDSTONE, "asb-incidents", "2015-06", value=0)
    client.force_login(officer)
    data = form_data(current_grid(), {"asb-incidents-2016-05": "30", "asb-incidents-2016-06": "4"})
    html = client.post(URL, data).content.decode()
    assert "for May 2016 is \u221262.5% on May 2015 (80)" in html
    assert "for June 2016 rose from 0 in June 2015 to 4" in html


def test_no_note_is_needed_without_last_year_or_for_an_untouched_figure(client, officer, db):
    # No figure a year earlier: nothing to compare, so no note. An old jump already saved is left alone.
    add_figure(MAIDSTONE, "asb-incidents", "2015-04", value=10)
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=90)
    client.force_login(officer)
    data = form_data(current_grid(), {"domestic-abuse-incidents-2016-04": "500"})
    assert client.post(URL, data).status_code == 302


def test_a_stored_figure_cannot_be_blanked(client, officer, seeded):
    client.force_login(officer)
    response = client.post(URL, form_data(current_grid(), {"asb-incidents-2016-04": ""}))
    assert response.status_code == 400
    assert "April 2016 cannot be left blank because a figure has been entered (120)" in response.content.decode()
    assert stored(MAIDSTONE, "asb-incidents", "2016-04").value == 120


def test_final_marks_every_figure_on_the_page_final(client, officer, seeded):
    client.force_login(officer)
    client.post(URL, form_data(current_grid(), {"asb-incidents-2016-05": "70"}, status="final"))
    assert set(Figure.objects.filter(period_start__year=2016).values_list("status", flat=True)) == {"final"}


def test_provisional_keeps_the_status_of_figures_that_did_not_change(client, officer, db):
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=50, status="final")
    client.force_login(officer)
    client.post(URL, form_data(current_grid(), {"asb-incidents-2016-05": "60"}))
    assert stored(MAIDSTONE, "asb-incidents", "2016-04").status == "final"
    assert stored(MAIDSTONE, "asb-incidents", "2016-05").status == "provisional"


def test_a_save_based_on_a_changed_figure_is_refused_as_a_whole(client, officer, analyst, seeded):
    client.force_login(officer)
    opened = current_grid()  # the officer's page, with version 1 of April
    # Meanwhile a county analyst corrects April.
    other = Client()
    other.force_login(analyst)
    assert other.post(URL, form_data(current_grid(), {"asb-incidents-2016-04": "130"})).status_code == 302

    response = client.post(URL, form_data(opened, {"asb-incidents-2016-04": "125", "asb-incidents-2016-05": "90"}))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Nothing was saved: 1 figure changed after you opened this page" in html
    assert ("Anti-social behaviour incidents, April 2016: was changed by someone else after you opened this page. "
            "In the database now: 130; you typed 125.") in html
    assert f'href="{URL}" id="reload-grid"' in html
    # Refused as a whole: May, which nobody else touched, was not saved either.
    assert stored(MAIDSTONE, "asb-incidents", "2016-04").value == 130
    assert stored(MAIDSTONE, "asb-incidents", "2016-05") is None
    # The page now carries the current version, so saving again is a deliberate choice.
    assert 'name="version-asb-incidents-2016-04" value="2"' in html


def test_a_figure_entered_by_someone_else_into_an_empty_cell_is_a_conflict(client, officer, analyst, seeded):
    client.force_login(officer)
    opened = current_grid()
    other = Client()
    other.force_login(analyst)
    other.post(URL, form_data(current_grid(), {"asb-incidents-2016-06": "77"}))
    response = client.post(URL, form_data(opened, {"asb-incidents-2016-06": "70"}))
    assert response.status_code == 409
    assert "was entered by someone else after you opened this page. In the database now: 77; you typed 70." in (
        response.content.decode())
    assert stored(MAIDSTONE, "asb-incidents", "2016-06").value == 77


def test_validation_errors_keep_the_versions_the_page_opened_with(client, officer, analyst, seeded):
    client.force_login(officer)
    opened = current_grid()
    other = Client()
    other.force_login(analyst)
    other.post(URL, form_data(current_grid(), {"asb-incidents-2016-04": "130"}))
    html = client.post(URL, form_data(opened, {"asb-incidents-2016-06": "x"})).content.decode()
    # Re-showing the form after an error must not quietly adopt the newer version.
    assert 'name="version-asb-incidents-2016-04" value="1"' in html


def test_another_districts_grid_is_forbidden(client, officer, seeded):
    client.force_login(officer)
    response = client.get(grid_url(TUNBRIDGE_WELLS))
    assert response.status_code == 403
    assert "Tunbridge Wells is not one of yours" in response.content.decode()
    data = form_data(current_grid(TUNBRIDGE_WELLS), {"asb-incidents-2016-04": "5"})
    assert client.post(grid_url(TUNBRIDGE_WELLS), data).status_code == 403
    assert not Figure.objects.filter(district__code=TUNBRIDGE_WELLS).exists()


def test_unknown_districts_and_unstarted_quarters_are_not_found(client, officer):
    client.force_login(officer)
    assert client.get("/entry/E99999999/2016-q1/").status_code == 404
    assert client.get(grid_url(quarter=Q1_2016.shifted(60))).status_code == 404
    assert client.get(f"/entry/{MAIDSTONE}/2016-q5/").status_code == 404


def test_a_figure_stored_with_another_shape_blocks_its_cells(client, analyst, db):
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", "2016-06", value=300)
    client.force_login(analyst)
    html = client.get(URL).content.decode()
    assert html.count("Stored as one figure for April 2016 to June 2016 (300), so it cannot be entered here") == 3
    assert 'id="value-asb-incidents-2016-04"' not in html


def test_a_signed_off_quarter_is_read_only_and_refuses_a_post(client, officer, seeded):
    figure = stored(MAIDSTONE, "asb-incidents", "2016-04")
    data = form_data(current_grid(), {"asb-incidents-2016-04": "125"})
    SignOff.objects.create(district=figure.district, period_start=figure.period_start,
                           period_end=month_end(2016 * 12 + 5))
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert "Signed off" in html and "only an administrator can correct one, giving a reason" in html
    assert 'id="value-asb-incidents-2016-04"' not in html and "<strong>120</strong>" in html
    response = client.post(URL, data)
    assert response.status_code == 409
    assert "Nothing was saved." in response.content.decode()
    assert stored(MAIDSTONE, "asb-incidents", "2016-04").value == 120


def test_every_post_needs_the_csrf_token(officer, seeded):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(URL, form_data(current_grid(), {"asb-incidents-2016-05": "90"}))
    assert response.status_code == 403
    assert stored(MAIDSTONE, "asb-incidents", "2016-05") is None


@pytest.mark.parametrize("more_data", [False, True])
def test_grid_query_count_does_not_grow_with_figures(client, officer, seeded, django_assert_max_num_queries, more_data):
    if more_data:
        for year in range(2005, 2015):
            for month in range(1, 13):
                for slug in ("asb-incidents", "domestic-abuse-incidents"):
                    add_figure(MAIDSTONE, slug, f"{year}-{month:02d}", value=month)
    client.force_login(officer)
    client.get(URL)  # warm the reference-data cache, as any visit after the first
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200
    data = form_data(current_grid(), {"asb-incidents-2016-05": "90"})
    # A save: session, user, roles, the grid's reads, then one transaction (lock, write, history, generation).
    with django_assert_max_num_queries(20):
        assert client.post(URL, data).status_code == 302


@pytest.mark.parametrize("more_data", [False, True])
def test_entry_home_query_count(client, officer, analyst, django_assert_max_num_queries, more_data):
    if more_data:
        for month in range(1, 13):
            add_figure(MAIDSTONE, "asb-incidents", f"2025-{month:02d}", value=month)
    for person in (officer, analyst):
        client.force_login(person)
        client.get("/entry/")
        with django_assert_max_num_queries(8):
            response = client.get("/entry/")
        assert response.status_code == 200


def test_entry_home_lists_the_officers_quarters_and_opens_one(client, officer):
    client.force_login(officer)
    html = client.get("/entry/").content.decode()
    assert "Maidstone: recent quarters" in html and "Missing" in html
    response = client.get("/entry/", {"district": MAIDSTONE, "quarter": "2016-q1"})
    assert response.status_code == 302 and response["Location"] == URL
    bad = client.get("/entry/", {"district": TUNBRIDGE_WELLS, "quarter": "2016-q1"})
    assert bad.status_code == 200 and "Choose one of your districts" in bad.content.decode()


def test_an_officer_without_a_district_is_told_so(client, db):
    from crimedata import roles
    from tests.conftest import make_user

    client.force_login(make_user("new.officer", roles.OFFICER))
    assert "You have not been given a district yet" in client.get("/entry/").content.decode()
