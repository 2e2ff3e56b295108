"""Optional PDF of the scrutiny summary, printed by a headless Chromium on the server.

No external service is used. When the server has no Chromium (set
CSP_PDF_CHROMIUM to its path, default /usr/bin/chromium), the link is not
offered and the page tells the reader to print to PDF from the browser.
The page is written to a temporary file with its stylesheet inlined, so
Chromium needs no network access and no sign-in.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

TIMEOUT_SECONDS = 60
# The page's stylesheet link (its name is hashed in production, so match any).
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="[^"]*">')
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)


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
