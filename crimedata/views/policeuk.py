"""The county analysts' police.uk upload: street-level crime files imported in one go, or not at all."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from crimedata import roles
from crimedata.access import require
from crimedata.forms import PoliceUkUploadForm
from crimedata.models import ImportLog
from crimedata.selectors import data_generation, reference_data
from crimedata.uploads import import_policeuk_uploads

RECENT_IMPORTS = 12
COUNTY_ANALYSTS_ONLY = "Only county analysts and administrators can import police.uk data."


@require_http_methods(["GET", "POST"])
@require(roles.can_import_county_data, COUNTY_ANALYSTS_ONLY)
def upload(request: HttpRequest) -> HttpResponse:
    """Upload police.uk street-level files (or the zip) and import them in one go, or not at all."""
    ref = reference_data(data_generation())
    errors: list[str] = []
    if request.method == "POST":
        form = PoliceUkUploadForm(request.POST, request.FILES)
        if form.is_valid():
            outcome = import_policeuk_uploads(form.cleaned_data["files"], ref, request.user)
            if outcome.ok:
                # The full report for each file is in its import log, listed on the page.
                messages.success(request, outcome.summary + " The report for each file is in the list below.")
                if outcome.ignored:
                    messages.info(request, "Ignored: " + "; ".join(outcome.ignored) + ".")
                return redirect("policeuk-upload")
            errors = outcome.errors
        else:
            errors = [e for field_errors in form.errors.values() for e in field_errors]
    else:
        form = PoliceUkUploadForm()
    recent = ImportLog.objects.filter(kind=ImportLog.KIND_POLICEUK).select_related("imported_by")[:RECENT_IMPORTS]
    return render(
        request,
        "crimedata/policeuk/upload.html",
        {
            "page_title": "Import police.uk street-level crime",
            "form": form,
            "errors": [{"text": e, "href": "#files"} for e in errors],
            "limit_mb": settings.POLICEUK_UPLOAD_MAX_BYTES // (1024 * 1024),
            "recent": list(recent),
            "districts": ref.districts,
        },
        status=400 if request.method == "POST" else 200,
    )
