"""Pages for strategic assessments and plans: thin views over selectors and services.

Reading: the Kent priorities overview, a district's assessment page and its
scrutiny summary (anyone; drafts only for signed-in people with a role).
Editing: a district's own officers, county analysts and administrators change
a plan through these forms; partners, scrutiny members and the public only
read. Every edit goes through assessments.plans.services (one transaction,
permission and version checks, history).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max, ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from assessments.commentary.priorities import add_priority_commentary
from assessments.models import (
    Action,
    ActionUpdate,
    Agency,
    FundedOutcome,
    GrantApplication,
    MorileMultiplier,
    MorileScore,
    OutcomeUpdate,
    PccGrant,
    Priority,
    StrategicAssessment,
    Target,
    Theme,
)
from assessments.plans import forms as plan_forms
from assessments.plans import history, pdf, selectors, services
from assessments.plans.years import BadPlanYear, parse_plan_year, plan_year_label, plan_year_slug
from crimedata import roles
from crimedata.access import deny_unless
from crimedata.models import District
from crimedata.rules import ascii_int

FORM_TEMPLATE = "assessments/plans/form.html"
DELETE_TEMPLATE = "assessments/plans/delete.html"


# --- Access ------------------------------------------------------------------------------


NOT_YOUR_PLAN = "You cannot change this district's plan."


def _assessment(request: HttpRequest, code: str, year: int) -> StrategicAssessment:
    assessment = selectors.assessment_for(request.user, code, year)
    if assessment is None:
        raise Http404("There is no assessment for this district and year that you can see.")
    return assessment


def _editable(request: HttpRequest, code: str, year: int) -> StrategicAssessment:
    """The assessment, if the user may edit it. Checked before anything else, so a refused
    request learns nothing about another district's plan."""
    district = District.objects.filter(code=code).values_list("id", flat=True).first()
    if district is None:
        raise Http404("Unknown district.")
    refused = deny_unless(request, roles.can_edit_district_texts(request.user, district), NOT_YOUR_PLAN)
    if refused is not None:
        raise _Redirect(refused)
    assessment = StrategicAssessment.objects.select_related("district").filter(
        district_id=district, plan_year=year
    ).first()
    if assessment is None:
        raise Http404("There is no assessment for this district and year.")
    return assessment


class _Redirect(Exception):
    """A visitor's sign-in redirect, raised from a helper deep in an edit view and returned by _edit_view."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _edit_view(view: Callable) -> Callable:
    """Turn the sign-in redirect raised by _editable or _reference_editor into a response."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _Redirect as redirect_:
            return redirect_.response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _detail_url(assessment: StrategicAssessment, anchor: str = "") -> str:
    url = reverse("assessment-detail", args=[assessment.district.code, assessment.plan_year_slug])
    return f"{url}#{anchor}" if anchor else url


def _next_order(queryset) -> int:
    return (queryset.aggregate(top=Max("order"))["top"] or 0) + 1


# --- Reading pages -------------------------------------------------------------------------


@require_GET
def priorities_overview(request: HttpRequest) -> HttpResponse:
    """Kent priorities overview: districts × themes for a plan year."""
    years = selectors.available_plan_years(request.user)
    error = None
    status = 200
    raw = request.GET.get("year")
    if raw:
        try:
            year = parse_plan_year(raw)
        except BadPlanYear as problem:
            error, status = str(problem), 400
            year = years[0] if years else None
    else:
        year = years[0] if years else None
    matrix = selectors.priorities_matrix(request.user, year, years) if year is not None else None
    return render(
        request,
        "assessments/plans/overview.html",
        {
            "page_title": "Kent priorities" + (f" {plan_year_label(year)}" if year else ""),
            "matrix": matrix,
            "year": year,
            "years": years,
            "error": error,
            "error_list": [{"href": "#year", "text": error}] if error else [],
            "can_create": bool(roles.editable_district_ids(request.user) is None
                               or roles.editable_district_ids(request.user)),
        },
        status=status,
    )


