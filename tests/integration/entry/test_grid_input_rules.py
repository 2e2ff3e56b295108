"""The entry grid, correction and sign-off forms apply the same note rules as every import (crimedata.rules)."""

import html as html_lib

import pytest

from crimedata.models import Figure, SignOff
from crimedata.periods import month_end
from tests.conftest import MAIDSTONE, add_figure
from tests.integration.entry_support import current_grid, form_data, grid_url, recent_quarter, stored

pytestmark = pytest.mark.django_db

CELL = "asb-incidents-2016-04"
NUL = ("contains a NUL character (a zero byte, usually left by copying from another program or by a damaged file), "
       "which cannot be stored: delete it")


def _text(response) -> str:
    return html_lib.unescape(response.content.decode())


@pytest.mark.parametrize("note,problem", [
    ("checked\x00twice", NUL),
    ("ring\x07the bell", "contains a control character (U+0007), which cannot be stored: delete it"),
    ("x" * 1001, "must be 1,000 characters or fewer (it has 1,001)"),
    ("=1+1", "starts with '=', which spreadsheets treat as a formula: paste values only, or start the note with a word"),
])
def test_a_new_note_breaking_a_rule_is_refused_in_the_words_an_import_uses(client, officer, note, problem):
    client.force_login(officer)
    response = client.post(grid_url(), form_data(current_grid(), {CELL: "12"}, {CELL: note}))
    assert response.status_code == 400
    assert f"The note for Anti-social behaviour incidents, April 2016, {problem}" in _text(response)
    assert Figure.objects.count() == 0


def test_a_stored_note_never_stops_the_grid_being_saved(client, officer):
    # Stored before the upload refused long notes: the quarter's grid must still save.
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=120, status=Figure.STATUS_PROVISIONAL, note="x" * 100_000)
    client.force_login(officer)
    response = client.post(grid_url(), form_data(current_grid(), {"asb-incidents-2016-05": "90"}))
    assert response.status_code == 302
    assert stored(MAIDSTONE, "asb-incidents", "2016-05").value == 90
    assert len(stored(MAIDSTONE, "asb-incidents", "2016-04").note) == 100_000


def test_a_correction_reason_follows_the_note_rules(client, administrator):
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=120)
    SignOff.objects.create(district_id=stored(MAIDSTONE, "asb-incidents", "2016-04").district_id,
                           period_start="2016-04-01", period_end=month_end(2016 * 12 + 5))
    client.force_login(administrator)
    data = form_data(current_grid(), {CELL: "125"}, reason="typo\x00")
    data.pop("status")
    response = client.post(grid_url(suffix="correct/"), data)
    assert response.status_code == 400
    assert f"The reason {NUL}" in _text(response)
    assert stored(MAIDSTONE, "asb-incidents", "2016-04").value == 120


def test_a_sign_off_note_follows_the_note_rules(client, analyst):
    quarter = recent_quarter()
    client.force_login(analyst)
    response = client.post("/entry/sign-off/", {"quarter": quarter.slug, "district": MAIDSTONE, "note": "y" * 1001,
                                                "confirm": "1"})
    assert response.status_code == 400
    assert "The note must be 1,000 characters or fewer (it has 1,001)" in _text(response)
    assert SignOff.objects.count() == 0
