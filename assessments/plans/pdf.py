"""Optional PDF of the scrutiny summary, printed by a headless Chromium on the server.

No external service is used. When the server has no Chromium (set
CSP_PDF_CHROMIUM to its path, default /usr/bin/chromium), the link is not
offered and the page tells the reader to print to PDF from the browser.
The page is written to a temporary file with its stylesheet inlined, so
Chromium needs no network access and no sign-in.

Starting Chromium costs about a second of CPU and a few hundred MB, and the
summary is public, so each distinct page is printed once and the PDF kept in
the cache: asking again for an unchanged summary costs nothing, and an edit
or a figure change alters the page and so prints afresh.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache

TIMEOUT_SECONDS = 60
# The page's stylesheet link (its name is hashed in production, so match any).
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="[^"]*">')
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)
# Per-request values that do not change what is printed.
_PER_REQUEST = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")|( nonce=")[^"]*(")')
CACHE_SECONDS = 24 * 60 * 60


class PdfError(RuntimeError):
    """Chromium was missing, failed or took too long."""


def chromium_path() -> str | None:
    configured = getattr(settings, "CSP_PDF_CHROMIUM", None) or os.environ.get("CSP_PDF_CHROMIUM") or "/usr/bin/chromium"
    if configured.lower() in ("", "0", "off", "none"):
        return None
    path = shutil.which(configured)
    return path


def available() -> bool:
    return chromium_path() is not None and _stylesheet() is not None


def _stylesheet() -> str | None:
    found = finders.find("build/app.css")
    return found if found else None


def html_to_pdf(html: str) -> bytes:
    """Print the page to an A4 PDF; raises PdfError when that is not possible."""
    chromium = chromium_path()
    css = _stylesheet()
    if chromium is None or css is None:
        raise PdfError("No Chromium or stylesheet on this server.")
    # Inline the stylesheet and drop the scripts (the PDF needs none), so nothing is fetched.
    inline = f"<style>{Path(css).read_text(encoding='utf-8')}</style>"
    html = _STYLESHEET.sub(lambda _: inline, html, count=1)
    html = _SCRIPT.sub("", html)
    with tempfile.TemporaryDirectory(prefix="csp-pdf-") as folder:
        source = Path(folder) / "summary.html"
        target = Path(folder) / "summary.pdf"
        source.write_text(html, encoding="utf-8")
        command = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--no-pdf-header-footer", f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={target}", source.as_uri(),
        ]
        try:
            subprocess.run(command, check=True, timeout=TIMEOUT_SECONDS, capture_output=True)
        except (OSError, subprocess.SubprocessError) as error:
            raise PdfError(str(error)) from error
        if not target.exists() or target.stat().st_size == 0:
            raise PdfError("Chromium produced no PDF.")
        return target.read_bytes()


def cached_pdf(html: str) -> bytes:
    """The PDF of this page, printed at most once per distinct page content (see the module note)."""
    printed = _PER_REQUEST.sub(lambda m: (m.group(1) or m.group(3)) + (m.group(2) or m.group(4)), html)
    key = "scrutiny-pdf:" + hashlib.sha256(printed.encode()).hexdigest()
    document = cache.get(key)
    if document is None:
        document = html_to_pdf(printed)
        cache.set(key, document, CACHE_SECONDS)
    return document
