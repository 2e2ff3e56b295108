"""History: every write path leaves a record; the history page; 'as reported on' a date."""

import ast
import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crimedata.models import Figure
from crimedata.services import FigureInput, save_figures
from crimedata.signoff import sign_off_period
from tests.conftest import MAIDSTONE, ROOT, add_figure
from tests.integration.entry_support import (
    csv_bytes, current_grid, form_data, grid_url, month_text, recent_quarter, stored,
)

pytestmark = pytest.mark.django_db

URL = f"/history/{MAIDSTONE}/asb-incidents/"


def _rows(html: str) -> list[str]:
    table = html.split('id="history-changes"')[1].split("</table>")[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in table.split('<tr class="govuk-table__row">')[2:]]


def test_every_write_path_leaves_history_rows(client, officer, analyst, administrator, ref, tmp_path, settings):
    settings.UPLOAD_STAGING_DIR = str(tmp_path)
    quarter = recent_quarter()
    first, second = month_text(quarter.window.start), month_text(quarter.window.start + 1)
    key = f"asb-incidents-{first}"

    # 1. A grid save.
    client.force_login(officer)
    client.post(grid_url(MAIDSTONE, quarter), form_data(current_grid(MAIDSTONE, quarter), {key: "120"}))
    figure = stored(MAIDSTONE, "asb-incidents", first)
    assert [(h.source, h.value, h.history_user) for h in figure.history.all()] == [("grid", 120, officer)]

    # 2. An upload (with the file name kept).
    end = current_grid(MAIDSTONE, quarter).cell(f"asb-incidents-{second}").window.end_date
    preview = client.post("/entry/upload/", {"file": SimpleUploadedFile("may.csv", csv_bytes(
        [f"Maidstone,asb-incidents,{second}-01,{end},95,,"]))})
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    client.post("/entry/upload/confirm/", {"token": token})
    uploaded = stored(MAIDSTONE, "asb-incidents", second)
    assert [(h.source, h.source_detail, h.value) for h in uploaded.history.all()] == [("upload", "may.csv", 95)]

    # 3. A sign-off (status change through the same path).
    sign_off_period(user=analyst, districts=[ref.district(MAIDSTONE)], window=quarter.window, label=quarter.label,
                    today=timezone.localdate())
    assert figure.history.first().source == "sign-off" and figure.history.first().status == "final"

    # 4. An administrator's correction, with its reason.
    client.force_login(administrator)
    data = form_data(current_grid(MAIDSTONE, quarter), {key: "119"}, reason="Duplicate incident removed")
    assert client.post(grid_url(MAIDSTONE, quarter, "correct/"), data).status_code == 302
    latest = figure.history.first()
    assert (latest.source, latest.value, latest.history_change_reason, latest.history_user) == (
        "admin", 119, "Duplicate incident removed", administrator)
    assert figure.history.count() == 3

    # The history page shows all of it.
    html = client.get(URL).content.decode()
    rows = _rows(html)
    assert rows[0].endswith("120 → 119 Final site.admin Administrator correction: Maidstone "
                            f"{quarter.short_label} Reason: Duplicate incident removed")
    assert "Provisional → Final county.analyst Sign-off (marked final)" in html.replace("\n", " ") or any(
        "Provisional → Final county.analyst Sign-off (marked final)" in r for r in rows)
    assert any("Entered: 95" in r and "Spreadsheet upload: may.csv" in r for r in rows)
    assert any("Entered: 120" in r and "maidstone.officer Quarterly entry grid" in r for r in rows)


PRODUCT_CODE = [ROOT / "crimedata", ROOT / "assessments", ROOT / "csp_portal"]
BYPASSES = {"update", "bulk_update", "bulk_create", "_raw_delete", "delete"}


def test_no_product_code_writes_figures_around_the_history():
    """queryset.update(), bulk_update() and bulk_create() create no history rows (ecosystem.md §2.5).

    Scan every module for a call chain that starts at Figure (Figure.objects...) and ends in one of
    them. The demo reset, which deletes figures together with all their history, is the one exception.
    """
    offenders = []
    for folder in PRODUCT_CODE:
        for path in folder.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in BYPASSES:
                    chain = ast.unparse(node.func.value)
                    if chain.startswith(("Figure.objects", "Figure._default_manager", "models.Figure")):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)[:80]}")
    allowed = [o for o in offenders if "load_demo.py" in o and "_raw_delete" in o]
    assert offenders == allowed, offenders


