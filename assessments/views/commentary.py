"""The one way to edit a generated text: an SPC chart's summary, a district profile's headline boxes and
crime-type paragraph, and a priority's evidence.

One view, one template. Each kind of text says where it lives (``_EDITABLE``):
the text is generated again exactly as its page writes it (the SPC chart,
assessments.views.comparisons.profile_text, assessments.commentary.priorities),
and every save goes through assessments.commentary.edits, which checks the
permission again, refuses an edit that would silently overwrite someone
else's and keeps the history. The district's officers, county analysts and
administrators may edit; visitors are sent to sign in, everyone else gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from assessments.commentary.edits import (
    CommentaryConflict,
    CommentaryError,
    commentary_history,
    resolve_commentary,
    revert_commentary,
    save_commentary,
)
from assessments.commentary.keys import spc_key
from assessments.commentary.priorities import priority_generated
from assessments.commentary.text import GeneratedText
from assessments.forms import CommentaryForm, error_summary
from assessments.profile.page import profile_text
from assessments.selection import FALLBACK_GROUP, audience, parse_selection
from assessments.spc.chart import SpcOptions, spc_chart
from assessments.spc.page import chart_url, series_or_404
from assessments.spc.series import default_grain, grains_for
from assessments.spc.summary import chart_summary
from crimedata import roles
from crimedata.access import deny_unless
from crimedata.periods import format_month
from crimedata.selectors import data_generation, reference_data


@dataclass(frozen=True)
class EditableText:
    """One generated text, and how its edit page names it and goes back to it."""

    key: str
    district_id: int
    generated: GeneratedText
    caption: str  # what and where: "Robbery in Maidstone"
    noun: str  # "summary" (under an SPC chart) or "text"
    about: str  # "summary", "text about the crime types": for the label and the messages
    back_url: str
    breadcrumbs: tuple[tuple[str, str], ...]  # (label, url) after the page's own
    save_label: str
    hidden: dict[str, str] = field(default_factory=dict)  # what finds the text again on the next request


def _spc_summary(request: HttpRequest, code: str, slug: str) -> EditableText | HttpResponse:
    """The summary under an SPC chart, for the standard chart at the grain asked for."""
    generation = data_generation()
    ref = reference_data(generation)
    district, category = series_or_404(ref, code, slug)
    refused = deny_unless(request, roles.can_edit_district_texts(request.user, district.id),
                          f"You cannot edit the summaries for {district.name}.")
    if refused is not None:
        return refused
    asked = (request.POST if request.method == "POST" else request.GET).get("grain")
    options = SpcOptions(grain=asked if asked in grains_for(category) else default_grain(category))
    chart = spc_chart(district.code, category.slug, options, user=request.user, ref=ref, generation=generation)
    if not chart.has_data:
        raise Http404("There are no figures to summarise.")
    caption, back_url = f"{category.name} in {district.name}", chart_url(district, category, options, "#summary")
    return EditableText(
        key=spc_key(district.code, category.slug, options.grain), district_id=district.id,
        generated=chart_summary(chart), caption=caption, noun="summary", about="summary", back_url=back_url,
        breadcrumbs=(("SPC charts", reverse("spc-index")), (caption, back_url)), save_label="Save summary",
        hidden={"grain": options.grain},
    )


def _profile_text(request: HttpRequest, code: str, part: str) -> EditableText | HttpResponse:
    """A district profile's headline sentence ("headline-<slug>") or crime-type paragraph ("crime-types")."""
    aud = audience(request)
    district = aud.ref.district(code.upper())
    if district is None:
        raise Http404("There is no such district.")
    refused = deny_unless(request, roles.can_edit_district_texts(request.user, district.id),
                          "You cannot edit the texts for this district.")
    if refused is not None:
        return refused
    params = request.POST if request.method == "POST" else request.GET
    default_group = "kent" if district.in_kcc_area else FALLBACK_GROUP
    selection, errors = parse_selection(params, aud.ref, aud.months, default_group=default_group)
    if errors or selection is None or district.code not in selection.group.district_codes:
        raise Http404("There is no such text: check the period and group.")
    found = profile_text(aud, district, selection, part)
    if found is None:
        raise Http404("There is no such text on the profile.")
    key, generated = found
    if part == "crime-types":
        what, anchor = "the crime types", "commentary-crime-types"
    else:
        slug = part.removeprefix("headline-")
        what, anchor = aud.ref.category(slug).name.lower(), f"commentary-{slug}"
    back_url = reverse("district-profile", args=[district.code]) + selection.query() + f"#{anchor}"
    return EditableText(
        key=key, district_id=district.id, generated=generated,
        caption=f"{district.name}, {selection.window.span_label}: {what}", noun="text", about=f"text about {what}",
        back_url=back_url, breadcrumbs=(("Home", reverse("home")), ("Back to the page", back_url)),
        save_label="Save the text",
        hidden={"end": format_month(selection.end), "months": str(selection.months), "group": selection.group.slug},
    )


