"""The site's own pages in a real browser: they load under the CSP and pass axe."""

import pytest

from tests.browser.conftest import describe

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("path", ["/", "/accessibility/"])
def test_page_loads_and_passes_axe(live_server, page, axe_audit, path):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    # GOV.UK Frontend initialised from static files (no inline script needed).
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    violations = axe_audit(page)
    assert violations == [], describe(violations)
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_the_font_is_arial_not_the_govuk_font(live_server, page):
    page.goto(live_server.url + "/")
    family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert family.lower().startswith("arial")
    assert "transport" not in family.lower()


def test_the_axe_audit_itself_detects_a_violation(page, axe_audit):
    # Guards against an audit that silently passes everything.
    page.set_content('<html lang="en"><head><title>t</title></head><body><main><img src="x.png"></main></body></html>')
    assert "image-alt" in {v["id"] for v in axe_audit(page)}
