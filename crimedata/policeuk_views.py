"""police.uk street-level crime: the county analysts' upload page.

A thin view: the import is crimedata.importers.policeuk. A district's top
neighbourhoods are an assessments page (assessments.views.neighbourhoods).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.views.decorators.http import require_http_methods

from crimedata import roles
from crimedata.importers.policeuk import import_policeuk
from crimedata.models import ImportLog
from crimedata.selectors import data_generation, reference_data

# A zip of a year of Kent street-level files from data.police.uk is about 15 MB.
DEFAULT_UPLOAD_MAX_BYTES = 60 * 1024 * 1024
RECENT_IMPORTS = 12


def upload_limit() -> int:
    return int(getattr(settings, "POLICEUK_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))


# --- Upload ----------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the pattern in Django's file-upload documentation)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data] if data else [single(None, initial)]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        error_messages={"required": "Select the zip archive or the YYYY-MM-kent-street.csv files to import"},
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = upload_limit()
        size = sum(f.size for f in files)
        if size > limit:
            raise forms.ValidationError(
                f"The upload is {size / 1024 / 1024:.1f} MB; the limit is {limit / 1024 / 1024:.0f} MB. "
                "Import fewer months at a time."
            )
        for f in files:
            suffix = Path(f.name).suffix.lower()
            if suffix not in (".csv", ".zip"):
                raise forms.ValidationError(
                    f"'{f.name}' is not a CSV (.csv) or zip (.zip) file. Upload the files as downloaded from "
                    "data.police.uk."
                )
        return files


def _require_county_analyst(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        try:
            return redirect_to_login(request.get_full_path())
        except NoReverseMatch:  # no sign-in page in this build: refuse rather than fail
            raise PermissionDenied from None
    if not roles.is_county_analyst(request.user):
        raise PermissionDenied("Only county analysts and administrators can import police.uk data.")
    return None


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Upload police.uk street-level files (or the zip) and import them in one go, or not at all."""
    refusal = _require_county_analyst(request)
    if refusal is not None:
        return refusal
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            outcome = _import_uploads(form.cleaned_data["files"], request.user)
            if outcome.ok:
                # The full report for each file is in its import log, listed on the page.
                messages.success(request, outcome.summary + " The report for each file is in the list below.")
                if outcome.ignored:
                    messages.info(request, "Ignored: " + "; ".join(outcome.ignored) + ".")
                return redirect("policeuk-upload")
            errors = outcome.errors
        else:
            errors = [e for messages_ in form.errors.values() for e in messages_]
        status = 400
    else:
        form = UploadForm()
    ref = reference_data(data_generation())
    recent = list(
        ImportLog.objects.filter(kind=ImportLog.KIND_POLICEUK).select_related("imported_by")[:RECENT_IMPORTS]
    )
    return render(
        request,
        "crimedata/policeuk/upload.html",
        {
            "page_title": "Import police.uk street-level crime",
            "form": form,
            "errors": errors,
            "limit_mb": upload_limit() // (1024 * 1024),
            "recent": recent,
            "districts": ref.districts,
        },
        status=status,
    )


def _import_uploads(files, user):
    """Write the uploads to a private temporary folder (names kept) and import them."""
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
        return import_policeuk(paths, reference_data(data_generation()), user=user)