@require_GET
def assessment_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    assessment = _assessment(request, code, year)
    page = selectors.plan_page(assessment, request.user)
    add_priority_commentary(page, request.user)
    return render(
        request,
        "assessments/plans/assessment_detail.html",
        {
            "page_title": f"{assessment.district.name} strategic assessment {assessment.plan_year_label}",
            "page": page,
            "assessment": assessment,
            "can_edit": roles.can_edit_district_texts(request.user, assessment.district_id),
        },
    )


@require_GET
def scrutiny_summary(request: HttpRequest, code: str, year: int) -> HttpResponse:
    assessment = _assessment(request, code, year)
    page = selectors.plan_page(assessment, request.user)
    add_priority_commentary(page, request.user)
    return render(
        request,
        "assessments/plans/scrutiny.html",
        {
            "page_title": f"{assessment.district.name} community safety priorities {assessment.plan_year_label}: "
            "summary for scrutiny",
            "page": page,
            "assessment": assessment,
            "pdf_available": pdf.available(),
        },
    )


@require_GET
def scrutiny_pdf(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The scrutiny summary as a PDF, printed by the server's headless Chromium when it has one."""
    assessment = _assessment(request, code, year)
    summary_url = reverse("scrutiny-summary", args=[code, plan_year_slug(year)])
    if not pdf.available():
        messages.info(request, "A PDF cannot be made on this server. Use your browser's Print, then Save as PDF.")
        return redirect(summary_url)
    page = selectors.plan_page(assessment, request.user)
    add_priority_commentary(page, request.user)
    html = render(request, "assessments/plans/scrutiny.html",
                  {"page": page, "assessment": assessment, "pdf_available": False, "for_pdf": True,
                   "page_title": f"{assessment.district.name} {assessment.plan_year_label} scrutiny summary"})
    try:
        document = pdf.cached_pdf(html.content.decode())
    except pdf.PdfError:
        messages.info(request, "The PDF could not be made just now. Use your browser's Print, then Save as PDF.")
        return redirect(summary_url)
    response = HttpResponse(document, content_type="application/pdf")
    name = f"{assessment.district.slug}-{assessment.plan_year_slug}-scrutiny-summary.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def assessment_history(request: HttpRequest, code: str, year: int) -> HttpResponse:
    assessment = _assessment(request, code, year)
    # Who changed what is for the partnership, not the public.
    refused = deny_unless(request, roles.can_view_drafts(request.user),
                          "The history of a plan is for the partnership: sign in with a role to read it.")
    if refused is not None:
        return refused
    entries = history.assessment_history(assessment)
    return render(
        request,
        "assessments/plans/history.html",
        {"page_title": f"Changes to the {assessment.district.name} {assessment.plan_year_label} plan",
         "assessment": assessment, "entries": entries},
    )


# --- Generic edit handling -------------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    *,
    assessment: StrategicAssessment | None,
    form_class,
    instance,
    title: str,
    back_url: str,
    success: str,
    form_kwargs: dict | None = None,
    reference: bool = False,
    intro: str = "",
) -> HttpResponse:
    """Show a form; on a valid POST save through the service and go back to the page."""
    form_kwargs = form_kwargs or {}
    conflict = None
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, instance=instance, **form_kwargs)
        if form.is_valid():
            save = services.save_reference_object if reference else services.save_plan_object
            kwargs = {"user": request.user, "expected_version": form.expected_version,
                      "reason": form.cleaned_data.get("change_note", "")}
            if not reference:
                kwargs["m2m"] = form.m2m_data()
            try:
                save(form.instance, **kwargs)
            except services.EditConflict as error:
                conflict = str(error)
                status = 409
                if error.current is not None:
                    form = form_class(instance=error.current, **form_kwargs)
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                messages.success(request, success)
                return redirect(back_url)
        else:
            status = 400
    else:
        form = form_class(instance=instance, **form_kwargs)
    return render(
        request,
        FORM_TEMPLATE,
        {"page_title": title, "form": form, "assessment": assessment, "back_url": back_url,
         "conflict": conflict, "intro": intro,
         "submit_label": "Save changes" if instance.pk else "Add"},
        status=status,
    )


