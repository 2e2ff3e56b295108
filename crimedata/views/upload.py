"""Spreadsheet upload: preview (a dry run of the import command's code), confirm, templates."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from crimedata import roles, uploads
from crimedata.access import STAFF_ONLY, district_for_entry, editable_districts, forbidden, require
from crimedata.entry import Quarter, build_grid, quarter_is_open, selectable_quarters
from crimedata.forms import FigureUploadForm, TemplateForm
from crimedata.history import period_label
from crimedata.importers.figures import ImportOutcome, import_figures
from crimedata.models import Figure
from crimedata.periods import month_index
from crimedata.selectors import ReferenceData, data_generation, reference_data

ACTIONS = {"create": "New", "update": "Changed", "unchanged": "Unchanged"}


def _import(request: HttpRequest, ref: ReferenceData, staged: uploads.StagedUpload, **kwargs) -> ImportOutcome:
    """The command's import, limited to what this person may change."""
    user = request.user
    allowed_categories = {c.id for c in ref.categories if roles.can_edit_category(user, c.entry)}
    return import_figures(
        staged.path, staged.name, ref, user=user, source=Figure.SOURCE_UPLOAD,
        district_filter=lambda district_id: roles.can_edit_district(user, district_id),
        category_filter=lambda category_id: category_id in allowed_categories,
        **kwargs,
    )


def _template_form(request: HttpRequest, ref: ReferenceData, data=None) -> TemplateForm:
    today = timezone.localdate()
    return TemplateForm(editable_districts(request.user, ref), selectable_quarters(today), data,
                        auto_id="template-%s")


def _page(
    request: HttpRequest, ref: ReferenceData, *, status: int = 200, file_error: str = "", template_errors=None
) -> HttpResponse:
    template_errors = template_errors or {}
    errors = [{"text": file_error, "href": "#id_file"}] if file_error else []
    errors += [{"text": field_errors[0], "href": f"#template-{name}"} for name, field_errors in template_errors.items()]
    context = {
        "page_title": "Upload figures",
        "template_form": _template_form(request, ref),
        "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
        "officer_only": not roles.is_county_analyst(request.user),
        "file_error": file_error,
        "template_errors": template_errors,
        "errors": errors,
        "error_title": "There is a problem: nothing was saved" if file_error else "There is a problem",
    }
    return render(request, "crimedata/upload.html", context, status=status)


