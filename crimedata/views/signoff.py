"""Signing a quarter off (county analysts): choose, check what it will do, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from crimedata import roles
from crimedata.access import require
from crimedata.entry import quarter_statuses, recent_quarters
from crimedata.forms import SignOffForm
from crimedata.selectors import data_generation, reference_data
from crimedata.signoff import SignOffRefused, plan_sign_off, recent_sign_offs, sign_off_period

# Ended quarters offered for sign-off.
SIGN_OFF_QUARTERS = 16


@require(roles.can_sign_off, "Only county analysts and administrators can sign a period off.")
def sign_off(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: show what signing off would do; POST with ``confirm``: do it."""
    ref = reference_data(data_generation())
    today = timezone.localdate()
    quarters = recent_quarters(today, SIGN_OFF_QUARTERS)
    form = SignOffForm(ref.districts, quarters, request.POST if request.method == "POST" else None)
    context = {"page_title": "Sign off a quarter", "form": form, "recent": recent_sign_offs(20)}
    if request.method != "POST":
        return render(request, "crimedata/sign_off.html", context)
    if not form.is_valid():
        context["errors"] = [{"text": errors[0], "href": f"#id_{name}"} for name, errors in form.errors.items()]
        return render(request, "crimedata/sign_off.html", context, status=400)
    quarter = form.cleaned_data["quarter"]
    code = form.cleaned_data["district"]
    districts = list(ref.districts) if code == SignOffForm.ALL else [ref.district(code)]
    if "confirm" not in request.POST:
        statuses = quarter_statuses(ref, districts, [quarter])
        plans = [(plan, statuses[(plan.district.code, quarter)]) for plan in plan_sign_off(districts, quarter.window)]
        return render(request, "crimedata/sign_off_confirm.html", {
            **context, "page_title": f"Check before signing off {quarter.short_label}", "quarter": quarter,
            "plans": plans, "to_sign": sum(1 for p, _ in plans if p.already is None),
            "gaps": [s for p, s in plans if p.already is None and s.missing],
        })
    try:
        outcome = sign_off_period(user=request.user, districts=districts, window=quarter.window, label=quarter.label,
                                  note=form.cleaned_data["note"].strip(), today=today)
    except SignOffRefused as refused:
        context["errors"] = [{"text": str(refused), "href": "#id_quarter"}]
        return render(request, "crimedata/sign_off.html", context, status=409)
    text = f"{quarter.label} signed off for {_names(outcome.signed)}: {outcome.finalised} figure" \
           f"{'' if outcome.finalised == 1 else 's'} marked final."
    if not outcome.signed:
        text = f"{quarter.label} was already signed off for {_names(outcome.already)}; nothing changed."
    elif outcome.already:
        text += f" Already signed off before: {_names(outcome.already)}."
    messages.success(request, text)
    return redirect(reverse("sign-off"))


def _names(districts) -> str:
    if len(districts) > 3:
        return f"{len(districts)} districts"
    return ", ".join(d.name for d in districts)
