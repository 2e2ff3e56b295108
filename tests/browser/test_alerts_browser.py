"""Collection windows and email alerts in real Chromium, each page audited by axe (WCAG 2.2 AA): the officer's
"due" view, the analyst opening a window (with a refused one first) and its page, and the subscriptions page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import AlertSubscription
from crimedata import mail, roles
from crimedata.collections import WindowRequest, save_window
from crimedata.entry import latest_ended_quarter
from crimedata.models import CollectionWindow
from crimedata.periods import month_label
from crimedata.selectors import reference_data
from crimedata.services import bump_data_generation
from tests.browser.conftest import describe
from tests.conftest import MAIDSTONE, TUNBRIDGE_WELLS, add_figure, make_user
from tests.integration.entry_support import month_text

pytestmark = pytest.mark.django_db(transaction=True)


def audit(page, axe_audit, what: str):
    violations = axe_audit(page)
    assert violations == [], f"{what}:\n{describe(violations)}"


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text else None)
    return problems


@pytest.fixture
def quarter():
    return latest_ended_quarter(timezone.localdate())


def test_the_officer_sees_what_is_due_and_goes_to_the_grid(live_server, page, axe_audit, signed_in, quarter):
    officer = make_user("maidstone.officer", roles.OFFICER, [MAIDSTONE])
    analyst = make_user("county.analyst", roles.ANALYST)
    today = timezone.localdate()
    save_window(WindowRequest(quarter=quarter, opens_on=today - dt.timedelta(days=3),
                              closes_on=today + dt.timedelta(days=6), category_slugs=("asb-incidents", "marac-cases"),
                              district_codes=(MAIDSTONE, TUNBRIDGE_WELLS), note="Questions to the county team"),
                user=analyst, ref=reference_data())
    add_figure(MAIDSTONE, "asb-incidents", month_text(quarter.window.start), value=40)
    bump_data_generation()
    problems = watch_console(page)
    signed_in(officer)
    page.goto(f"{live_server.url}/entry/")
    card = page.locator(".govuk-summary-card").first
    expect(page.locator("#due")).to_have_text("Due from Maidstone")
    expect(card).to_contain_text("(in 6 days)")
    expect(card).to_contain_text("1 of 4 figures entered")
    expect(card).to_contain_text(f"Anti-social behaviour incidents: {month_label(quarter.window.end)}")
    expect(card).to_contain_text("MARAC cases: quarter total")
    expect(card).to_contain_text("Questions to the county team")
    expect(card.locator(".govuk-tag")).to_have_text("Due")
    audit(page, axe_audit, "entry home with what is due")
    card.get_by_role("link", name=f"Enter Maidstone's {quarter.short_label} figures").click()
    expect(page).to_have_url(f"{live_server.url}/entry/{MAIDSTONE}/{quarter.slug}/")
    assert problems == []


def test_the_analyst_opens_a_window_after_a_refusal_and_sees_its_progress(live_server, page, axe_audit, signed_in,
                                                                           quarter):
    analyst = make_user("county.analyst", roles.ANALYST)
    make_user("maidstone.officer", roles.OFFICER, [MAIDSTONE])
    problems = watch_console(page)
    signed_in(analyst)
    page.goto(f"{live_server.url}/entry/windows/")
    audit(page, axe_audit, "the window list, empty")
    page.click("#open-window")
    expect(page.locator("h1")).to_have_text("Open a collection window")
    audit(page, axe_audit, "the window form")
    today = timezone.localdate()
    page.select_option("#id_quarter", quarter.slug)
    opens, closes = today, today + dt.timedelta(days=14)
    for name, day in (("opens_on", closes), ("closes_on", opens)):  # the wrong way round first
        page.fill(f"#id_{name}_day", str(day.day))
        page.fill(f"#id_{name}_month", str(day.month))
        page.fill(f"#id_{name}_year", str(day.year))
    page.click("#save-window")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose at least one category to collect")
    expect(summary).to_contain_text("The closing date must be on or after the opening date")
    expect(page).to_have_title("Error: Open a collection window – CSP Portal")
    audit(page, axe_audit, "the window form with errors")
    assert CollectionWindow.objects.count() == 0
    summary.get_by_role("link", name="Choose at least one category to collect").click()
    expect(page.locator("#id_categories_0")).to_be_focused()
    for name, day in (("opens_on", opens), ("closes_on", closes)):
        page.fill(f"#id_{name}_day", str(day.day))
        page.fill(f"#id_{name}_month", str(day.month))
        page.fill(f"#id_{name}_year", str(day.year))
    page.get_by_label("Anti-social behaviour incidents").check()
    page.click("#save-window")
    expect(page.locator("h1")).to_have_text(f"{quarter.short_label} figures ({quarter.months_label})")
    expect(page.locator("#window-progress")).to_have_text("0 of 13 districts complete")
    row = page.locator("#window-districts tr", has_text="Maidstone")
    expect(row).to_contain_text("Due")
    expect(row).to_contain_text("maidstone.officer")
    expect(row).to_contain_text(f"Anti-social behaviour incidents: {month_label(quarter.window.start)}")
    audit(page, axe_audit, "the window page")
    assert problems == []


def test_the_subscriptions_page_adds_refuses_and_removes(live_server, page, axe_audit, signed_in):
    partner = make_user("police.partner", roles.PARTNER)
    partner.email = "partner@example.org"
    partner.save()
    problems = watch_console(page)
    signed_in(partner)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Email alerts").click()
    expect(page.locator("h1")).to_have_text("Email alerts")
    expect(page.locator("#no-subscriptions")).to_be_visible()
    audit(page, axe_audit, "subscriptions, none yet")
    page.click("#subscribe")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a district or a group")
    audit(page, axe_audit, "subscriptions with an error")
    page.select_option("#id_area", f"district:{MAIDSTONE}")
    page.select_option("#id_category", "robbery")
    page.click("#subscribe")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You will get alerts for Maidstone, Robbery")
    page.select_option("#id_area", "group:west-kent")
    page.click("#subscribe")
    expect(page.locator("#subscriptions")).to_contain_text("West Kent (3 districts), every category")
    audit(page, axe_audit, "subscriptions with two")
    page.get_by_role("button", name="Stop alerts for Maidstone, Robbery").click()
    expect(page.locator("#subscriptions")).not_to_contain_text("Maidstone, Robbery")
    assert list(AlertSubscription.objects.values_list("group__slug", flat=True)) == ["west-kent"]
    assert problems == []


def test_the_unsubscribe_pages_pass_axe(live_server, page, axe_audit):
    partner = make_user("police.partner", roles.PARTNER)
    AlertSubscription.objects.create(user=partner, group=None, district_id=reference_data().district(MAIDSTONE).id)
    token = mail.unsubscribe_token(partner, mail.ALERTS)
    page.goto(f"{live_server.url}/unsubscribe/{token}/")
    audit(page, axe_audit, "unsubscribe")
    page.click("#unsubscribe")
    expect(page.locator("h1")).to_have_text("You have unsubscribed")
    audit(page, axe_audit, "unsubscribed")
    assert not AlertSubscription.objects.exists()
    page.goto(f"{live_server.url}/unsubscribe/{token[:-4]}abcd/")
    expect(page.locator("#refused-message")).to_contain_text("changed or cut short")
    audit(page, axe_audit, "a tampered link")
