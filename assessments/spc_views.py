"""SPC pages: pick a series, see its chart and table, apply or remove step changes, edit its summary.

Thin views: options and forms are checked here, the figures come from
assessments.spc (selectors), and every write goes through its services or
assessments.commentary_edits, which check permissions again.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import spc
from assessments.commentary_edits import (
    CommentaryConflict,
    CommentaryError,
    commentary_history,
    commentary_key,
    resolve_commentary,
    revert_commentary,
    save_commentary,
)
from crimedata import roles
from crimedata.periods import format_month, parse_month
from crimedata.selectors import CategoryInfo, DistrictInfo, ReferenceData, data_generation, reference_data

# --- Forms ------------------------------------------------------------------------------------------------------


class PickForm(forms.Form):
    district = forms.ChoiceField(label="District", required=False)
    category = forms.ChoiceField(label="Category", required=False)

    def __init__(self, *args, ref: ReferenceData, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", "Choose a district")] + [(d.code, d.name) for d in ref.districts]
        self.fields["category"].choices = [("", "All categories (summary)")] + [
            (c.slug, "\u2003" * ref.depth(c.slug) + c.name) for c in ref.in_tree_order()
        ]
        self.fields["district"].error_messages["invalid_choice"] = "Choose a district from the list."
        self.fields["category"].error_messages["invalid_choice"] = "Choose a category from the list."

    def clean(self):
        data = super().clean()
        if data.get("category") and not data.get("district"):
            self.add_error("district", "Choose the district to chart.")
        return data


class ChartOptionsForm(forms.Form):
    grain = forms.ChoiceField(label="Points", required=False, widget=forms.RadioSelect)
    screen = forms.BooleanField(label="Screen out extreme moving ranges (as the R package does)", required=False)
    fix_after = forms.IntegerField(
        label="Fix the limits after this many points", required=False, min_value=2, max_value=600,
        error_messages={
            "invalid": "Enter the number of points as a whole number, like 12.",
            "min_value": "The limits need at least 2 points to measure the variation.",
            "max_value": "Enter 600 points or fewer.",
        },
    )
    near = forms.BooleanField(label="Show the near limits (2 sigma)", required=False)

    def __init__(self, *args, category: CategoryInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        self.fields["grain"].choices = [(g, spc.GRAINS[g]) for g in (spc.MONTH, spc.QUARTER)]
        self.fields["grain"].error_messages["invalid_choice"] = "Choose monthly or quarterly points."

    def clean_grain(self):
        grain = self.cleaned_data.get("grain") or spc.default_grain(self.category)
        if grain not in spc.grains_for(self.category):
            raise forms.ValidationError(
                f"Monthly figures are not available for {self.category.name}: they are entered quarterly. "
                "Choose quarterly points."
            )
        return grain

    def options(self) -> spc.SpcOptions:
        data = self.cleaned_data
        return spc.SpcOptions(
            grain=data["grain"], screen_outliers=bool(data.get("screen")), fix_after=data.get("fix_after"),
            near_limits=bool(data.get("near")),
        )


class StepChangeForm(forms.Form):
    month = forms.ChoiceField(label="First month of the new limits")
    reason = forms.CharField(
        label="Why did the process change?", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for the step change, for example a change in recording practice."},
    )

    def __init__(self, *args, choices, initial_month: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", "Choose the first month")] + list(choices)
        self.fields["month"].error_messages.update(
            required="Choose where the new limits start.",
            invalid_choice="Choose a month shown on the chart, other than the first.",
        )
        if initial_month:
            self.fields["month"].initial = initial_month


class RemoveStepChangeForm(forms.Form):
    reason = forms.CharField(
        label="Why remove this step change?", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give the reason for removing the step change."},
    )


_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


class CommentaryForm(forms.Form):
    text = forms.CharField(
        label="Summary", max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter the summary, or go back to the generated text."},
    )
    reason = forms.CharField(label="Why are you changing it? (optional)", max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_fingerprint(self):
        value = self.cleaned_data["fingerprint"]
        if not _FINGERPRINT.match(value):
            raise forms.ValidationError("The page was out of date. Open the summary again and make your change.")
        return value


# --- Helpers ---------------------------------------------------------------------------------------------------


def _reference() -> tuple[int, ReferenceData]:
    generation = data_generation()
    return generation, reference_data(generation)


def _series_or_404(ref: ReferenceData, code: str, slug: str) -> tuple[DistrictInfo, CategoryInfo]:
    district, category = ref.district(code), ref.category(slug)
    if district is None or category is None:
        raise Http404("There is no such district or category.")
    return district, category


def _chart_url(district: DistrictInfo, category: CategoryInfo, options: spc.SpcOptions, anchor: str = "") -> str:
    url = reverse("spc-chart", args=[district.code, category.slug])
    return f"{url}?{urlencode(options.query())}{anchor}"


def _summary_context(chart: spc.SpcChart) -> dict:
    latest = chart.latest
    segment = chart.latest_segment
    if latest is None or segment is None or chart.withheld:
        return {}
    return {
        "label": latest["label"],
        "value": spc.display_number(latest["value"]),
        "provisional": bool(latest["provisional"]),
        "variation": latest["variation"],
        "variation_text": latest["variation_text"],
        "rule_text": latest["rule_text"] if latest["variation"] != spc.COMMON else None,
        "mean": spc.display_number(segment.mean, 1),
        "upl": spc.display_number(segment.upl, 1),
        "lpl": spc.display_number(max(segment.lpl, 0.0), 1),
        "lpl_clamped": segment.lpl < 0,
        "since": chart.columns["label"][segment.start],
    }


def error_list(*forms_: forms.Form | None, extra: list[tuple[str, str]] = ()) -> list[dict]:
    """GOV.UK error summary entries (link to the field, message) for the forms on a page."""
    errors = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for name, messages_ in form.errors.items():
            field_id = f"#{form[name].id_for_label}" if name != "__all__" else ""
            if name in form.fields and isinstance(form.fields[name].widget, forms.RadioSelect):
                field_id = f"#{form[name].auto_id}_0"
            errors.extend({"href": field_id, "text": message} for message in messages_)
    errors.extend({"href": href, "text": text} for href, text in extra)
    return errors


def _render_chart(
    request: HttpRequest,
    *,
    generation: int,
    ref: ReferenceData,
    district: DistrictInfo,
    category: CategoryInfo,
    options: spc.SpcOptions,
    options_form: ChartOptionsForm,
    step_form: StepChangeForm | None = None,
    remove_errors: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    chart = spc.spc_chart(district.code, category.slug, options, user=request.user, ref=ref, generation=generation)
    can_edit = spc.can_change_step_changes(request.user, district)
    signed_in_staff = roles.can_see_provisional(request.user) and request.user.is_authenticated
    visible = chart.has_data and not chart.withheld
    resolved = None
    if visible:
        generated = spc.chart_summary(spc.default_chart(chart))
        resolved = resolve_commentary(
            commentary_key("spc", district.code, category.slug, options.grain), generated, user=request.user
        )
    suggested = format_month(chart.suggested_step_change) if chart.suggested_step_change is not None else None
    if step_form is None and can_edit and visible:
        step_form = StepChangeForm(choices=chart.step_change_choices, initial_month=suggested)
    context = {
        "page_title": f"{category.name} in {district.name}: SPC chart",
        "district": district,
        "category": category,
        "chart": chart,
        "visible": visible,
        "options": options,
        "options_form": options_form,
        "grains": [(g, spc.GRAINS[g], g in spc.grains_for(category)) for g in (spc.MONTH, spc.QUARTER)],
        "figure": spc.chart_figure(chart) if visible else None,
        "rows": spc.table_rows(chart) if visible else [],
        "summary": _summary_context(chart),
        "commentary": resolved,
        "can_edit": can_edit,
        "signed_in_staff": signed_in_staff,
        "step_form": step_form,
        "remove_errors": remove_errors or {},
        "history": spc.step_change_history(district, category) if signed_in_staff else [],
        "errors": error_list(
            options_form,
            step_form,
            extra=[(f"#remove-reason-{pk}", text) for pk, text in (remove_errors or {}).items()],
        ),
        "grain_query": urlencode({"grain": options.grain}),
        "run_length": chart.run_length,
        "trend_length": chart.trend_length,
    }
    return render(request, "assessments/spc/chart.html", context, status=status)


# --- Views ---------------------------------------------------------------------------------------------------------


@require_GET
def spc_index(request: HttpRequest) -> HttpResponse:
    """Pick a district (and a category); with a district only, list every series' latest variation."""
    generation, ref = _reference()
    form = PickForm(request.GET or None, ref=ref)
    context = {"page_title": "SPC charts", "form": form, "district": None, "summary": [], "errors": []}
    if not request.GET:
        return render(request, "assessments/spc/index.html", context)
    if not form.is_valid():
        context["errors"] = error_list(form)
        return render(request, "assessments/spc/index.html", context, status=400)
    code, slug = form.cleaned_data["district"], form.cleaned_data["category"]
    if code and slug:
        return redirect(reverse("spc-chart", args=[code, slug]))
    if code:
        district = ref.district(code)
        rows = spc.variation_summary(
            code, [c.slug for c in ref.in_tree_order()], user=request.user, ref=ref, generation=generation
        )
        context.update(
            district=district,
            summary=[r for r in rows if r.latest_label is not None or r.withheld],
            page_title=f"SPC charts for {district.name}",
        )
    return render(request, "assessments/spc/index.html", context)


