"""police.uk street-level crime pages: the county analysts' upload and a district's top neighbourhoods.

Thin views: the import is crimedata.importers.policeuk, the figures come from
crimedata.neighbourhoods, and the chart from crimedata.policeuk_charts.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from crimedata import reference, roles
from crimedata.importers.policeuk import import_policeuk
from crimedata.models import ImportLog
from crimedata.neighbourhoods import (
    default_window,
    loaded_months,
    neighbourhood_report,
    policeuk_categories,
)
from crimedata.periods import MAX_MONTHS, format_month, month_label, parse_month
from crimedata.policeuk_charts import top_neighbourhoods_chart
from crimedata.selectors import data_generation, reference_data

# A zip of a year of Kent street-level files from data.police.uk is about 15 MB.
DEFAULT_UPLOAD_MAX_BYTES = 60 * 1024 * 1024
RECENT_IMPORTS = 12


def upload_limit() -> int:
    return int(getattr(settings, "POLICEUK_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))


def _optional_url(name: str, *args) -> str | None:
    """A link to another capability's page, if that page exists yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


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


# --- Top neighbourhoods ----------------------------------------------------------------------------


def district_neighbourhoods(request: HttpRequest, code: str) -> HttpResponse:
    """A district's top neighbourhoods and wards for a police.uk category and window."""
    ref = reference_data(data_generation())
    district = ref.district(code.upper())
    if district is None:
        raise Http404("No such district")
    categories = policeuk_categories(ref)
    loaded = loaded_months(ref, district)
    errors: dict[str, str] = {}

    slug = request.GET.get("category") or reference.POLICEUK_TOTAL
    category = ref.category(slug)
    if category is None or category.family != "policeuk":
        errors["category"] = "Choose one of the police.uk categories in the list"
        category = ref.category(reference.POLICEUK_TOTAL)

    end = None
    if request.GET.get("end"):
        try:
            end = parse_month(request.GET["end"])
        except ValueError as exc:
            errors["end"] = f"The last month {exc}"
    months = None
    if request.GET.get("months"):
        try:
            months = int(request.GET["months"])
            if not 1 <= months <= MAX_MONTHS:
                raise ValueError
        except ValueError:
            errors["months"] = f"The number of months must be a whole number from 1 to {MAX_MONTHS}"
            months = None

    window = None if errors else default_window(loaded, end, months)
    report = neighbourhood_report(ref, district, category, window, loaded=loaded)
    end_choices = list(reversed(loaded)) if loaded else []
    if window is not None and window.end not in end_choices:
        end_choices.insert(0, window.end)
    context = {
        "page_title": f"{district.name}: top neighbourhoods",
        "district": district,
        "report": report,
        "categories": categories,
        "end_choices": [(format_month(m), month_label(m)) for m in end_choices],
        "month_choices": list(range(1, MAX_MONTHS + 1)),
        "selected_end": format_month(window.end) if window else "",
        "selected_months": window.months if window else None,
        "errors": errors,
        "chart": top_neighbourhoods_chart(report) if report.available else None,
        "profile_url": _optional_url("district-profile", district.code),
        "upload_url": _optional_url("policeuk-upload") if roles.is_county_analyst(request.user) else None,
    }
    return render(request, "crimedata/policeuk/neighbourhoods.html", context, status=400 if errors else 200)

