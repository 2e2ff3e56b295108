"""The scrutiny summary in Chromium: it renders, prints with no navigation and a page per priority."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import describe
from tests.conftest import ASHFORD

pytestmark = pytest.mark.django_db(transaction=True)

URL = f"/assessments/{ASHFORD}/2016-17/scrutiny/"


@pytest.fixture
def summary(live_server):
    from demo.content import load_demo_content

    load_demo_content()
    return live_server.url + URL


def test_scrutiny_summary_renders_with_rag_as_text_and_passes_axe(summary, page, axe_audit):
    page.goto(summary)
    assert page.locator("h1").inner_text().startswith("Ashford Community Safety Partnership: priorities for 2016/17")
    sections = page.locator("section.app-print-section")
    assert sections.count() == 6
    rag = page.locator(".app-rag").first
    assert rag.inner_text() == "No update yet"  # the words are there, not only a colour
    assert page.get_by_role("button", name="Print this summary").is_visible()  # shown by plans.js
    violations = axe_audit(page)
    assert violations == [], describe(violations)


def test_scrutiny_summary_prints_without_navigation_and_with_page_breaks(summary, page, tmp_path):
    page.goto(summary)
    page.emulate_media(media="print")
    shot = tmp_path / "scrutiny-print.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    hidden = page.evaluate("""() => ['.govuk-service-navigation', '.govuk-generic-header', '.govuk-footer',
        '.govuk-breadcrumbs', '.govuk-phase-banner', '.js-print']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none"] * 6
    breaks = page.evaluate(
        "() => [...document.querySelectorAll('section.app-print-section')].map(s => getComputedStyle(s).breakAfter)"
    )
    assert breaks == ["page"] * 5 + ["auto"]
    # Printed to A4, every priority starts on a new page: at least one page per section.
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 6
    page.emulate_media(media="screen")
    assert page.evaluate("getComputedStyle(document.querySelector('.govuk-service-navigation')).display") != "none"