def _priority_text(request: HttpRequest, pk: int) -> EditableText | HttpResponse:
    """The generated evidence paragraph of one priority of a strategic assessment."""
    found = priority_generated(pk, request.user)
    if found is None:
        raise Http404("There is no such priority, or no figures are linked to it.")
    priority, key, generated = found
    assessment = priority.assessment
    refused = deny_unless(request, roles.can_edit_district_texts(request.user, assessment.district_id),
                          "You cannot edit the texts for this district.")
    if refused is not None:
        return refused
    back_url = reverse("assessment-detail", args=[assessment.district.code, assessment.plan_year_slug])
    back_url += f"#priority-{priority.pk}"
    return EditableText(
        key=key, district_id=assessment.district_id, generated=generated,
        caption=f"{assessment.district.name} {assessment.plan_year_label}: {priority.title}", noun="text",
        about=f"text about the priority \u201c{priority.title}\u201d", back_url=back_url,
        breadcrumbs=(("Home", reverse("home")), ("Back to the page", back_url)), save_label="Save the text",
    )


_EDITABLE: dict[str, Callable[..., EditableText | HttpResponse]] = {
    "spc": _spc_summary,
    "profile": _profile_text,
    "priority": _priority_text,
}


def _save(request: HttpRequest, text: EditableText, form: CommentaryForm, revert: bool) -> None:
    """Save the edit, or go back to the generated text (CommentaryConflict or CommentaryError if not)."""
    data = form.cleaned_data
    if revert:
        revert_commentary(user=request.user, key=text.key, district_id=text.district_id,
                          expected_version=data["version"], reason=data["reason"])
        messages.success(request, f"The {text.about} is back to the generated text.")
        return
    save_commentary(user=request.user, key=text.key, district_id=text.district_id, text=data["text"],
                    generated=text.generated, fingerprint=data["fingerprint"], expected_version=data["version"],
                    reason=data["reason"])
    messages.success(request, f"Your {text.about} is saved and is shown in place of the generated one.")


@require_http_methods(["GET", "POST"])
def edit_commentary(request: HttpRequest, kind: str, **where) -> HttpResponse:
    """Edit one generated text (``kind`` names which, from the URL): save an edit, or go back to the
    generated text. The edit is kept, with its history, and marked when the figures change."""
    text = _EDITABLE[kind](request, **where)
    if isinstance(text, HttpResponse):  # a visitor, sent to sign in
        return text
    resolved = resolve_commentary(text.key, text.generated, user=request.user)
    status = 200
    if request.method == "POST":
        revert = request.POST.get("action") == "revert"
        form = CommentaryForm(request.POST, noun=text.noun, revert=revert)
        if form.is_valid():
            try:
                _save(request, text, form, revert)
                return redirect(text.back_url)
            except (CommentaryConflict, CommentaryError) as problem:
                form.add_error("text", str(problem))
        status = 400
    else:
        form = CommentaryForm(noun=text.noun, initial={"text": resolved.text, "version": resolved.version,
                                                       "fingerprint": text.generated.fingerprint})
    context = {
        "page_title": f"{'Error: ' if status == 400 else ''}Edit the {text.noun}: {text.caption}",
        "text": text,
        "form": form,
        "commentary": resolved,
        "history": commentary_history(text.key),
        "errors": error_summary(form),
    }
    return render(request, "assessments/commentary_edit.html", context, status=status)