def _delete_page(
    request: HttpRequest, *, assessment, instance, title: str, back_url: str, consequences: list[str],
    reference: bool = False, done: str = "Removed.",
) -> HttpResponse:
    status = 200
    error = None
    if request.method == "POST":
        form = plan_forms.DeleteForm(request.POST)
        if form.is_valid():
            delete = services.delete_reference_object if reference else services.delete_plan_object
            try:
                delete(instance, user=request.user, expected_version=form.cleaned_data.get("version"),
                       reason=form.cleaned_data.get("change_note", ""))
            except services.EditConflict as conflict:
                error, status = str(conflict), 409
            except ProtectedError:
                error, status = "It is still in use, so it cannot be removed.", 400
            except ValidationError as problem:
                error, status = " ".join(problem.messages), 400
            else:
                messages.success(request, done)
                return redirect(back_url)
        else:
            status = 400
    else:
        form = plan_forms.DeleteForm(initial={"version": instance.version})
    return render(
        request,
        DELETE_TEMPLATE,
        {"page_title": title, "form": form, "object": instance, "assessment": assessment, "back_url": back_url,
         "consequences": consequences, "error": error},
        status=status,
    )


# --- The assessment itself ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest) -> HttpResponse:
    ids = roles.editable_district_ids(request.user)
    refused = deny_unless(request, ids is None or bool(ids), NOT_YOUR_PLAN)
    if refused is not None:
        return refused
    districts = District.objects.all() if ids is None else District.objects.filter(id__in=ids)
    instance = StrategicAssessment()
    initial_district = districts.first() if districts.count() == 1 else None
    if request.method == "POST":
        form = plan_forms.AssessmentForm(request.POST, instance=instance, districts=districts)
        if form.is_valid():
            try:
                saved = services.save_plan_object(form.instance, user=request.user,
                                                  reason=form.cleaned_data.get("change_note", ""))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Assessment created. Now add its priorities.")
                return redirect(_detail_url(saved))
        status = 400
    else:
        form = plan_forms.AssessmentForm(instance=instance, districts=districts,
                                         initial={"district": initial_district})
        status = 200
    return render(request, FORM_TEMPLATE,
                  {"page_title": "Start a strategic assessment", "form": form, "assessment": None,
                   "back_url": reverse("priorities-overview"), "submit_label": "Create the assessment"},
                  status=status)


@_edit_view
@require_http_methods(["GET", "POST"])
def assessment_edit(request, code: str, year: int):
    assessment = _editable(request, code, year)
    return _form_page(
        request, assessment=assessment, form_class=plan_forms.AssessmentForm, instance=assessment,
        title=f"Change the {assessment.district.name} {assessment.plan_year_label} assessment",
        back_url=_detail_url(assessment), success="Assessment details saved.",
    )


@_edit_view
@require_http_methods(["GET", "POST"])
def funding_edit(request, code: str, year: int):
    assessment = _editable(request, code, year)
    instance = PccGrant.objects.filter(assessment=assessment).first() or PccGrant(assessment=assessment)
    return _form_page(
        request, assessment=assessment, form_class=plan_forms.PccGrantForm, instance=instance,
        title=f"PCC grant for {assessment.plan_year_label}", back_url=_detail_url(assessment, "funding"),
        success="PCC grant saved.",
    )


# --- Priorities, actions and updates -----------------------------------------------------------


@_edit_view
@require_http_methods(["GET", "POST"])
def priority_add(request, code: str, year: int):
    assessment = _editable(request, code, year)
    instance = Priority(assessment=assessment, order=_next_order(assessment.priorities.all()))
    return _form_page(request, assessment=assessment, form_class=plan_forms.PriorityForm, instance=instance,
                      title="Add a priority", back_url=_detail_url(assessment, "priorities"), success="Priority added.")


@_edit_view
@require_http_methods(["GET", "POST"])
def priority_edit(request, code: str, year: int, pk: int):
    assessment = _editable(request, code, year)
    priority = get_object_or_404(Priority, pk=pk, assessment=assessment)
    return _form_page(request, assessment=assessment, form_class=plan_forms.PriorityForm, instance=priority,
                      title=f"Change the priority: {priority.title}",
                      back_url=_detail_url(assessment, f"priority-{priority.pk}"), success="Priority saved.")


