"""Officers' edits of the generated SPC summary: kept, versioned, marked when the figures change."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied

from assessments.commentary.edits import CommentaryConflict, resolve_commentary, save_commentary
from assessments.commentary.text import GeneratedText
from assessments.models import CommentaryEdit
from crimedata.models import Figure
from tests.conftest import MAIDSTONE
from tests.integration.test_spc_pages import CRIME_24_MONTHS, store_series

pytestmark = pytest.mark.django_db

EDIT = f"/spc/{MAIDSTONE}/robbery/summary/"
CHART = f"/spc/{MAIDSTONE}/robbery/"
KEY = f"spc:{MAIDSTONE}:robbery:month"


@pytest.fixture
def series():
    store_series(MAIDSTONE, "robbery", "2015-01", CRIME_24_MONTHS)


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def open_and_save(client, text, reason="Plainer words"):
    form = client.get(EDIT).content.decode()
    return client.post(EDIT, {
        "text": text, "reason": reason, "version": hidden(form, "version"),
        "fingerprint": hidden(form, "fingerprint"), "grain": "month", "action": "save",
    })


def summary_of(html: str) -> str:
    block = html.split('id="commentary-text">')[1].split("</div>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)).strip()


def test_the_generated_summary_is_shown_until_an_officer_edits_it(client, officer, series):
    html = client.get(CHART).content.decode()
    assert summary_of(html).startswith("In December 2016 Maidstone recorded 415 robberies.")
    assert "Generated from the figures." in html

    client.force_login(officer)
    form = client.get(EDIT).content.decode()
    assert "In December 2016 Maidstone recorded 415 robberies." in form  # prefilled with the generated text
    response = open_and_save(client, "Robbery is stable: 415 in December, common cause.")
    assert response.status_code == 302 and response["Location"].endswith("#summary")

    edit = CommentaryEdit.objects.get(key=KEY)
    assert edit.version == 1 and edit.edited_by == officer and len(edit.fingerprint) == 64
    assert edit.generated_text.startswith("In December 2016 Maidstone recorded 415 robberies.")
    assert edit.history.get().history_change_reason == "Plainer words"

    for viewer in (officer, None):
        if viewer is None:
            client.logout()
        html = client.get(CHART).content.decode()
        assert summary_of(html) == "Robbery is stable: 415 in December, common cause."
        assert "Written by" in html and "The figures have changed" not in html


def test_a_marker_shows_when_the_figures_change_after_the_edit(client, officer, partner, series):
    client.force_login(officer)
    open_and_save(client, "Robbery is stable.")
    # A correction to a month changes the figures behind the generated text.
    Figure.objects.filter(category__slug="robbery", period_start__year=2016, period_start__month=12).update(value=480)
    store_series(MAIDSTONE, "burglary-dwelling", "2015-01", [1])  # any write bumps the data generation

    html = client.get(CHART).content.decode()
    assert summary_of(html) == "Robbery is stable."
    assert "The figures have changed since this summary was edited. Check it still holds." in html
    assert "In December 2016 Maidstone recorded 480 robberies." in html  # the new generated text beside it

    client.force_login(partner)
    assert "The figures have changed since this summary was edited" in client.get(CHART).content.decode()

    # The public never sees an edit written about other figures: they get the generated text.
    client.logout()
    html = client.get(CHART).content.decode()
    assert summary_of(html).startswith("In December 2016 Maidstone recorded 480 robberies.")
    assert "Robbery is stable." not in html and "The figures have changed" not in html


def test_two_officers_editing_at_once_do_not_overwrite_each_other(client, officer, analyst, series):
    client.force_login(officer)
    first_form = client.get(EDIT).content.decode()
    client.force_login(analyst)
    assert open_and_save(client, "The analyst's words.").status_code == 302
    client.force_login(officer)
    response = client.post(EDIT, {
        "text": "The officer's words.", "version": hidden(first_form, "version"),
        "fingerprint": hidden(first_form, "fingerprint"), "grain": "month", "action": "save",
    })
    assert response.status_code == 400
    assert "Someone else changed this text while you were editing it." in response.content.decode()
    assert CommentaryEdit.objects.get(key=KEY).text == "The analyst's words."


def test_going_back_to_the_generated_text_keeps_the_edit_in_the_history(client, officer, series):
    client.force_login(officer)
    open_and_save(client, "Edited once.")
    open_and_save(client, "Edited twice.")
    assert CommentaryEdit.objects.get(key=KEY).version == 2
    form = client.get(EDIT).content.decode()
    assert "Earlier versions" in form and "Edited once." in form
    response = client.post(EDIT, {"text": "", "version": hidden(form, "version"),
                                  "fingerprint": hidden(form, "fingerprint"), "action": "revert", "grain": "month"})
    assert response.status_code == 302
    assert not CommentaryEdit.objects.filter(key=KEY).exists()
    assert CommentaryEdit.history.filter(key=KEY).count() == 3
    assert summary_of(client.get(CHART).content.decode()).startswith("In December 2016")


def test_an_empty_summary_is_refused(client, officer, series):
    client.force_login(officer)
    response = open_and_save(client, "   ")
    assert response.status_code == 400
    assert "Enter the summary, or go back to the generated text." in response.content.decode()
    assert not CommentaryEdit.objects.exists()


def test_a_tampered_fingerprint_is_refused(client, officer, series):
    client.force_login(officer)
    response = client.post(EDIT, {"text": "x", "version": 0, "fingerprint": "not-a-hash", "action": "save"})
    assert response.status_code == 400 and not CommentaryEdit.objects.exists()


@pytest.mark.parametrize("who", ["other_officer", "partner", "scrutiny", None])
def test_only_the_districts_officers_and_analysts_may_edit(client, series, who, request):
    if who:
        client.force_login(request.getfixturevalue(who))
    for response in (client.get(EDIT),
                     client.post(EDIT, {"text": "x", "version": 0, "fingerprint": "0" * 64, "action": "save"})):
        # Signed in but not theirs: 403. Signed out: sent to sign in, as on every page (crimedata.access).
        if who:
            assert response.status_code == 403
        else:
            assert response.status_code == 302 and response["Location"].startswith(f"/sign-in/?next={EDIT}")
    assert not CommentaryEdit.objects.exists()


def test_the_service_checks_permissions_and_versions(officer, other_officer, series):
    generated = GeneratedText("Generated.", "a" * 64)
    with pytest.raises(PermissionDenied):
        save_commentary(user=other_officer, key=KEY, district_id=officer.district_memberships.get().district_id,
                        text="x", generated=generated, fingerprint="a" * 64, expected_version=0)
    district_id = officer.district_memberships.get().district_id
    save_commentary(user=officer, key=KEY, district_id=district_id, text="Mine.", generated=generated,
                    fingerprint="a" * 64, expected_version=0)
    with pytest.raises(CommentaryConflict):
        save_commentary(user=officer, key=KEY, district_id=district_id, text="Again.", generated=generated,
                        fingerprint="a" * 64, expected_version=0)
    resolved = resolve_commentary(KEY, generated, user=officer)
    assert resolved.edited and not resolved.figures_changed and resolved.text == "Mine."
    moved = resolve_commentary(KEY, GeneratedText("New.", "b" * 64), user=officer)
    assert moved.edited and moved.figures_changed


def test_no_figures_no_summary_to_edit(client, officer):
    client.force_login(officer)
    assert client.get(EDIT).status_code == 404


def test_edit_page_queries_do_not_grow_with_the_data(client, officer, series, django_assert_max_num_queries):
    client.force_login(officer)
    open_and_save(client, "Edited.")
    with django_assert_max_num_queries(14):
        assert client.get(EDIT).status_code == 200
    store_series(MAIDSTONE, "robbery", "2012-01", list(range(100, 136)))
    open_and_save(client, "Edited again.")
    with django_assert_max_num_queries(14):
        assert client.get(EDIT).status_code == 200
