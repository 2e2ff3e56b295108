"""Sign-off: a county analyst locks a quarter; forms, uploads and the command refuse changes;
an administrator corrects a locked figure only with a reason."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from crimedata.entry import Quarter
from crimedata.models import Figure, SignOff
from crimedata.signoff import SignOffRefused, sign_off_covering, sign_off_period
from tests.conftest import ASHFORD, MAIDSTONE, TUNBRIDGE_WELLS, add_figure
from tests.integration.entry_support import current_grid, form_data, grid_url, month_text, recent_quarter, stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter() -> Quarter:
    return recent_quarter()


@pytest.fixture
def entered(quarter):
    """Maidstone's first month of the quarter entered (provisional); Tunbridge Wells' too."""
    first = month_text(quarter.window.start)
    add_figure(MAIDSTONE, "asb-incidents", first, value=120, status="provisional")
    add_figure(MAIDSTONE, "domestic-abuse-incidents", first, value=300, status="final")
    add_figure(TUNBRIDGE_WELLS, "asb-incidents", first, value=80, status="provisional")
    return first


def _sign_off(client, quarter, district="all", note=""):
    data = {"quarter": quarter.slug, "district": district, "note": note}
    check = client.post("/entry/sign-off/", data)
    done = client.post("/entry/sign-off/", {**data, "confirm": "1"})
    return check, done


def test_signing_off_shows_what_will_happen_then_locks_the_quarter(client, analyst, quarter, entered):
    client.force_login(analyst)
    data = {"quarter": quarter.slug, "district": MAIDSTONE, "note": "Agreed at the CSP meeting"}
    check = client.post("/entry/sign-off/", data)
    html = check.content.decode()
    assert check.status_code == 200 and f"Check before signing off {quarter.label}" in html
    plan = html.split('id="sign-off-plan"')[1].split("</table>")[0]
    assert re.search(r"Maidstone</th>\s*<td[^>]*><strong class=\"govuk-tag govuk-tag--yellow\">Partly entered</strong> 2 of 12", plan)
    assert re.search(r"<td[^>]*>1</td>\s*<td[^>]*>1</td>\s*<td[^>]*>Will be signed off", plan)
    assert "still has figures missing" in html
    assert not SignOff.objects.exists()  # nothing happens before confirming
    assert 'name="confirm" value="1"' in html

    assert client.post("/entry/sign-off/", {**data, "confirm": "1"}).status_code == 302
    sign_off = SignOff.objects.get()
    assert (sign_off.district.code, sign_off.signed_off_by, sign_off.note) == (MAIDSTONE, analyst, "Agreed at the CSP meeting")
    figure = stored(MAIDSTONE, "asb-incidents", entered)
    assert (figure.status, figure.value, figure.version) == ("final", 120, 2)
    # The status change went through the history-recording path, naming who and why.
    last = figure.history.first()
    assert (last.history_user, last.source, last.status) == (analyst, "sign-off", "final")
    assert last.history_change_reason == f"Signed off: {quarter.label}. Agreed at the CSP meeting"
    # Tunbridge Wells was not signed off.
    assert stored(TUNBRIDGE_WELLS, "asb-incidents", entered).status == "provisional"
    page = client.get("/entry/sign-off/").content.decode()
    assert f"{quarter.label} signed off for Maidstone: 1 figure marked final." in page
    assert "Agreed at the CSP meeting" in page.split('id="recent-sign-offs"')[1]


def test_signing_off_all_districts(client, analyst, quarter, entered, ref):
    client.force_login(analyst)
    _sign_off(client, quarter, MAIDSTONE)
    check, done = _sign_off(client, quarter)
    assert "Already signed off" in check.content.decode()
    assert SignOff.objects.count() == len(ref.districts)
    assert set(Figure.objects.values_list("status", flat=True)) == {"final"}
    assert "Already signed off before: Maidstone." in client.get("/entry/sign-off/").content.decode()


def test_a_quarter_that_has_not_ended_cannot_be_signed_off(analyst, ref):
    current = Quarter.containing(timezone.localdate().year * 12 + timezone.localdate().month - 1)
    with pytest.raises(SignOffRefused, match="has not ended yet"):
        sign_off_period(user=analyst, districts=[ref.district(MAIDSTONE)], window=current.window,
                        label=current.label, today=timezone.localdate())
    assert not SignOff.objects.exists()


def test_the_form_offers_only_ended_quarters(client, analyst):
    client.force_login(analyst)
    current = Quarter.containing(timezone.localdate().year * 12 + timezone.localdate().month - 1)
    response = client.post("/entry/sign-off/", {"quarter": current.slug, "district": "all", "confirm": "1"})
    assert response.status_code == 400 and "Choose one of the quarters listed" in response.content.decode()
    assert not SignOff.objects.exists()


def test_after_sign_off_the_grid_the_upload_and_the_command_refuse_changes(client, officer, analyst, quarter, entered,
                                                                         tmp_path, settings):
    settings.UPLOAD_STAGING_DIR = str(tmp_path / "staging")
    client.force_login(officer)
    opened = current_grid(MAIDSTONE, quarter)
    client.force_login(analyst)
    _sign_off(client, quarter, MAIDSTONE)
    client.force_login(officer)
    key = f"asb-incidents-{entered}"
    # The grid the officer opened before the sign-off.
    response = client.post(grid_url(MAIDSTONE, quarter), form_data(opened, {key: "125"}))
    assert response.status_code == 409
    # An upload.
    row = f"Maidstone,asb-incidents,{entered}-01,{opened.cell(key).window.end_date},125"
    upload = client.post("/entry/upload/", {"file": SimpleUploadedFile("late.csv", (
        "district,category,period_start,period_end,value\n" + row + "\n").encode())})
    assert "is in a period that has been signed off" in upload.content.decode(), re.findall(
        r'<td class="govuk-table__cell">([^<]*)</td>', upload.content.decode())
    # The import command.
    path = tmp_path / "late.csv"
    path.write_text("district,category,period_start,period_end,value\n" + row + "\n")
    with pytest.raises(CommandError):
        call_command("import_figures", str(path), stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))
    assert stored(MAIDSTONE, "asb-incidents", entered).value == 120


def test_an_administrator_corrects_a_locked_figure_only_with_a_reason(client, administrator, analyst, quarter, entered):
    client.force_login(analyst)
    _sign_off(client, quarter, MAIDSTONE)
    client.force_login(administrator)
    url = grid_url(MAIDSTONE, quarter)
    grid_page = client.get(url).content.decode()
    assert 'id="correct-link"' in grid_page
    correct = grid_url(MAIDSTONE, quarter, "correct/")
    page = client.get(correct)
    assert page.status_code == 200 and "Reason for the correction" in page.content.decode()
    key = f"asb-incidents-{entered}"
    data = form_data(current_grid(MAIDSTONE, quarter), {key: "121"})
    data.pop("status")
    refused = client.post(correct, data)
    assert refused.status_code == 400
    assert '<a href="#id_reason">Enter the reason for the correction</a>' in refused.content.decode()
    assert stored(MAIDSTONE, "asb-incidents", entered).value == 120

    data["reason"] = "Kent Police re-ran the extract: one incident was recorded twice."
    assert client.post(correct, data).status_code == 302
    figure = stored(MAIDSTONE, "asb-incidents", entered)
    assert (figure.value, figure.status, figure.source) == (121, "final", "admin")
    last = figure.history.first()
    assert (last.history_user, last.history_change_reason) == (
        administrator, "Kent Police re-ran the extract: one incident was recorded twice.")
    assert "Correction saved: 1 figure changed." in client.get(url).content.decode()


def test_only_administrators_may_correct(client, analyst, officer, quarter, entered):
    client.force_login(analyst)
    _sign_off(client, quarter, MAIDSTONE)
    for person in (analyst, officer):
        client.force_login(person)
        response = client.get(grid_url(MAIDSTONE, quarter, "correct/"))
        assert response.status_code == 403
        assert 'id="correct-link"' not in client.get(grid_url(MAIDSTONE, quarter)).content.decode()


def test_the_correction_page_is_only_for_signed_off_quarters(client, administrator, quarter):
    client.force_login(administrator)
    response = client.get(grid_url(MAIDSTONE, quarter, "correct/"))
    assert response.status_code == 302 and response["Location"] == grid_url(MAIDSTONE, quarter)


def test_officers_cannot_sign_off(client, officer, quarter, entered):
    client.force_login(officer)
    assert client.get("/entry/sign-off/").status_code == 403
    _, done = _sign_off(client, quarter, MAIDSTONE)
    assert done.status_code == 403 and not SignOff.objects.exists()


def test_the_sign_off_is_shown_where_the_figures_are_used(client, officer, analyst, quarter, entered):
    client.force_login(analyst)
    _sign_off(client, quarter, MAIDSTONE)
    text = f"Signed off by {analyst.username} on"
    client.force_login(officer)
    assert text in client.get(grid_url(MAIDSTONE, quarter)).content.decode()
    history = client.get(f"/history/{MAIDSTONE}/asb-incidents/").content.decode()
    assert text in history.split('id="sign-offs"')[1]
    completeness = client.get("/entry/completeness/", {"year": quarter.year}).content.decode()
    assert "govuk-tag--blue\">Signed off</strong>" in completeness and text in completeness
    # The selector other pages use.
    info = sign_off_covering(stored(MAIDSTONE, "asb-incidents", entered).district_id, quarter.window)
    assert info is not None and info.by == analyst.username


def test_a_concurrent_change_stops_the_sign_off(analyst, ref, quarter, entered, monkeypatch):
    # A figure changing between reading and finalising makes the save refuse (expected versions);
    # nothing is signed off.
    from crimedata import signoff

    real = signoff.save_figures

    def changed_underneath(inputs, **kwargs):
        inputs = list(inputs)
        figure = stored(MAIDSTONE, "asb-incidents", entered)
        real([signoff.FigureInput(figure.district_id, figure.category_id, figure.period_start, figure.period_end,
                                  999)], source="grid")
        return real(inputs, **kwargs)

    monkeypatch.setattr(signoff, "save_figures", changed_underneath)
    with pytest.raises(SignOffRefused, match="changed while the period was being signed off"):
        sign_off_period(user=analyst, districts=[ref.district(MAIDSTONE)], window=quarter.window,
                        label=quarter.label, today=timezone.localdate())
    assert not SignOff.objects.exists()


@pytest.mark.parametrize("more_data", [False, True])
def test_sign_off_pages_query_counts(client, analyst, quarter, django_assert_max_num_queries, more_data):
    if more_data:
        for code in (MAIDSTONE, ASHFORD, TUNBRIDGE_WELLS):
            for month in range(quarter.window.start, quarter.window.end + 1):
                add_figure(code, "asb-incidents", month_text(month), value=5, status="provisional")
        SignOff.objects.create(district_id=1, period_start="2016-04-01", period_end="2016-06-30")
    client.force_login(analyst)
    client.get("/entry/sign-off/")
    with django_assert_max_num_queries(7):
        assert client.get("/entry/sign-off/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.post("/entry/sign-off/", {"quarter": quarter.slug, "district": "all"}).status_code == 200
    with django_assert_max_num_queries(30):
        response = client.post("/entry/sign-off/", {"quarter": quarter.slug, "district": "all", "confirm": "1"})
    assert response.status_code == 302


def test_the_import_command_still_refuses_a_signed_off_quarter(tmp_path, quarter, entered, analyst, ref):
    sign_off_period(user=analyst, districts=[ref.district(MAIDSTONE)], window=quarter.window, label=quarter.label,
                    today=timezone.localdate())
    source = tmp_path / "q.csv"
    month_end_date = current_grid(MAIDSTONE, quarter).cells[0].window.end_date
    source.write_text(f"district,category,period_start,period_end,value\n"
                      f"Maidstone,asb-incidents,{entered}-01,{month_end_date},7\n")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_figures", str(source), stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))
    assert stored(MAIDSTONE, "asb-incidents", entered).value == 120
