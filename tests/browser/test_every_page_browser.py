"""Every HTML page in the access table, in Chromium, as the least-privileged reader who may open it.

The feature tests audit the pages they drive in their interesting states; this
one makes sure no page is missed. Its list comes from the access table in
tests/integration/test_access_all_pages.py, which every routed URL must be in,
so a new page is audited here without anyone remembering to add it.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import describe
from tests.integration.plans.conftest import make_plan  # noqa: F401  (fixture)
from tests.integration.test_access_all_pages import _objects, pages, people  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

# Least privileged first: a page is audited as the first of these who may open it.
READERS = ["anonymous", "scrutiny", "partner", "officer", "other_officer", "analyst", "administrator"]
# Not HTML pages: JSON, a PDF, a CSV template and the icon (the API docs page is HTML and is audited).
NOT_HTML = {"api-comparison", "api-district-summary", "scrutiny-pdf", "upload-template", "favicon"}


def test_every_page_loads_draws_its_charts_and_passes_axe(live_server, page, axe_audit, signed_in, make_plan,
                                                          people):
    audited, problems = [], []
    console: list[str] = []
    # A refused form answers 4xx on purpose; Chromium logs that as "Failed to load resource".
    page.on("console", lambda m: console.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text else None)
    current = None
    for name, (url, allowed) in pages(_objects(make_plan)).items():
        if name in NOT_HTML or not allowed:
            continue
        reader = next(r for r in READERS if r in allowed)
        if reader != current:
            page.context.clear_cookies()
            if people[reader] is not None:
                signed_in(people[reader])
            current = reader
        console.clear()
        response = page.goto(live_server.url + url)
        where = f"{name} ({url}) as {reader}"
        if response is None or response.status != 200:
            problems.append(f"{where}: HTTP {response.status if response else 'no response'}")
            continue
        if page.locator("h1").count() != 1:
            problems.append(f"{where}: {page.locator('h1').count()} h1 headings")
        charts = page.locator(".js-plotly-chart")
        for i in range(charts.count()):
            # charts.js draws into the container; a chart that failed leaves it empty.
            charts.nth(i).locator(".main-svg").first.wait_for(state="attached", timeout=10_000)
        violations = axe_audit(page)
        if violations:
            problems.append(f"{where}: axe\n{describe(violations)}")
        if console:
            problems.append(f"{where}: console errors {console}")
        audited.append(name)
    assert problems == [], "\n".join(problems)
    # The audit really covered the product, not an empty list.
    assert {"home", "comparison-category", "district-profile", "spc-chart", "assessment-detail", "scrutiny-summary",
            "entry-grid", "sign-off", "policeuk-upload", "plan-grant-edit", "figure-history", "login"} <= set(audited)
    assert len(audited) >= 58  # the HTML pages in the access table on 2026-11-21
