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


@pytest.mark.parametrize("path", ["/districts/", "/accessibility/"])
@pytest.mark.parametrize("width", [1280, 1100, 800])
def test_the_header_and_navigation_line_up_with_the_page_heading(live_server, page, path, width):
    # Wide data pages widen the header and footer with them, so nothing starts off the content's line.
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + path)
    left = {
        selector: page.locator(selector).first.bounding_box()["x"]
        for selector in (".govuk-generic-header__homepage-link", ".govuk-service-navigation__service-name", "h1",
                         ".govuk-footer__meta-item")
    }
    assert len(set(left.values())) == 1, left
