"""Officers' data entry in real Chromium: entering, uploading, signing off and correcting figures, each page
audited by axe (WCAG 2.2 AA)."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from crimedata import roles
from crimedata.models import Figure, SignOff
from crimedata.periods import month_end, month_label, month_start
from tests.browser.conftest import describe
from tests.conftest import MAIDSTONE, add_figure, make_user
from tests.integration.entry_support import month_text, recent_quarter

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"


def sign_in(page, base: str, username: str, password: str = PASSWORD, next_url: str = "/entry/"):
    page.goto(f"{base}/sign-in/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#sign-in")


def session_for(live_server, user, page):
    """Put a fresh session for ``user`` into ``page``'s browser context.

    (One Django test client per person: logging a second person into the same
    client would end the first person's session.)
    """
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    return page


def audit(page, axe_audit, what: str):
    violations = axe_audit(page)
    assert violations == [], f"{what}:\n{describe(violations)}"


def watch_console(page) -> list[str]:
    problems: list[str] = []
    # A refused form answers 4xx on purpose; Chromium logs that as "Failed to load resource".
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text else None)
    return problems


@pytest.fixture
def people(db):
    return {
        "officer": make_user("maidstone.officer", roles.OFFICER, [MAIDSTONE]),
        "analyst": make_user("county.analyst", roles.ANALYST),
        "administrator": make_user("site.admin", roles.ADMINISTRATOR),
    }


@pytest.fixture
def quarter():
    """The latest finished quarter, with Maidstone's figures for the same quarter last year."""
    q = recent_quarter()
    last = q.previous_year().window
    for month in range(last.start, last.end + 1):
        add_figure(MAIDSTONE, "asb-incidents", month_text(month), value=100)
    add_figure(MAIDSTONE, "marac-cases", month_text(last.start), month_text(last.end), value=40)
    return q


def key(quarter, offset=0, slug="asb-incidents"):
    return f"{slug}-{month_text(quarter.window.start + offset)}"


def test_sign_in_enter_a_quarter_meet_the_note_rule_and_save(live_server, page, axe_audit, people, quarter):
    problems = watch_console(page)
    sign_in(page, live_server.url, "maidstone.officer")
    expect(page.locator("h1")).to_have_text("Enter figures")
    audit(page, axe_audit, "entry home")
    page.get_by_role("link", name=f"{quarter.label} for Maidstone").click()
    expect(page.locator("h1")).to_have_text(quarter.label)
    audit(page, axe_audit, "empty grid")

    first, second = f"#value-{key(quarter)}", f"#value-{key(quarter, 1)}"
    page.fill(first, "260")   # +160% on last year's 100
    page.fill(second, "95")
    page.fill(f"#value-marac-cases-{quarter.slug}", "38")
    # The change is worked out as the officer types, and the note box opens for a jump over 50%.
    expect(page.locator(f"#value-{key(quarter)}-hint")).to_contain_text("Change: +160.0%. A note is needed")
    expect(page.locator(f"#note-{key(quarter)}")).to_be_visible()
    expect(page.locator(f"#value-{key(quarter, 1)}-hint")).to_contain_text("Change: \u22125.0%.")

    page.click("#save-figures")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(f"Anti-social behaviour incidents for {month_label(quarter.window.start)} is "
                                    "+160.0% on")
    assert page.title().startswith("Error: ")
    audit(page, axe_audit, "grid with errors")
    assert Figure.objects.filter(period_start=month_start(quarter.window.start)).count() == 0
    # The summary links to the note field.
    summary.get_by_role("link").first.click()
    expect(page.locator(f"#note-{key(quarter)}")).to_be_focused()

    page.fill(f"#note-{key(quarter)}", "Summer operation in the town centre recorded more incidents.")
    page.click("#save-figures")
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Figures saved: 3 figures changed.")
    expect(banner.locator("#saved-changes")).to_contain_text("not entered")
    audit(page, axe_audit, "grid after saving")
    # Partly complete: the third month stays visibly missing.
    expect(page.locator(f"#value-{key(quarter, 2)}-hint")).to_contain_text("Not entered.")
    figure = Figure.objects.get(category__slug="asb-incidents", period_start=month_start(quarter.window.start))
    assert (figure.value, figure.note, figure.source) == (260, "Summer operation in the town centre recorded more incidents.", "grid")
    assert not Figure.objects.filter(period_start=month_start(quarter.window.start + 2),
                                     category__slug="asb-incidents").exists()
    assert not problems, problems


def test_a_conflict_between_two_browser_contexts(live_server, browser, axe_audit, people, quarter):
    first_page = browser.new_context().new_page()
    second_page = browser.new_context().new_page()
    session_for(live_server, people["officer"], first_page)
    session_for(live_server, people["analyst"], second_page)
    url = f"{live_server.url}/entry/{MAIDSTONE}/{quarter.slug}/"
    first_page.goto(url)
    second_page.goto(url)
    field = f"#value-{key(quarter)}"
    first_page.fill(field, "110")
    first_page.click("#save-figures")
    expect(first_page.locator(".govuk-notification-banner--success")).to_be_visible()

    second_page.fill(field, "120")
    second_page.fill(f"#value-{key(quarter, 1)}", "99")
    second_page.click("#save-figures")
    conflicts = second_page.locator("#conflicts")
    expect(conflicts).to_contain_text("Nothing was saved: 1 figure changed after you opened this page")
    expect(conflicts).to_contain_text("In the database now: 110; you typed 120.")
    expect(second_page.locator(f"#value-{key(quarter)}-conflict")).to_contain_text("now 110 in the database")
    audit(second_page, axe_audit, "grid with a conflict")
    # Refused as a whole: the analyst's second figure was not saved either.
    assert not Figure.objects.filter(period_start=month_start(quarter.window.start + 1),
                                     category__slug="asb-incidents").exists()
    second_page.click("#reload-grid")
    expect(second_page.locator(field)).to_have_value("110")
    expect(second_page.locator("#conflicts")).to_have_count(0)


def test_an_upload_with_errors_then_a_clean_upload(live_server, page, axe_audit, people, quarter, signed_in,
                                                    tmp_path, settings):
    settings.UPLOAD_STAGING_DIR = str(tmp_path)
    problems = watch_console(page)
    signed_in(people["officer"])
    page.goto(f"{live_server.url}/entry/upload/")
    audit(page, axe_audit, "upload page")
    page.set_input_files("#id_file", files=[{"name": "old.xls", "mimeType": "application/vnd.ms-excel",
                                             "buffer": b"\xd0\xcf\x11\xe0 old workbook"}])
    page.click("#upload-button")
    expect(page.locator("#id_file-error")).to_contain_text("is an older Excel workbook (.xls)")
    audit(page, axe_audit, "upload page with a refused file")
    start, end = month_start(quarter.window.start), month_end(quarter.window.start)
    header = "district,category,period_start,period_end,value,status,note\n"
    bad = (header + f"Maidstone,asb-incidents,{start},{end},XXX,,\n"
           f"Tunbridge Wells,asb-incidents,{start},{end},5,,\n").encode()
    page.set_input_files("#id_file", files=[{"name": "q.csv", "mimeType": "text/csv", "buffer": bad}])
    page.click("#upload-button")
    expect(page.locator(".govuk-error-summary")).to_contain_text("2 problems in q.csv: nothing was saved")
    errors = page.locator("#upload-errors")
    expect(errors).to_contain_text("must be a whole number of 0 or more")
    expect(errors).to_contain_text("is Tunbridge Wells, which you are not allowed to change")
    audit(page, axe_audit, "upload errors")
    assert not Figure.objects.filter(period_start=start).exists()

    good = (header + f"Maidstone,asb-incidents,{start},{end},104,,\n").encode()
    page.set_input_files("#id_file", files=[{"name": "q.csv", "mimeType": "text/csv", "buffer": good}])
    page.click("#upload-button")
    expect(page.locator("h1")).to_have_text("Check your upload")
    expect(page.locator("#upload-rows")).to_contain_text("New")
    audit(page, axe_audit, "upload preview")
    assert not Figure.objects.filter(period_start=start).exists()
    page.click("#confirm-upload")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Imported q.csv: 1 rows: 1 created")
    audit(page, axe_audit, "upload page after saving")
    assert Figure.objects.get(period_start=start, category__slug="asb-incidents").value == 104
    assert not problems, problems


def test_sign_off_then_a_refused_edit(live_server, browser, axe_audit, people, quarter):
    add_figure(MAIDSTONE, "asb-incidents", month_text(quarter.window.start), value=103, status="provisional")
    officer_page = browser.new_context().new_page()
    analyst_page = browser.new_context().new_page()
    session_for(live_server, people["officer"], officer_page)
    session_for(live_server, people["analyst"], analyst_page)
    officer_page.goto(f"{live_server.url}/entry/{MAIDSTONE}/{quarter.slug}/")

    analyst_page.goto(f"{live_server.url}/entry/sign-off/")
    audit(analyst_page, axe_audit, "sign-off page")
    analyst_page.select_option("#id_quarter", quarter.slug)
    analyst_page.select_option("#id_district", MAIDSTONE)
    analyst_page.fill("#id_note", "Agreed at the CSP meeting")
    analyst_page.click("#check-sign-off")
    expect(analyst_page.locator("#sign-off-plan")).to_contain_text("Will be signed off")
    audit(analyst_page, axe_audit, "sign-off check")
    analyst_page.click("#confirm-sign-off")
    expect(analyst_page.locator(".govuk-notification-banner")).to_contain_text("signed off for Maidstone")
    audit(analyst_page, axe_audit, "sign-off done")

    # The officer still has the grid open from before the sign-off and tries to change a figure.
    officer_page.fill(f"#value-{key(quarter)}", "130")
    officer_page.click("#save-figures")
    refusal = officer_page.locator(".govuk-error-summary")
    expect(refusal).to_contain_text("Nothing was saved. Signed off by county.analyst")
    expect(refusal).to_contain_text("Only an administrator can correct a figure, giving a reason.")
    expect(officer_page.locator(".app-sign-off-notice")).to_contain_text("Signed off by county.analyst")
    expect(officer_page.locator(f"#value-{key(quarter)}")).to_have_count(0)  # read-only now
    audit(officer_page, axe_audit, "refused edit")
    figure = Figure.objects.get(category__slug="asb-incidents", period_start=month_start(quarter.window.start))
    assert (figure.value, figure.status) == (103, "final")


def test_an_administrators_correction_with_a_reason_and_the_history_page(live_server, page, axe_audit, people,
                                                                         quarter, signed_in):
    figure = add_figure(MAIDSTONE, "asb-incidents", month_text(quarter.window.start), value=103)
    SignOff.objects.create(district=figure.district, period_start=month_start(quarter.window.start),
                           period_end=month_end(quarter.window.end), signed_off_by=people["analyst"])
    signed_in(people["administrator"])
    page.goto(f"{live_server.url}/entry/{MAIDSTONE}/{quarter.slug}/")
    audit(page, axe_audit, "signed-off grid")
    page.click("#correct-link")
    expect(page.locator("h1")).to_have_text(quarter.label)
    audit(page, axe_audit, "correction page")
    page.fill(f"#value-{key(quarter)}", "101")
    page.click("#save-figures")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for the correction")
    audit(page, axe_audit, "correction without a reason")
    page.fill("#id_reason", "Kent Police re-ran the extract: two incidents were recorded twice.")
    page.click("#save-figures")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Correction saved: 1 figure changed.")

    page.get_by_role("link", name="History of Anti-social behaviour incidents").click()
    changes = page.locator("#history-changes")
    expect(changes).to_contain_text("103 → 101")
    expect(changes).to_contain_text("Reason: Kent Police re-ran the extract: two incidents were recorded twice.")
    expect(changes).to_contain_text("Administrator correction")
    expect(page.locator("#sign-offs")).to_contain_text("Signed off by county.analyst")
    audit(page, axe_audit, "history page")
    # As reported on a date before anything was entered, beside the figures now.
    page.fill("#id_as_of", "2017-02-09")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.locator("#as-reported")).to_contain_text("as reported at the end of 9 February 2017")
    expect(page.locator("#as-reported")).to_contain_text("101 (final)")
    audit(page, axe_audit, "history as reported")
    assert Figure.objects.get(pk=figure.pk).value == 101


