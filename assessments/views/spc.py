"""SPC pages: pick a series, see its chart and table, apply or remove step changes.

Thin views: options and forms are checked here (``assessments.forms``), the
page is assembled by ``assessments.spc.page``, and every write goes through
``assessments.spc.step_changes``, which checks the permission again. The
chart's summary is edited through the one edit flow for generated text
(``assessments.views.commentary``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from assessments.forms import RemoveStepChangeForm, SpcOptionsForm, SpcPickForm, StepChangeForm, error_summary
from assessments.spc.chart import SpcOptions, spc_chart
from assessments.spc.page import chart_page, chart_url, options_page, series_or_404
from assessments.spc.series import default_grain, grains_for
from assessments.spc.step_changes import StepChangeError, add_step_change, remove_step_change
from assessments.spc.summary import variation_summary
from crimedata import roles
from crimedata.access import deny_unless
from crimedata.periods import parse_month
from crimedata.selectors import CategoryInfo, DistrictInfo, ReferenceData, data_generation, reference_data

CHART_TEMPLATE = "assessments/spc/chart.html"


def _reference() -> tuple[int, ReferenceData]:
    generation = data_generation()
    return generation, reference_data(generation)


def _render_chart(request: HttpRequest, page: dict, options_form: SpcOptionsForm, *,
                  step_form: StepChangeForm | None = None, remove_errors: dict | None = None,
                  status: int = 200) -> HttpResponse:
    if step_form is None and page["can_edit"] and page["visible"]:
        step_form = StepChangeForm(choices=page["chart"].step_change_choices, initial_month=page["suggested_month"])
    remove_errors = remove_errors or {}
    errors = error_summary(options_form, step_form,
                           extra=[(f"#remove-reason-{pk}", text) for pk, text in remove_errors.items()])
    context = {**page, "options_form": options_form, "step_form": step_form, "remove_errors": remove_errors,
               "errors": errors}
    return render(request, CHART_TEMPLATE, context, status=status)


def _refuse_unless_editor(request: HttpRequest, district: DistrictInfo) -> HttpResponse | None:
    return deny_unless(request, roles.can_edit_district_texts(request.user, district.id),
                       f"You cannot change the step changes for {district.name}.")


def _posted_options(request: HttpRequest, category: CategoryInfo) -> tuple[SpcOptions, SpcOptionsForm]:
    """The chart a step-change form was posted from (its grain only), and its options form."""
    grain = request.POST.get("grain") or default_grain(category)
    options = SpcOptions(grain=grain if grain in grains_for(category) else default_grain(category))
    options_form = SpcOptionsForm({"grain": options.grain}, category=category)
    options_form.is_valid()
    return options, options_form


@require_GET
def spc_index(request: HttpRequest) -> HttpResponse:
    """Pick a district (and a category); with a district only, list every series' latest variation."""
    generation, ref = _reference()
    form = SpcPickForm(request.GET or None, ref=ref)
    context = {"page_title": "SPC charts", "form": form, "district": None, "summary": [], "errors": []}
    if not request.GET:
        return render(request, "assessments/spc/index.html", context)
    if not form.is_valid():
        context["errors"] = error_summary(form)
        return render(request, "assessments/spc/index.html", context, status=400)
    code, slug = form.cleaned_data["district"], form.cleaned_data["category"]
    if code and slug:
        return redirect(reverse("spc-chart", args=[code, slug]))
    if code:
        district = ref.district(code)
        rows = variation_summary(
            code, [c.slug for c in ref.in_tree_order()], user=request.user, ref=ref, generation=generation
        )
        context.update(
            district=district,
            summary=[r for r in rows if r.latest_label is not None or r.withheld],
            page_title=f"SPC charts for {district.name}",
        )
    return render(request, "assessments/spc/index.html", context)


@require_GET
def spc_chart_page(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    generation, ref = _reference()
    district, category = series_or_404(ref, code, slug)
    form = SpcOptionsForm(request.GET, category=category)
    if not form.is_valid():
        context = {**options_page(district, category), "options_form": form, "errors": error_summary(form)}
        return render(request, CHART_TEMPLATE, context, status=400)
    page = chart_page(user=request.user, ref=ref, generation=generation, district=district, category=category,
                      options=form.options())
    return _render_chart(request, page, form)


@require_POST
def spc_step_change_add(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    generation, ref = _reference()
    district, category = series_or_404(ref, code, slug)
    refused = _refuse_unless_editor(request, district)
    if refused is not None:
        return refused
    options, options_form = _posted_options(request, category)
    chart = spc_chart(district.code, category.slug, options, user=request.user, ref=ref, generation=generation)
    form = StepChangeForm(request.POST, choices=chart.step_change_choices)
    if form.is_valid():
        try:
            add_step_change(user=request.user, district=district, category=category,
                            month=parse_month(form.cleaned_data["month"]), reason=form.cleaned_data["reason"])
        except StepChangeError as error:
            form.add_error("month", str(error))
        else:
            messages.success(request, f"Step change saved: the limits start again from "
                                      f"{dict(chart.step_change_choices)[form.cleaned_data['month']]}.")
            return redirect(chart_url(district, category, options, "#step-changes"))
    page = chart_page(user=request.user, ref=ref, generation=generation, district=district, category=category,
                      options=options)
    return _render_chart(request, page, options_form, step_form=form, status=400)


@require_POST
def spc_step_change_remove(request: HttpRequest, code: str, slug: str, pk: int) -> HttpResponse:
    generation, ref = _reference()
    district, category = series_or_404(ref, code, slug)
    refused = _refuse_unless_editor(request, district)
    if refused is not None:
        return refused
    options, options_form = _posted_options(request, category)
    form = RemoveStepChangeForm(request.POST)
    if not form.is_valid():
        error = form.errors["reason"][0]
    else:
        try:
            remove_step_change(user=request.user, district=district, category=category, step_change_id=pk,
                               reason=form.cleaned_data["reason"])
        except StepChangeError as problem:
            error = str(problem)
        else:
            messages.success(request, "Step change removed. The reason is kept in the history.")
            return redirect(chart_url(district, category, options, "#step-changes"))
    page = chart_page(user=request.user, ref=ref, generation=generation, district=district, category=category,
                      options=options)
    return _render_chart(request, page, options_form, remove_errors={pk: error}, status=400)
