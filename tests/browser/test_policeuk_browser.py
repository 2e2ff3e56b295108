"""The police.uk pages in Chromium: upload and import, the neighbourhoods page's chart and pickers, axe."""

import io

import pytest
from django.core.management import call_command

from crimedata.models import Figure
from tests.browser.conftest import describe
from tests.conftest import FIXTURES, MAIDSTONE, make_user, policeuk_file

POLICEUK = FIXTURES / "policeuk"

pytestmark = pytest.mark.django_db(transaction=True)


def csp_errors(page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def test_an_analyst_uploads_the_zip_and_sees_the_report(live_server, page, axe_audit, signed_in):
    from crimedata import roles

    signed_in(make_user("browser.analyst", roles.ANALYST))
    errors = csp_errors(page)
    page.goto(live_server.url + "/data/police-uk/")
    assert page.locator("h1").inner_text() == "Import police.uk street-level crime"
    violations = axe_audit(page)
    assert violations == [], describe(violations)

    page.set_input_files("#files", str(POLICEUK / "police-uk-kent-2024-03-to-04.zip"))
    page.get_by_role("button", name="Import", exact=True).click()
    banner = page.locator(".govuk-notification-banner--success")
    banner.wait_for()
    assert "Imported 2 police.uk file(s) (March 2024 to April 2024)" in banner.inner_text()
    assert "3 outside Kent (Bexley 2, Tandridge 1)" in page.locator("table").first.inner_text()
    assert Figure.objects.filter(source="police.uk").count() == 2 * 182
    violations = axe_audit(page)
    assert violations == [], describe(violations)
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_a_bad_upload_shows_the_error_summary_and_writes_nothing(live_server, page, axe_audit, signed_in):
    from crimedata import roles

    signed_in(make_user("browser.admin", roles.ADMINISTRATOR))
    page.goto(live_server.url + "/data/police-uk/")
    page.set_input_files("#files", str(policeuk_file("bad/2024-05-kent-street.csv")))
    page.get_by_role("button", name="Import", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "is not UTF-8 text (line 3 has bytes that are not UTF-8)" in summary.inner_text()
    # GOV.UK Frontend moves focus to the error summary (from a static script, not inline).
    page.wait_for_function("document.activeElement && document.activeElement.closest('.govuk-error-summary')")
    assert Figure.objects.count() == 0
    violations = axe_audit(page)
    assert violations == [], describe(violations)


def test_the_neighbourhoods_page_draws_its_chart_and_the_picker_changes_the_category(live_server, page, axe_audit):
    call_command("import_lsoa_lookup", str(POLICEUK / "lsoa-ward-lookup-2021.csv"), stdout=io.StringIO())
    call_command("import_policeuk", str(POLICEUK / "police-uk-kent-2024-03-to-04.zip"), stdout=io.StringIO())
    errors = csp_errors(page)
    page.goto(f"{live_server.url}/districts/{MAIDSTONE}/neighbourhoods/")
    page.locator('#top-neighbourhoods-chart[data-chart-drawn="true"]').wait_for()
    assert page.locator("#top-neighbourhoods-chart .bars path").count() == 3
    assert "High Street" in page.locator("#top-wards-table").inner_text()
    violations = axe_audit(page)
    assert violations == [], describe(violations)

    # Choosing a category submits the pickers (static/js/app.js); the button works without JavaScript too.
    with page.expect_navigation():
        page.select_option("#category", "policeuk-anti-social-behaviour")
    assert "category=policeuk-anti-social-behaviour" in page.url
    caption = page.locator("#top-neighbourhoods-caption").inner_text()
    assert "police.uk: Anti-social behaviour" in caption
    assert page.locator("#top-neighbourhoods-table tbody tr").count() == 2
    page.select_option("#months", "12")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "A count over part of a period is never shown" in page.locator("main").inner_text()
    violations = axe_audit(page)
    assert violations == [], describe(violations)
    assert not [e for e in errors if "Content Security Policy" in e], errors
