"""The optional PDF of the scrutiny summary: made by the server's own Chromium, or offered never."""

from __future__ import annotations

import re
import subprocess

import pytest

from assessments.plans import pdf
from tests.conftest import ASHFORD

pytestmark = pytest.mark.django_db
SUMMARY = f"/assessments/{ASHFORD}/2016-17/scrutiny/"


@pytest.mark.skipif(not pdf.chromium_path(), reason="needs a Chromium on this machine")
def test_pdf_is_printed_by_the_local_chromium(client, demo_plans):
    assert "Download as PDF" in client.get(SUMMARY).content.decode()
    response = client.get(SUMMARY.replace("scrutiny/", "scrutiny.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # The print stylesheet applies: a cover page and a page (at least) for each of the five priorities.
    assert len(re.findall(rb"/Type\s*/Page[^s]", response.content)) >= 6
    assert 'filename="ashford-2016-17-scrutiny-summary.pdf"' in response["Content-Disposition"]


def test_without_chromium_the_pdf_is_not_offered(client, demo_plans, settings):
    settings.CSP_PDF_CHROMIUM = "off"
    html = client.get(SUMMARY).content.decode()
    assert "Download as PDF" not in html and "use your browser's Print and choose Save as PDF" in html
    response = client.get(SUMMARY.replace("scrutiny/", "scrutiny.pdf"), follow=True)
    assert response.redirect_chain[-1][0] == SUMMARY
    assert "A PDF cannot be made on this server." in response.content.decode()


def test_a_failing_chromium_degrades_to_printing_from_the_browser(client, demo_plans, monkeypatch):
    monkeypatch.setattr(pdf, "available", lambda: True)
    monkeypatch.setattr(pdf, "chromium_path", lambda: "/usr/bin/chromium")

    def broken(*args, **kwargs):
        raise subprocess.TimeoutExpired(cmd="chromium", timeout=60)

    monkeypatch.setattr(subprocess, "run", broken)
    response = client.get(SUMMARY.replace("scrutiny/", "scrutiny.pdf"), follow=True)
    assert response.redirect_chain[-1][0] == SUMMARY
    assert "The PDF could not be made just now." in response.content.decode()


def test_the_pdf_respects_who_may_see_the_assessment(client, demo_plans):
    draft = f"/assessments/{ASHFORD}/2017-18/scrutiny.pdf"
    assert client.get(draft).status_code == 404
