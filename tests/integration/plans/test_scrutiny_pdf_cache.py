"""The scrutiny summary's PDF is printed once per distinct page and afresh after an edit (Chromium is costly)."""

from __future__ import annotations

import pytest

from assessments.plans import pdf
from tests.conftest import MAIDSTONE

pytestmark = pytest.mark.django_db

URL = f"/assessments/{MAIDSTONE}/2017-18/scrutiny.pdf"


@pytest.fixture
def printer(monkeypatch):
    printed: list[str] = []

    def fake_print(html: str) -> bytes:
        printed.append(html)
        return b"%PDF-1.4 print " + str(len(printed)).encode()

    monkeypatch.setattr(pdf, "available", lambda: True)
    monkeypatch.setattr(pdf, "html_to_pdf", fake_print)
    return printed


def test_asking_again_for_an_unchanged_summary_does_not_start_chromium_again(client, make_plan, printer):
    make_plan(MAIDSTONE, 2017, priorities=2)
    first = client.get(URL)
    second = client.get(URL)
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert len(printer) == 1
    assert second.content == first.content == b"%PDF-1.4 print 1"


def test_an_edit_to_the_plan_prints_the_summary_afresh(client, make_plan, printer):
    assessment = make_plan(MAIDSTONE, 2017, priorities=2)
    client.get(URL)
    priority = assessment.priorities.order_by("order").first()
    priority.title = "Reducing violence in the night-time economy"
    priority.save()
    response = client.get(URL)
    assert len(printer) == 2
    assert response.content == b"%PDF-1.4 print 2"
    assert "Reducing violence in the night-time economy" in printer[1]


def test_a_signed_in_reader_gets_their_own_print_but_their_csrf_token_does_not_defeat_the_cache(
    client, make_plan, printer, scrutiny
):
    make_plan(MAIDSTONE, 2017, priorities=1)
    client.get(URL)
    client.force_login(scrutiny)
    client.get(URL)
    client.get(URL)
    # The signed-in header differs from the public one, so one print each; repeats reuse it.
    assert len(printer) == 2
    assert 'name="csrfmiddlewaretoken" value=""' in printer[1]