@require(roles.can_enter_figures, STAFF_ONLY)
def upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: check the file, stage it and show the preview (nothing is saved)."""
    ref = reference_data(data_generation())
    if request.method != "POST":
        return _page(request, ref)
    form = FigureUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, ref, status=400, file_error=form.errors["file"][0])
    staged = uploads.stage(form.cleaned_data["file"], request.user, request.session)
    try:
        outcome = _import(request, ref, staged, dry_run=True, preview_limit=uploads.PREVIEW_ROWS)
        if outcome.ok:
            uploads.keep_versions(staged, outcome.versions or [])
    except BaseException:
        # Whatever went wrong, the staged file never outlives the request that failed.
        uploads.discard(request.session, staged.token)
        raise
    if not outcome.ok:
        uploads.discard(request.session, staged.token)
        return _preview(request, ref, staged, outcome, status=400)
    return _preview(request, ref, staged, outcome)


def _preview(request, ref, staged, outcome: ImportOutcome, status: int = 200) -> HttpResponse:
    districts = {d.id: d.name for d in ref.districts}
    categories = {c.id: c.name for c in ref.categories}
    rows = [
        {
            "row": p.row, "district": districts[p.district_id], "category": categories[p.category_id],
            "period": period_label(month_index(p.period_start), month_index(p.period_end)),
            "value": p.value, "status": p.status, "note": p.note or "", "action": p.action,
            "action_label": ACTIONS[p.action], "old_value": p.old_value, "old_status": p.old_status,
        }
        for p in outcome.preview
    ]
    validation = outcome.validation
    errors = validation.sorted_errors()
    result = outcome.result
    return render(request, "crimedata/upload_preview.html", {
        "page_title": "Check your upload" if outcome.ok else "Your file has problems",
        "name": staged.name,
        "ok": outcome.ok,
        "token": staged.token,
        "rows": rows,
        "total_rows": validation.rows,
        "shown_rows": len(rows),
        "created": result.created if result else 0,
        "updated": result.updated if result else 0,
        "unchanged": result.unchanged if result else 0,
        "errors": errors,
        "error_count": validation.error_count,
        "hidden_errors": validation.error_count - len(errors),
        "problem_summary": _problem_summary(staged.name, errors, validation.error_count),
        "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
    }, status=status)


# The error summary lists this many of a file's problems; the table below the summary lists them all.
SUMMARY_PROBLEMS = 10


def _problem_summary(name: str, errors, count: int) -> dict:
    """The error summary of a file with problems: the first few, each linking to the file field."""
    items = [{"text": str(e), "href": "#id_file"} for e in errors[:SUMMARY_PROBLEMS]]
    if count > SUMMARY_PROBLEMS:
        items.append({"text": f"and {intcomma(count - SUMMARY_PROBLEMS)} more, listed below", "href": "#upload-errors"})
    return {"title": f"{intcomma(count)} problem{'' if count == 1 else 's'} in {name}: nothing was saved",
            "errors": items}


@require(roles.can_enter_figures, STAFF_ONLY)
@require_POST
def upload_confirm(request: HttpRequest) -> HttpResponse:
    """Write the previewed file in one transaction (re-checked in full), or nothing."""
    ref = reference_data(data_generation())
    staged = uploads.find_staged(request.session, request.POST.get("token", ""), request.user)
    if staged is None:
        return _page(request, ref, status=400, file_error=(
            "This upload has expired or was already saved or cancelled, so nothing was saved. Upload the file again."
        ))
    try:
        outcome = _import(request, ref, staged, expected_versions=uploads.read_versions(staged))
    except IntegrityError:
        # A figure in the file was entered by someone else at the very moment of saving.
        return _page(request, ref, status=409, file_error=(
            "Someone else entered some of these figures while your file was being saved, so nothing was saved. "
            "Upload the file again to see a new preview."
        ))
    finally:
        # Saved, refused or failed: the staged file is deleted either way.
        uploads.discard(request.session, staged.token)
    if not outcome.ok:
        return _preview(request, ref, staged, outcome, status=409 if outcome.conflicts else 400)
    messages.success(request, outcome.summary)
    return redirect(reverse("upload"))


@require(roles.can_enter_figures, STAFF_ONLY)
@require_POST
def upload_cancel(request: HttpRequest) -> HttpResponse:
    uploads.discard(request.session, request.POST.get("token", ""))
    messages.info(request, "Upload cancelled. Nothing was saved.")
    return redirect(reverse("upload"))


@require(roles.can_enter_figures, STAFF_ONLY)
def upload_template(request: HttpRequest) -> HttpResponse:
    """A CSV or Excel template for a district and quarter, prefilled with its stored figures."""
    ref = reference_data(data_generation())
    form = _template_form(request, ref, request.GET)
    if not form.is_valid():
        if "district" in form.errors and ref.district(request.GET.get("district", "")):
            # A real district that is not theirs: refuse plainly, like the grid does.
            district_for_entry(request.user, ref, request.GET["district"])
        return _page(request, ref, status=400, template_errors=form.errors)
    district = district_for_entry(request.user, ref, form.cleaned_data["district"])
    quarter: Quarter = form.cleaned_data["quarter"]
    today = timezone.localdate()
    if not quarter_is_open(quarter, today):
        return forbidden(request, f"{quarter.label} has not started yet, so there is no template for it.")
    grid = build_grid(ref, district, quarter, today)
    extension = form.cleaned_data["format"]
    filename = f"{district.slug}-{quarter.slug}-figures.{extension}"
    if extension == "csv":
        response = HttpResponse(uploads.template_csv(grid), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            uploads.template_xlsx(grid),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
