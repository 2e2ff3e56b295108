"""Browser tests: Debian's Chromium driven by Playwright against a live server.

Never `playwright install`: the launch uses /usr/bin/chromium. axe-core comes
from npm (node_modules/axe-core), injected with page.evaluate, which the
page's Content-Security-Policy does not block.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 AA, as GDS monitoring uses (ecosystem.md §2.3).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright's sync API runs an event loop in this thread; the Django ORM calls
# made by test set-up then need this (microsoft/playwright-pytest#29).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    missing = not CHROMIUM.exists() or not AXE.exists()
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if missing:
                if os.environ.get("CSP_REQUIRE_BROWSER"):
                    item.add_marker(pytest.mark.xfail(reason="Chromium or axe-core missing", run=False, strict=True))
                else:
                    item.add_marker(pytest.mark.skip(reason="needs /usr/bin/chromium and node_modules/axe-core (make test installs axe-core; apt install chromium)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def axe_audit():
    """Run axe-core on the current page; return the list of WCAG 2.2 AA violations."""
    source = AXE.read_text()

    def run(page, exclude: list[str] | None = None) -> list[dict]:
        page.evaluate(source)
        context = {"exclude": [[s] for s in exclude]} if exclude else {"include": [["html"]]}
        result = page.evaluate(
            "([context, tags]) => axe.run(context, {runOnly: {type: 'tag', values: tags}})",
            [context, AXE_TAGS],
        )
        return result["violations"]

    return run


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = "; ".join(", ".join(n["target"]) for n in v["nodes"][:5])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return "\n".join(lines)


@pytest.fixture
def signed_in(live_server, page, client):
    """Sign a user in by copying a Django test-client session cookie into the browser."""

    def sign_in(user, target_page=None):
        target = target_page or page
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        target.context.add_cookies(
            [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
        )
        return target

    return sign_in