@_edit_view
@require_http_methods(["GET", "POST"])
def priority_delete(request, code: str, year: int, pk: int):
    assessment = _editable(request, code, year)
    priority = get_object_or_404(Priority, pk=pk, assessment=assessment)
    actions = priority.actions.count()
    return _delete_page(
        request, assessment=assessment, instance=priority, title=f"Remove the priority: {priority.title}", done="Priority removed.",
        back_url=_detail_url(assessment, "priorities"),
        consequences=[f"Its {actions} action{'s' if actions != 1 else ''} and their updates are removed too.",
                      "Targets and grants linked to it stay, no longer linked to a priority."],
    )


@_edit_view
@require_http_methods(["GET", "POST"])
def action_add(request, code: str, year: int, priority_pk: int):
    assessment = _editable(request, code, year)
    priority = get_object_or_404(Priority, pk=priority_pk, assessment=assessment)
    instance = Action(priority=priority, order=_next_order(priority.actions.all()))
    return _form_page(request, assessment=assessment, form_class=plan_forms.ActionForm, instance=instance,
                      title=f"Add an action to {priority.title}",
                      back_url=_detail_url(assessment, f"priority-{priority.pk}"), success="Action added.")


@_edit_view
@require_http_methods(["GET", "POST"])
def action_edit(request, code: str, year: int, pk: int):
    assessment = _editable(request, code, year)
    action = get_object_or_404(Action.objects.select_related("priority"), pk=pk, priority__assessment=assessment)
    return _form_page(request, assessment=assessment, form_class=plan_forms.ActionForm, instance=action,
                      title="Change an action", back_url=_detail_url(assessment, f"action-{action.pk}"),
                      success="Action saved.")


@_edit_view
@require_http_methods(["GET", "POST"])
def action_delete(request, code: str, year: int, pk: int):
    assessment = _editable(request, code, year)
    action = get_object_or_404(Action.objects.select_related("priority"), pk=pk, priority__assessment=assessment)
    return _delete_page(request, assessment=assessment, instance=action, title="Remove an action", done="Action removed.",
                        back_url=_detail_url(assessment, f"priority-{action.priority_id}"),
                        consequences=["Its quarterly updates are removed too."])


def _update_page(request, assessment, action: Action, update: ActionUpdate):
    return _form_page(
        request, assessment=assessment, form_class=plan_forms.ActionUpdateForm, instance=update,
        title=f"{'Change the' if update.pk else 'Add a'} quarterly update", back_url=_detail_url(assessment, f"action-{action.pk}"),
        success="Progress update saved.", intro=action.description,
    )


@_edit_view
@require_http_methods(["GET", "POST"])
def action_update_add(request, code: str, year: int, action_pk: int):
    assessment = _editable(request, code, year)
    action = get_object_or_404(Action, pk=action_pk, priority__assessment=assessment)
    used = set(action.updates.values_list("quarter", flat=True))
    quarter = next((q for q in (1, 2, 3, 4) if q not in used), None)
    return _update_page(request, assessment, action, ActionUpdate(action=action, quarter=quarter))


@_edit_view
@require_http_methods(["GET", "POST"])
def action_update_edit(request, code: str, year: int, pk: int):
    assessment = _editable(request, code, year)
    update = get_object_or_404(ActionUpdate.objects.select_related("action"), pk=pk,
                               action__priority__assessment=assessment)
    return _update_page(request, assessment, update.action, update)


@_edit_view
@require_http_methods(["GET", "POST"])
def action_update_delete(request, code: str, year: int, pk: int):
    assessment = _editable(request, code, year)
    update = get_object_or_404(ActionUpdate, pk=pk, action__priority__assessment=assessment)
    return _delete_page(request, assessment=assessment, instance=update, title=f"Remove the Q{update.quarter} update", done="Update removed.",
                        back_url=_detail_url(assessment, f"action-{update.action_id}"), consequences=[])


# --- Targets ---------------------------------------------------------------------------------


