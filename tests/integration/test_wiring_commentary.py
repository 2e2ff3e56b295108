"""Generated commentary on the district profile: written from the figures, editable, kept, and marked when stale."""

from __future__ import annotations

import re

import pytest

from assessments.models import CommentaryEdit
from crimedata.models import Figure
from crimedata.services import bump_data_generation
from tests.conftest import TUNBRIDGE_WELLS, make_user
from tests.integration.test_wiring_comparison import figures  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

PROFILE = f"/districts/{TUNBRIDGE_WELLS}/?end=2016-09"
EDIT = f"/commentary/districts/{TUNBRIDGE_WELLS}/headline-all-crime/?end=2016-09&months=12&group=kent"
TYPES_EDIT = f"/commentary/districts/{TUNBRIDGE_WELLS}/crime-types/?end=2016-09&months=12&group=kent"


@pytest.fixture
def tw_officer(db):
    from crimedata import roles

    return make_user("tw.officer", roles.OFFICER, [TUNBRIDGE_WELLS])


def text(html: str, element_id: str) -> str:
    block = html.split(f'id="{element_id}"', 1)[1].split(">", 1)[1].split("app-commentary__source", 1)[0]
    block = block.rsplit("<p", 1)[0]
    block = re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", block, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", block).split()).replace("&#x27;", "'")