def test_the_history_page_lists_who_when_what_and_why(client, partner, analyst):
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=120, status="provisional")
    figure = stored(MAIDSTONE, "asb-incidents", "2016-04")
    save_figures([FigureInput(figure.district_id, figure.category_id, figure.period_start, figure.period_end, 125,
                              note="Late reports added")], user=analyst, source="grid", reason="Checked the log")
    client.force_login(partner)
    html = client.get(URL).content.decode()
    rows = _rows(html)
    assert len(rows) == 2
    assert "April 2016 120 → 125 Provisional county.analyst Quarterly entry grid Reason: Checked the log Note: Late reports added" in rows[0]
    assert "Entered: 120" in rows[1]


def test_as_reported_on_a_date_shows_what_a_committee_saw(client, officer):
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=120, status="provisional")
    add_figure(MAIDSTONE, "asb-incidents", "2016-05", value=90, status="provisional")
    committee_day = dt.date(2017, 2, 9)
    # Both were entered before the committee met ...
    Figure.history.update(history_date=timezone.make_aware(dt.datetime(2017, 1, 20, 10)))
    # ... April was corrected afterwards, and June entered afterwards.
    april = stored(MAIDSTONE, "asb-incidents", "2016-04")
    save_figures([FigureInput(april.district_id, april.category_id, april.period_start, april.period_end, 131,
                              status="final")], source="grid")
    add_figure(MAIDSTONE, "asb-incidents", "2016-06", value=70)
    client.force_login(officer)
    html = client.get(URL, {"as_of": committee_day.isoformat(), "year": "2016"}).content.decode()
    table = html.split('id="as-reported"')[1].split("</table>")[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table))
    assert "as reported at the end of 9 February 2017" in text
    assert "June 2016 not entered 70 (final) Yes" in text
    assert "May 2016 90 (provisional) 90 (provisional) No" in text
    assert "April 2016 120 (provisional) 131 (final) Yes" in text
    # The end of the day counts: a change at 23:30 that day was what the paper showed.
    Figure.history.filter(value=131).update(history_date=timezone.make_aware(dt.datetime(2017, 2, 9, 23, 30)))
    html = client.get(URL, {"as_of": "2017-02-09", "year": "2016"}).content.decode()
    assert "April 2016 131 (final) 131 (final) No" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_bad_date_is_refused_with_a_plain_message(client, officer):
    client.force_login(officer)
    response = client.get(URL, {"as_of": "09/02/2017"})
    html = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_as_of">Enter a real date, for example 2017-02-09</a>' in html


def test_unknown_district_or_category_is_not_found(client, officer):
    client.force_login(officer)
    assert client.get("/history/E99999999/asb-incidents/").status_code == 404
    assert client.get(f"/history/{MAIDSTONE}/no-such-thing/").status_code == 404


def test_the_pickers_move_to_another_series(client, officer):
    client.force_login(officer)
    response = client.get(URL, {"district": "E07000116", "category": "marac-cases"})
    assert response.status_code == 302 and response["Location"] == "/history/E07000116/marac-cases/"


@pytest.mark.parametrize("more_data", [False, True])
def test_history_query_count_does_not_grow_with_changes(client, officer, django_assert_max_num_queries, more_data):
    add_figure(MAIDSTONE, "asb-incidents", "2016-04", value=1)
    if more_data:
        figure = stored(MAIDSTONE, "asb-incidents", "2016-04")
        for value in range(2, 60):
            save_figures([FigureInput(figure.district_id, figure.category_id, figure.period_start,
                                      figure.period_end, value)], source="grid")
        for month in range(1, 13):
            add_figure(MAIDSTONE, "asb-incidents", f"2015-{month:02d}", value=month)
    client.force_login(officer)
    client.get(URL)
    # Session, user, roles, generation, district access; history, as-of, current figures, sign-offs.
    with django_assert_max_num_queries(9):
        assert client.get(URL, {"as_of": "2030-01-01"}).status_code == 200