@_edit_view
@require_http_methods(["GET", "POST"])
def target_add(request, code: str, year: int):
    assessment = _editable(request, code, year)
    priority_pk = ascii_int(request.GET.get("priority"))  # '²' is a digit to str.isdigit, but not to int()
    priority = Priority.objects.filter(pk=priority_pk, assessment=assessment).first() if priority_pk else None
    instance = Target(assessment=assessment, priority=priority, order=_next_order(assessment.targets.all()))
    return _form_page(request, assessment=assessment, form_class=plan_forms.TargetForm, instance=instance,
                      title="Add a target", back_url=_detail_url(assessment, "targets"), success="Target added.",
                      form_kwargs={"assessment": assessment})


@_edit_view
@require_http_methods(["GET", "POST"])
def target_edit(request, code: str, year: int, pk: int):
    assessment = _editable(request, code, year)
    target = get_object_or_404(Target, pk=pk, assessment=assessment)
    return _form_page(request, assessment=assessment, form_class=plan_forms.TargetForm, instance=target,
                      title="Change a target", back_url=_detail_url(assessment, f"target-{target.pk}"),
                      success="Target saved.", form_kwargs={"assessment": assessment})


@_edit_view
@require_http_methods(["GET", "POST"])
def target_delete(request, code: str, year: int, pk: int):
    assessment = _editable(request, code, year)
    target = get_object_or_404(Target, pk=pk, assessment=assessment)
    return _delete_page(request, assessment=assessment, instance=target, title="Remove a target", done="Target removed.",
                        back_url=_detail_url(assessment, "targets"), consequences=[])


# --- Grants and funded outcomes ----------------------------------------------------------------


@_edit_view
@require_http_methods(["GET", "POST"])
def grant_add(request, code: str, year: int):
    assessment = _editable(request, code, year)
    instance = GrantApplication(assessment=assessment, order=_next_order(assessment.grants.all()))
    return _form_page(request, assessment=assessment, form_class=plan_forms.GrantForm, instance=instance,
                      title="Add a grant application", back_url=_detail_url(assessment, "funding"),
                      success="Grant application added.", form_kwargs={"assessment": assessment})


@_edit_view
@require_http_methods(["GET", "POST"])
def grant_edit(request, code: str, year: int, pk: int):
    assessment = _editable(request, code, year)
    grant = get_object_or_404(GrantApplication, pk=pk, assessment=assessment)
    return _form_page(request, assessment=assessment, form_class=plan_forms.GrantForm, instance=grant,
                      title=f"Change the grant application: {grant.project}",
                      back_url=_detail_url(assessment, f"grant-{grant.pk}"), success="Grant application saved.",
                      form_kwargs={"assessment": assessment})


@_edit_view
@require_http_methods(["GET", "POST"])
def grant_delete(request, code: str, year: int, pk: int):
    assessment = _editable(request, code, year)
    grant = get_object_or_404(GrantApplication, pk=pk, assessment=assessment)
    return _delete_page(request, assessment=assessment, instance=grant,
                        title=f"Remove the grant application: {grant.project}", done="Grant application removed.",
                        back_url=_detail_url(assessment, "funding"),
                        consequences=["Its funded outcomes and their quarterly reports are removed too."])


@_edit_view
@require_http_methods(["GET", "POST"])
def outcome_add(request, code: str, year: int, grant_pk: int):
    assessment = _editable(request, code, year)
    grant = get_object_or_404(GrantApplication, pk=grant_pk, assessment=assessment)
    instance = FundedOutcome(grant=grant, order=_next_order(grant.outcomes.all()))
    return _form_page(request, assessment=assessment, form_class=plan_forms.FundedOutcomeForm, instance=instance,
                      title=f"Add a service funded by {grant.project}",
                      back_url=_detail_url(assessment, f"grant-{grant.pk}"), success="Funded service added.")


@_edit_view
@require_http_methods(["GET", "POST"])
def outcome_edit(request, code: str, year: int, pk: int):
    assessment = _editable(request, code, year)
    outcome = get_object_or_404(FundedOutcome, pk=pk, grant__assessment=assessment)
    return _form_page(request, assessment=assessment, form_class=plan_forms.FundedOutcomeForm, instance=outcome,
                      title="Change a funded service", back_url=_detail_url(assessment, f"grant-{outcome.grant_id}"),
                      success="Funded service saved.")