def form_fields(html: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def test_the_headline_box_says_it_in_words_from_the_figures(client, figures):
    html = client.get(PROFILE).content.decode()
    sentence = text(html, "commentary-all-crime")
    assert sentence.startswith(
        "Tunbridge Wells recorded 5,285 crimes in the 12 months to September 2016, 245 more than the year before "
        "(+4.9%), a statistically significant rise. That was the only increase in Kent."
    )
    assert "it had the lowest rate of the 12 Kent districts" in sentence
    assert "significantly better than the Kent average" in sentence
    assert "Generated from the figures." in html
    # A box per key theme with figures; themes without any say so honestly.
    assert "There is no figure for violent crimes in Tunbridge Wells" in text(html, "commentary-violent-crime")


def test_the_crime_type_paragraph(client, figures):
    paragraph = text(client.get(PROFILE).content.decode(), "commentary-crime-types")
    assert paragraph.startswith("In the 12 months to September 2016, 1 of the 1 crime types in Tunbridge Wells rose")
    assert "all recorded crime (+4.9%) was statistically significant" in paragraph


@pytest.mark.parametrize("who, can", [(None, False), ("maidstone", False), ("tw", True), ("analyst", True),
                                      ("administrator", True), ("partner", False)])
def test_only_the_districts_officers_analysts_and_administrators_see_edit_links(client, figures, officer, tw_officer,
                                                                                analyst, administrator, partner,
                                                                                who, can):
    users = {"maidstone": officer, "tw": tw_officer, "analyst": analyst, "administrator": administrator,
             "partner": partner}
    if who:
        client.force_login(users[who])
    html = client.get(PROFILE).content.decode()
    assert ("/commentary/districts/E07000116/headline-all-crime/" in html) is can
    assert ("/commentary/districts/E07000116/crime-types/" in html) is can
    response = client.get(EDIT)
    if who is None:
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    else:
        assert response.status_code == (200 if can else 403)


def test_an_edit_is_kept_shown_in_place_of_the_generated_text_with_its_history(client, figures, tw_officer):
    client.force_login(tw_officer)
    page = client.get(EDIT).content.decode()
    assert "Generated from the current figures:" in page
    fields = form_fields(page)
    assert fields["version"] == "0" and len(fields["fingerprint"]) == 64
    response = client.post(EDIT, {**fields, "text": "Crime rose by 4.9%, a significant rise; still the lowest rate.",
                                  "reason": "Shorter for the committee", "action": "save"})
    assert response.status_code == 302
    assert response["Location"] == f"/districts/{TUNBRIDGE_WELLS}/?end=2016-09&months=12&group=kent#commentary-all-crime"
    html = client.get(PROFILE).content.decode()
    assert text(html, "commentary-all-crime") == "Crime rose by 4.9%, a significant rise; still the lowest rate."
    assert "Written by tw.officer on" in html
    edit = CommentaryEdit.objects.get()
    assert edit.key == "headline:E07000116:all-crime:2015-10:2016-09:kent" and edit.district.code == TUNBRIDGE_WELLS
    # The public sees the officer's text too: the figures are the same.
    client.logout()
    assert "Crime rose by 4.9%" in client.get(PROFILE).content.decode()
    client.force_login(tw_officer)
    page = client.get(EDIT).content.decode()
    assert "Shorter for the committee" in page and "Earlier versions" in page
    # Back to the generated text; the edit stays in the history.
    response = client.post(EDIT, {**form_fields(page), "text": "", "reason": "", "action": "revert"})
    assert response.status_code == 302
    assert not CommentaryEdit.objects.exists()
    assert CommentaryEdit.history.count() == 2
    assert text(client.get(PROFILE).content.decode(), "commentary-all-crime").startswith("Tunbridge Wells recorded 5,285")


def test_a_marker_shows_when_the_figures_change_after_the_edit(client, figures, tw_officer):
    client.force_login(tw_officer)
    fields = form_fields(client.get(EDIT).content.decode())
    client.post(EDIT, {**fields, "text": "Our own words.", "action": "save"})
    Figure.objects.filter(district__code=TUNBRIDGE_WELLS, period_end__year=2016).update(value=5300)
    bump_data_generation()
    html = client.get(PROFILE).content.decode()
    assert "The figures have changed since this text was edited." in html
    assert text(html, "commentary-all-crime").startswith("! The figures have changed")
    assert "Our own words." in html and "Tunbridge Wells recorded 5,300 crimes" in html  # the new text beside it
    # The public gets the text generated from the figures it sees.
    client.logout()
    public = client.get(PROFILE).content.decode()
    assert "Our own words." not in public and "The figures have changed" not in public
    assert "Tunbridge Wells recorded 5,300 crimes" in public


def test_two_people_editing_at_once_do_not_overwrite_each_other(client, figures, tw_officer, analyst):
    client.force_login(tw_officer)
    fields = form_fields(client.get(EDIT).content.decode())
    assert client.post(EDIT, {**fields, "text": "First.", "action": "save"}).status_code == 302
    client.force_login(analyst)
    response = client.post(EDIT, {**fields, "text": "Second.", "action": "save"})  # started from version 0 too
    assert response.status_code == 400
    assert "Someone else changed this text while you were editing it" in response.content.decode()
    assert CommentaryEdit.objects.get().text == "First."


def test_bad_input_gets_a_clear_error_and_nothing_is_saved(client, figures, tw_officer):
    client.force_login(tw_officer)
    fields = form_fields(client.get(EDIT).content.decode())
    response = client.post(EDIT, {**fields, "text": "   ", "action": "save"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_text"' in page
    response = client.post(EDIT, {**fields, "fingerprint": "not-a-fingerprint", "text": "x", "action": "save"})
    assert response.status_code == 400 and "The page was out of date" in response.content.decode()
    assert not CommentaryEdit.objects.exists()
    assert client.get(EDIT.replace("headline-all-crime", "headline-burglary-of-sheds")).status_code == 404
    assert client.get(EDIT.replace("headline-all-crime", "something")).status_code == 404
    assert client.get(EDIT.replace("end=2016-09", "end=2031-01")).status_code == 404


def test_another_districts_officer_cannot_save(client, figures, officer):
    client.force_login(officer)
    response = client.post(EDIT, {"text": "x", "version": 0, "fingerprint": "0" * 64, "action": "save"})
    assert response.status_code == 403
    assert not CommentaryEdit.objects.exists()


def test_the_crime_type_paragraph_can_be_edited_too(client, figures, tw_officer):
    client.force_login(tw_officer)
    fields = form_fields(client.get(TYPES_EDIT).content.decode())
    assert client.post(TYPES_EDIT, {**fields, "text": "One type rose.", "action": "save"}).status_code == 302
    assert text(client.get(PROFILE).content.decode(), "commentary-crime-types") == "One type rose."


def test_the_commentary_costs_one_query_however_many_edits(client, figures, tw_officer,
                                                           django_assert_max_num_queries):
    from tests.integration.test_comparison_pages import COLD_SIGNED_IN, PROFILE_EXTRA

    client.force_login(tw_officer)
    bound = COLD_SIGNED_IN + PROFILE_EXTRA  # the officer's districts come with their roles, in one query
    with django_assert_max_num_queries(bound):
        assert client.get(PROFILE).status_code == 200
    for slug in ("all-crime", "violent-crime", "asb-incidents", "domestic-abuse-incidents", "burglary-dwelling",
                 "drug-offences", "road-casualties"):
        url = EDIT.replace("headline-all-crime", f"headline-{slug}")
        client.post(url, {**form_fields(client.get(url).content.decode()), "text": f"About {slug}.",
                          "action": "save"})
    client.post(TYPES_EDIT, {**form_fields(client.get(TYPES_EDIT).content.decode()), "text": "Types.",
                             "action": "save"})
    assert CommentaryEdit.objects.count() == 8
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(bound):
        html = client.get(PROFILE).content.decode()
    assert html.count("Written by tw.officer") == 8