def test_the_completeness_page_links_to_the_grid(live_server, page, axe_audit, people, quarter, signed_in):
    signed_in(people["officer"])
    page.goto(f"{live_server.url}/entry/completeness/?year={quarter.year}")
    expect(page.locator("#completeness")).to_contain_text("Missing")
    audit(page, axe_audit, "completeness")
    page.get_by_role("link", name=f"for Maidstone, {quarter.short_label}").click()
    expect(page.locator("h1")).to_have_text(quarter.label)


def test_the_lockout_through_the_real_sign_in_form(live_server, page, axe_audit, people):
    sign_in(page, live_server.url, "maidstone.officer", "wrong-password")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The username or password is not right")
    audit(page, axe_audit, "sign-in with an error")
    for _ in range(4):
        sign_in(page, live_server.url, "maidstone.officer", "wrong-password")
    sign_in(page, live_server.url, "maidstone.officer")
    expect(page.locator("h1")).to_have_text("Your account is locked for now")
    audit(page, axe_audit, "locked out")


@pytest.mark.parametrize(
    ("who", "path"),
    [(None, "/sign-in/"), (None, "/signed-out/"), ("partner", "/entry/"), ("officer", "/entry/upload/"),
     ("officer", "/history/E07000110/asb-incidents/?as_of=not-a-date"), ("officer", "/entry/?district=E07000116&quarter=2016-q1"),
     ("officer", "/entry/completeness/?year=1850")],
)
def test_other_pages_and_error_states_pass_axe(live_server, page, axe_audit, people, signed_in, who, path):
    if who == "partner":
        signed_in(make_user("police.partner", roles.PARTNER))
    elif who:
        signed_in(people[who])
    problems = watch_console(page)
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    audit(page, axe_audit, path)
    assert not [p for p in problems if "Content Security Policy" in p], problems