@_edit_view
@require_http_methods(["GET", "POST"])
def outcome_delete(request, code: str, year: int, pk: int):
    assessment = _editable(request, code, year)
    outcome = get_object_or_404(FundedOutcome, pk=pk, grant__assessment=assessment)
    return _delete_page(request, assessment=assessment, instance=outcome, title="Remove a funded service", done="Funded service removed.",
                        back_url=_detail_url(assessment, f"grant-{outcome.grant_id}"),
                        consequences=["Its quarterly outcome reports are removed too."])


def _outcome_update_page(request, assessment, outcome: FundedOutcome, update: OutcomeUpdate):
    return _form_page(
        request, assessment=assessment, form_class=plan_forms.OutcomeUpdateForm, instance=update,
        title=f"{'Change the' if update.pk else 'Add a'} quarterly outcome report",
        back_url=_detail_url(assessment, f"grant-{outcome.grant_id}"), success="Outcome report saved.",
        intro=outcome.service,
    )


@_edit_view
@require_http_methods(["GET", "POST"])
def outcome_update_add(request, code: str, year: int, outcome_pk: int):
    assessment = _editable(request, code, year)
    outcome = get_object_or_404(FundedOutcome, pk=outcome_pk, grant__assessment=assessment)
    used = set(outcome.updates.values_list("quarter", flat=True))
    quarter = next((q for q in (1, 2, 3, 4) if q not in used), None)
    return _outcome_update_page(request, assessment, outcome, OutcomeUpdate(outcome=outcome, quarter=quarter))


@_edit_view
@require_http_methods(["GET", "POST"])
def outcome_update_edit(request, code: str, year: int, pk: int):
    assessment = _editable(request, code, year)
    update = get_object_or_404(OutcomeUpdate.objects.select_related("outcome"), pk=pk,
                               outcome__grant__assessment=assessment)
    return _outcome_update_page(request, assessment, update.outcome, update)


@_edit_view
@require_http_methods(["GET", "POST"])
def outcome_update_delete(request, code: str, year: int, pk: int):
    assessment = _editable(request, code, year)
    update = get_object_or_404(OutcomeUpdate.objects.select_related("outcome"), pk=pk,
                               outcome__grant__assessment=assessment)
    return _delete_page(request, assessment=assessment, instance=update,
                        title=f"Remove the Q{update.quarter} outcome report", done="Outcome report removed.",
                        back_url=_detail_url(assessment, f"grant-{update.outcome.grant_id}"), consequences=[])


# --- MoRiLE ------------------------------------------------------------------------------------


