"""Each priority's evidence in words, on the scrutiny summary and the assessment page, editable and kept."""

from __future__ import annotations

import re

import pytest

from assessments.models import CommentaryEdit, Priority
from crimedata import roles
from crimedata.models import Category
from tests.conftest import MAIDSTONE, add_figure, make_user

pytestmark = pytest.mark.django_db

DETAIL = f"/assessments/{MAIDSTONE}/2017-18/"
SCRUTINY = f"/assessments/{MAIDSTONE}/2017-18/scrutiny/"


@pytest.fixture
def plan(make_plan):
    from tests.integration.plans.test_plans_pages import _populations, _violent_crime

    _populations()
    _violent_crime()
    return make_plan(MAIDSTONE, 2017, priorities=2, actions=1)


def paragraph(html: str, pk: int) -> str:
    block = html.split(f'id="commentary-priority-{pk}"', 1)[1].split(">", 1)[1].split("app-commentary__source")[0]
    block = block.rsplit("<p", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", block).split()).replace("&#x27;", "'")


def test_each_priority_gets_its_evidence_in_words(client, plan):
    first = Priority.objects.filter(assessment=plan).order_by("order").first()
    for url in (SCRUTINY, DETAIL):
        html = client.get(url).content.decode()
        text = paragraph(html, first.pk)
        assert text.startswith(
            "Evidence for the priority \u201cPriority 1\u201d in Maidstone, in the 12 months to October 2016: "
            "violent crime: 3,743, up 779 (+26.3%) on the year before, a statistically significant rise; "
            "significantly worse than the Kent average."
        ), text
        # Domestic abuse has no figures here: said, never shown as 0.
        assert "Domestic abuse incidents: no data." in text
    # The issue 5 sentences are replaced on the scrutiny summary by the (editable) paragraph.
    assert "Generated from the figures." in client.get(SCRUTINY).content.decode()


def test_the_districts_officer_edits_it_and_the_edit_is_kept(client, plan):
    officer = make_user("maidstone.csu", roles.OFFICER, [MAIDSTONE])
    first = Priority.objects.filter(assessment=plan).order_by("order").first()
    url = f"/commentary/priorities/{first.pk}/"
    assert url not in client.get(DETAIL).content.decode()
    client.force_login(officer)
    assert url in client.get(DETAIL).content.decode() and url in client.get(SCRUTINY).content.decode()
    page = client.get(url).content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    response = client.post(url, {**fields, "text": "Violent crime rose by a quarter.", "action": "save"})
    assert response.status_code == 302 and response["Location"].endswith(f"/assessments/{MAIDSTONE}/2017-18/#priority-{first.pk}")
    assert paragraph(client.get(SCRUTINY).content.decode(), first.pk) == "Violent crime rose by a quarter."
    assert CommentaryEdit.objects.get().key == f"priority:{first.pk}"
    client.logout()
    assert "Violent crime rose by a quarter." in client.get(SCRUTINY).content.decode()


def test_other_people_cannot_edit_it(client, plan, other_officer, partner):
    first = Priority.objects.filter(assessment=plan).order_by("order").first()
    url = f"/commentary/priorities/{first.pk}/"
    assert client.get(url).status_code == 302  # signed out: sign in first
    for user in (other_officer, partner):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"text": "x", "version": 0, "fingerprint": "0" * 64}).status_code == 403
    assert not CommentaryEdit.objects.exists()


def test_a_priority_without_categories_has_no_paragraph_and_no_edit_page(client, plan, analyst):
    first = Priority.objects.filter(assessment=plan).order_by("order").first()
    first.categories.clear()
    html = client.get(SCRUTINY).content.decode()
    assert f'id="commentary-priority-{first.pk}"' not in html
    client.force_login(analyst)
    assert client.get(f"/commentary/priorities/{first.pk}/").status_code == 404
    assert client.get("/commentary/priorities/999999/").status_code == 404


def test_small_numbers_stay_hidden_in_the_paragraph(client, plan):
    first = Priority.objects.filter(assessment=plan).order_by("order").first()
    first.categories.add(Category.objects.get(slug="alcohol-hospital-admissions"))
    for code in ("E07000105", "E07000106", "E07000107", MAIDSTONE):
        value = 3 if code == MAIDSTONE else 30
        for start, end in (("2015-11", "2016-10"), ("2014-11", "2015-10")):
            add_figure(code, "alcohol-hospital-admissions", start, end, value=value)
    text = paragraph(client.get(SCRUTINY).content.decode(), first.pk)
    assert "Alcohol-specific hospital admissions: fewer than 5 (small numbers are not published)" in text
    assert "admissions: 3" not in text


def test_the_paragraphs_cost_a_fixed_number_of_queries(client, make_plan, analyst, django_assert_max_num_queries):
    from tests.integration.plans.test_plans_pages import SCRUTINY_QUERIES, _populations, _violent_crime

    _populations()
    _violent_crime()
    client.force_login(analyst)
    make_plan(MAIDSTONE, 2017, priorities=1, actions=1)
    with django_assert_max_num_queries(SCRUTINY_QUERIES):
        assert client.get(SCRUTINY).status_code == 200
    make_plan("E07000116", 2017, priorities=8, actions=2)
    with django_assert_max_num_queries(SCRUTINY_QUERIES):
        assert client.get("/assessments/E07000116/2017-18/scrutiny/").status_code == 200


def test_the_evidence_table_hides_small_numbers_too(client, plan, analyst):
    first = Priority.objects.filter(assessment=plan).order_by("order").first()
    first.categories.add(Category.objects.get(slug="alcohol-hospital-admissions"))
    for code in ("E07000105", "E07000106", "E07000107", MAIDSTONE):
        for start, end in (("2015-11", "2016-10"), ("2014-11", "2015-10"), ("2013-11", "2014-10")):
            add_figure(code, "alcohol-hospital-admissions", start, end, value=3 if code == MAIDSTONE else 30)
    html = client.get(DETAIL).content.decode()
    table = html.split(f'id="priority-{first.pk}"', 1)[1].split("</thead>", 1)[1].split("</table>", 1)[0]
    row = table.split("Alcohol-specific hospital admissions", 1)[1].split("</tr>", 1)[0]
    cells = [" ".join(re.sub(r"<[^>]+>", " ", re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", c,
                                                    flags=re.S)).split())
             for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[0] == "&lt;5" and cells[1] == "&lt;5"
    assert cells[2] == "not published (small numbers)" and cells[3] == "not published (small numbers)"
    assert "not published" in cells[4] and re.search(r"\b0\.3\b", cells[4]) is None
    client.force_login(analyst)
    html = client.get(DETAIL).content.decode()
    table = html.split(f'id="priority-{first.pk}"', 1)[1].split("</table>", 1)[0]
    assert "suppressed in public" in table