@require_GET
def spc_chart(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    generation, ref = _reference()
    district, category = _series_or_404(ref, code, slug)
    form = ChartOptionsForm(request.GET, category=category)
    if not form.is_valid():
        context = {
            "page_title": f"{category.name} in {district.name}: SPC chart",
            "district": district, "category": category, "options_form": form, "chart": None,
            "grains": [(g, spc.GRAINS[g], g in spc.grains_for(category)) for g in (spc.MONTH, spc.QUARTER)],
            "options": spc.SpcOptions(grain=spc.default_grain(category)),
            "errors": error_list(form),
        }
        return render(request, "assessments/spc/chart.html", context, status=400)
    return _render_chart(
        request, generation=generation, ref=ref, district=district, category=category, options=form.options(),
        options_form=form,
    )


def _grain_from_post(request: HttpRequest, category: CategoryInfo) -> str:
    grain = request.POST.get("grain") or spc.default_grain(category)
    return grain if grain in spc.grains_for(category) else spc.default_grain(category)


@require_POST
def spc_step_change_add(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    generation, ref = _reference()
    district, category = _series_or_404(ref, code, slug)
    if not spc.can_change_step_changes(request.user, district):
        raise PermissionDenied(f"You cannot change the step changes for {district.name}.")
    options = spc.SpcOptions(grain=_grain_from_post(request, category))
    chart = spc.spc_chart(district.code, category.slug, options, user=request.user, ref=ref, generation=generation)
    form = StepChangeForm(request.POST, choices=chart.step_change_choices)
    if form.is_valid():
        try:
            spc.add_step_change(
                user=request.user, district=district, category=category,
                month=parse_month(form.cleaned_data["month"]), reason=form.cleaned_data["reason"],
            )
        except spc.StepChangeError as error:
            form.add_error("month", str(error))
        else:
            messages.success(request, f"Step change saved: the limits start again from "
                                      f"{dict(chart.step_change_choices)[form.cleaned_data['month']]}.")
            return redirect(_chart_url(district, category, options, "#step-changes"))
    options_form = ChartOptionsForm({"grain": options.grain}, category=category)
    options_form.is_valid()
    return _render_chart(
        request, generation=generation, ref=ref, district=district, category=category, options=options,
        options_form=options_form, step_form=form, status=400,
    )


@require_POST
def spc_step_change_remove(request: HttpRequest, code: str, slug: str, pk: int) -> HttpResponse:
    generation, ref = _reference()
    district, category = _series_or_404(ref, code, slug)
    if not spc.can_change_step_changes(request.user, district):
        raise PermissionDenied(f"You cannot change the step changes for {district.name}.")
    options = spc.SpcOptions(grain=_grain_from_post(request, category))
    form = RemoveStepChangeForm(request.POST)
    error = None
    if form.is_valid():
        try:
            spc.remove_step_change(
                user=request.user, district=district, category=category, step_change_id=pk,
                reason=form.cleaned_data["reason"],
            )
        except spc.StepChangeError as problem:
            error = str(problem)
        else:
            messages.success(request, "Step change removed. The reason is kept in the history.")
            return redirect(_chart_url(district, category, options, "#step-changes"))
    else:
        error = form.errors["reason"][0]
    options_form = ChartOptionsForm({"grain": options.grain}, category=category)
    options_form.is_valid()
    return _render_chart(
        request, generation=generation, ref=ref, district=district, category=category, options=options,
        options_form=options_form, remove_errors={pk: error}, status=400,
    )


@require_http_methods(["GET", "POST"])
def spc_commentary(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    """Edit the chart's written summary; the edit is kept and marked when the figures change."""
    generation, ref = _reference()
    district, category = _series_or_404(ref, code, slug)
    if not spc.can_change_step_changes(request.user, district):
        raise PermissionDenied(f"You cannot edit the summaries for {district.name}.")
    asked = request.POST.get("grain") if request.method == "POST" else request.GET.get("grain")
    grain = asked if asked in spc.grains_for(category) else spc.default_grain(category)
    options = spc.SpcOptions(grain=grain)
    chart = spc.spc_chart(district.code, category.slug, options, user=request.user, ref=ref, generation=generation)
    if not chart.has_data:
        raise Http404("There are no figures to summarise.")
    generated = spc.chart_summary(chart)
    key = commentary_key("spc", district.code, category.slug, grain)
    resolved = resolve_commentary(key, generated, user=request.user)
    status = 200
    if request.method == "POST":
        form = CommentaryForm(request.POST)
        revert = request.POST.get("action") == "revert"
        if revert:
            form.fields["text"].required = False
        if form.is_valid():
            try:
                if revert:
                    revert_commentary(
                        user=request.user, key=key, district_id=district.id,
                        expected_version=form.cleaned_data["version"], reason=form.cleaned_data["reason"],
                    )
                    messages.success(request, "The summary is back to the generated text.")
                else:
                    save_commentary(
                        user=request.user, key=key, district_id=district.id, text=form.cleaned_data["text"],
                        generated=generated, fingerprint=form.cleaned_data["fingerprint"],
                        expected_version=form.cleaned_data["version"], reason=form.cleaned_data["reason"],
                    )
                    messages.success(request, "Your summary is saved and will be shown in place of the generated one.")
                return redirect(_chart_url(district, category, options, "#summary"))
            except (CommentaryConflict, CommentaryError) as problem:
                form.add_error("text", str(problem))
        status = 400
    else:
        form = CommentaryForm(
            initial={"text": resolved.text, "version": resolved.version, "fingerprint": generated.fingerprint}
        )
    context = {
        "page_title": f"Edit the summary: {category.name} in {district.name}",
        "district": district,
        "category": category,
        "form": form,
        "commentary": resolved,
        "generated": generated,
        "history": commentary_history(key),
        "options": options,
        "chart_url": _chart_url(district, category, options, "#summary"),
        "errors": error_list(form),
    }
    return render(request, "assessments/spc/commentary_edit.html", context, status=status)
