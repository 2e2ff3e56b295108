"""Uploads: spreadsheets of figures (limits, keeping a file between preview and confirm, templates)
and police.uk street-level files (imported in one go).

The preview and the write both run ``importers.figures.import_figures`` (the
command's code). Between them the file waits in a private staging folder
under a random token; the session remembers the token with the user, the
file's name and its SHA-256, so only the person who previewed a file can
confirm it, and only the very bytes they previewed. Staged files are deleted
on confirm, cancel, error and after ``STAGE_MAX_AGE``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.utils import timezone

from crimedata.importers.figures import OPTIONAL, REQUIRED
from crimedata.importers.policeuk import PoliceUkOutcome, import_policeuk
from crimedata.importers.tables import SUPPORTED_SUFFIXES
from crimedata.periods import month_end, month_start
from crimedata.rules import shortened_file_name
from crimedata.spreadsheets import safe_cell

STAGE_MAX_AGE = dt.timedelta(hours=2)
SESSION_KEY = "staged_uploads"
# The preview lists this many rows; counts cover the whole file.
PREVIEW_ROWS = 500


class UploadRefused(Exception):
    """The file is refused before reading it (size or type); ``str()`` is the message."""


def staging_dir() -> Path:
    configured = getattr(settings, "UPLOAD_STAGING_DIR", None)
    path = Path(configured) if configured else Path(tempfile.gettempdir()) / "csp-portal-uploads"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_upload(name: str, size: int) -> None:
    """Refuse files over the size limit and files that are not .csv or .xlsx, with a plain reason."""
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise UploadRefused(
            f"The file is {_megabytes(size)}; the largest file you can upload is {_megabytes(limit)}. "
            "Split it into smaller files (for example one per year) and upload each."
        )
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        if suffix == ".xls":
            raise UploadRefused(
                f"'{name}' is an older Excel workbook (.xls). Open it in Excel, choose 'Save as' and "
                "'Excel Workbook (.xlsx)', then upload the .xlsx file."
            )
        raise UploadRefused(
            f"'{name}' is not a CSV (.csv) or Excel (.xlsx) file. Older .xls workbooks must be saved as .xlsx first."
        )


@dataclass(frozen=True)
class StagedUpload:
    token: str
    path: Path
    name: str
    sha256: str

    @property
    def versions_path(self) -> Path:
        return self.path.with_name(self.path.name + ".versions.npy")


def stage(uploaded, user, session) -> StagedUpload:
    """Copy an uploaded file into the staging folder and remember it in the session."""
    clean_stale()
    token = secrets.token_urlsafe(24)
    # Shortened keeping its extension, which decides how the file is read.
    name = shortened_file_name(uploaded.name)
    path = staging_dir() / f"{token}{Path(name).suffix.lower()}"
    digest = hashlib.sha256()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            out.write(chunk)
    staged = StagedUpload(token=token, path=path, name=name, sha256=digest.hexdigest())
    uploads = dict(session.get(SESSION_KEY, {}))
    uploads[token] = {"name": name, "file": path.name, "sha256": staged.sha256, "user": user.pk,
                      "at": timezone.now().isoformat()}
    session[SESSION_KEY] = uploads
    return staged


def find_staged(session, token: str, user) -> StagedUpload | None:
    """The staged upload for ``token`` if this user staged it, it is recent and unaltered."""
    entry = session.get(SESSION_KEY, {}).get(token)
    if not entry or entry.get("user") != user.pk:
        return None
    if timezone.now() - dt.datetime.fromisoformat(entry["at"]) > STAGE_MAX_AGE:
        discard(session, token)
        return None
    path = staging_dir() / entry["file"]
    if not path.is_file() or _sha256(path) != entry["sha256"]:
        discard(session, token)
        return None
    return StagedUpload(token=token, path=path, name=entry["name"], sha256=entry["sha256"])


def keep_versions(staged: StagedUpload, versions: list[int]) -> None:
    np.save(staged.versions_path, np.asarray(versions, dtype=np.int64), allow_pickle=False)


def read_versions(staged: StagedUpload) -> list[int] | None:
    try:
        return np.load(staged.versions_path, allow_pickle=False).tolist()
    except (OSError, ValueError):
        return None


def discard(session, token: str) -> None:
    uploads = dict(session.get(SESSION_KEY, {}))
    entry = uploads.pop(token, None)
    session[SESSION_KEY] = uploads
    if entry:
        path = staging_dir() / entry["file"]
        for p in (path, path.with_name(path.name + ".versions.npy")):
            p.unlink(missing_ok=True)


def clean_stale() -> None:
    """Delete staged files older than STAGE_MAX_AGE (abandoned previews)."""
    cutoff = timezone.now().timestamp() - STAGE_MAX_AGE.total_seconds()
    for path in staging_dir().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- Templates ------------------------------------------------------------------------------

HEADERS = list(REQUIRED + OPTIONAL)


def template_rows(grid) -> list[list]:
    """One row per grid cell, prefilled with the district, category, period and any stored figure."""
    rows = []
    for cell in grid.cells:
        figure = cell.figure
        rows.append([
            grid.district.name,
            cell.category.slug,
            month_start(cell.window.start).isoformat(),
            month_end(cell.window.end).isoformat(),
            figure.value if figure else "",
            figure.status if figure else "provisional",
            safe_cell(figure.note) if figure else "",
        ])
    return rows


def template_csv(grid) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(template_rows(grid))
    # A byte-order mark makes Excel open the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


TEMPLATE_INSTRUCTIONS = [
    "How to fill in this template",
    "",
    "Each row is one figure: a district, a category, a period (first and last day) and a value.",
    "Type each value as a whole number of 0 or more.",
    "Delete the rows you have no figure for. A blank value is refused: a missing figure must never be stored as 0.",
    "status is 'provisional' (may still change) or 'final' (checked and complete).",
    "note is optional: explain anything unusual, such as a change of more than 50% on last year.",
    "Keep the first row (the column headings) as it is. Only the first sheet is read.",
    "Upload the file on the 'Upload figures' page: you will see a preview, and nothing is saved until you confirm.",
]


def template_xlsx(grid) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    sheet.append(HEADERS)
    for row in template_rows(grid):
        sheet.append(row)
    # Dates and codes as text, so Excel does not reformat them.
    for column in ("A", "B", "C", "D", "F", "G"):
        for cell in sheet[column]:
            cell.number_format = "@"
    for column, width in zip("ABCDEFG", (24, 32, 14, 14, 10, 12, 40)):
        sheet.column_dimensions[column].width = width
    help_sheet = workbook.create_sheet("How to fill this in")
    for line in TEMPLATE_INSTRUCTIONS:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- police.uk files ------------------------------------------------------------------------


def import_policeuk_uploads(files, ref, user) -> PoliceUkOutcome:
    """Write the uploaded files to a private temporary folder (their names kept: the importer reads the
    month from them) and import them all, or none."""
    with tempfile.TemporaryDirectory(prefix="policeuk-") as folder:
        paths = []
        for number, upload_file in enumerate(files):
            name = Path(upload_file.name).name  # never a path the browser chose
            target = Path(folder) / str(number)
            target.mkdir()
            destination = target / name
            with open(destination, "wb") as out:
                for block in upload_file.chunks():
                    out.write(block)
            paths.append((destination, name))
        return import_policeuk(paths, ref, user=user)