@_edit_view
@require_http_methods(["GET", "POST"])
def morile_edit(request, code: str, year: int):
    """The whole MoRiLE table in one form, saved in one transaction."""
    assessment = _editable(request, code, year)
    multipliers = {m.csp_score: m.multiplier for m in MorileMultiplier.objects.all()}
    themes = dict(Theme.objects.values_list("pk", "name"))
    form_kwargs = {"multipliers": set(multipliers), "themes": themes}
    rows = list(MorileScore.objects.filter(assessment=assessment).select_related("theme")
                .order_by("theme__display_order", "theme__name"))
    initial = [{"pk": r.pk, "version": r.version, "theme": r.theme_id, "total_harm": r.total_harm, "risk": r.risk,
                "csp_score": r.csp_score} for r in rows]
    conflict = None
    status = 200
    if request.method == "POST":
        formset = plan_forms.MorileFormSet(request.POST, initial=initial, form_kwargs=form_kwargs, prefix="morile")
        if formset.is_valid():
            inputs = []
            for form in formset.forms:
                data = form.cleaned_data
                if not data or (not form.has_changed() and not data.get("pk")):
                    continue
                inputs.append(services.MorileRowInput(
                    pk=data.get("pk"), expected_version=data.get("version"),
                    theme_id=data.get("theme"), total_harm=data.get("total_harm"),
                    risk=data.get("risk"), csp_score=data.get("csp_score"), delete=bool(data.get("DELETE")),
                ))
            try:
                services.save_morile_table(assessment, inputs, user=request.user,
                                           reason=request.POST.get("change_note", "")[:300])
            except services.EditConflict as error:
                conflict, status = str(error), 409
            except services.MorileTableError as error:
                for index, problems in error.row_errors.items():
                    for field, message in problems.items():
                        formset.forms[index].add_error(field, message)
                status = 400
            except ValidationError as error:
                formset.forms[0].add_error(None, error) if formset.forms else None
                status = 400
            else:
                messages.success(request, "MoRiLE table saved.")
                return redirect(_detail_url(assessment, "morile"))
        else:
            status = 400
    else:
        formset = plan_forms.MorileFormSet(initial=initial, form_kwargs=form_kwargs, prefix="morile")
    errors = []
    if request.method == "POST":
        for number, form in enumerate(formset.forms, start=1):
            for error in form.error_list() if form.is_bound else []:
                errors.append({**error, "text": f"Row {number}: {error['text']}"})
        for message in formset.non_form_errors():
            errors.append({"href": "", "text": message})
    return render(
        request,
        "assessments/plans/morile_form.html",
        {"page_title": f"MoRiLE table for {assessment.district.name} {assessment.plan_year_label}",
         "assessment": assessment, "formset": formset, "errors": errors, "conflict": conflict,
         "multipliers": sorted(multipliers.items()), "back_url": _detail_url(assessment, "morile")},
        status=status,
    )


# --- Shared reference data: themes, agencies, MoRiLE multipliers (county analysts) --------------

REFERENCE = {
    "themes": (Theme, plan_forms.ThemeForm, "theme", "Themes"),
    "agencies": (Agency, plan_forms.AgencyForm, "agency", "Agencies and providers"),
    "multipliers": (MorileMultiplier, plan_forms.MultiplierForm, "multiplier", "MoRiLE multipliers"),
}


@require_GET
def reference_list(request: HttpRequest, kind: str) -> HttpResponse:
    model, _, noun, title = REFERENCE[kind]
    objects = list(model.objects.all())
    return render(
        request,
        "assessments/plans/reference_list.html",
        {"page_title": title, "kind": kind, "noun": noun, "objects": objects,
         "can_edit": roles.can_edit_shared_plan_reference(request.user)},
    )


def _reference_editor(request) -> None:
    refused = deny_unless(request, roles.can_edit_shared_plan_reference(request.user),
                          "Only county analysts can change the shared themes, agencies and MoRiLE multipliers.")
    if refused is not None:
        raise _Redirect(refused)


@_edit_view
@require_http_methods(["GET", "POST"])
def reference_add(request: HttpRequest, kind: str):
    _reference_editor(request)
    model, form_class, noun, title = REFERENCE[kind]
    return _form_page(request, assessment=None, form_class=form_class, instance=model(), title=f"Add a {noun}",
                      back_url=reverse("plan-reference-list", args=[kind]), success=f"{noun.capitalize()} added.",
                      reference=True)


@_edit_view
@require_http_methods(["GET", "POST"])
def reference_edit(request: HttpRequest, kind: str, pk: int):
    _reference_editor(request)
    model, form_class, noun, title = REFERENCE[kind]
    instance = get_object_or_404(model, pk=pk)
    return _form_page(request, assessment=None, form_class=form_class, instance=instance, title=f"Change a {noun}",
                      back_url=reverse("plan-reference-list", args=[kind]), success=f"{noun.capitalize()} saved.",
                      reference=True)


@_edit_view
@require_http_methods(["GET", "POST"])
def reference_delete(request: HttpRequest, kind: str, pk: int):
    _reference_editor(request)
    model, _, noun, _ = REFERENCE[kind]
    instance = get_object_or_404(model, pk=pk)
    return _delete_page(request, assessment=None, instance=instance, title=f"Remove the {noun} {instance}", done=f"{noun.capitalize()} removed.",
                        back_url=reverse("plan-reference-list", args=[kind]),
                        consequences=["It cannot be removed while a plan uses it."], reference=True)
