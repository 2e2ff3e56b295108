"""Editing generated commentary: a district profile's headline boxes and crime-type paragraph, and a priority's evidence.

Thin views: the text is generated again exactly as its page writes it
(assessments.views.comparisons.profile_text, assessments.commentary_plans), and
every save goes through assessments.commentary_edits, which checks the
permission again, refuses an edit that would silently overwrite someone
else's and keeps the history. The district's officers, county analysts and
administrators may edit; everyone else gets 403 (or is sent to sign in).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from assessments.commentary import GeneratedText
from assessments.commentary_edits import (
    CommentaryConflict,
    CommentaryError,
    commentary_history,
    resolve_commentary,
    revert_commentary,
    save_commentary,
)
from assessments.profile.page import profile_text
from assessments.selection import FALLBACK_GROUP, parse_selection
from assessments.spc_views import CommentaryForm, error_list
from assessments.selection import audience
from crimedata import roles
from crimedata.periods import format_month


def _check_can_edit(request: HttpRequest, district_id: int):
    """None when the user may edit the district's texts; a sign-in redirect for visitors; 403 otherwise."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not roles.can_edit_district(request.user, district_id):
        raise PermissionDenied("You cannot edit the texts for this district.")
    return None


def edit_commentary(
    request: HttpRequest,
    *,
    key: str,
    district_id: int,
    generated: GeneratedText,
    back_url: str,
    caption: str,
    what: str,
    hidden: dict[str, str],
) -> HttpResponse:
    """The edit form for one generated text: save an edit, or go back to the generated text."""
    resolved = resolve_commentary(key, generated, user=request.user)
    status = 200
    if request.method == "POST":
        form = CommentaryForm(request.POST)
        form.fields["text"].label = "Text"
        form.fields["text"].error_messages["required"] = "Enter the text, or go back to the generated text."
        revert = request.POST.get("action") == "revert"
        if revert:
            form.fields["text"].required = False
        if form.is_valid():
            try:
                if revert:
                    revert_commentary(user=request.user, key=key, district_id=district_id,
                                      expected_version=form.cleaned_data["version"], reason=form.cleaned_data["reason"])
                    messages.success(request, f"The text about {what} is back to the generated text.")
                else:
                    save_commentary(
                        user=request.user, key=key, district_id=district_id, text=form.cleaned_data["text"],
                        generated=generated, fingerprint=form.cleaned_data["fingerprint"],
                        expected_version=form.cleaned_data["version"], reason=form.cleaned_data["reason"],
                    )
                    messages.success(request, f"Your text about {what} is saved and is shown in place of the "
                                              "generated one.")
                return redirect(back_url)
            except (CommentaryConflict, CommentaryError) as problem:
                form.add_error("text", str(problem))
        status = 400
    else:
        form = CommentaryForm(
            initial={"text": resolved.text, "version": resolved.version, "fingerprint": generated.fingerprint}
        )
    return render(
        request,
        "assessments/commentary_edit.html",
        {
            "page_title": f"{'Error: ' if status == 400 else ''}Edit the text: {caption}",
            "caption": caption,
            "what": what,
            "form": form,
            "commentary": resolved,
            "generated": generated,
            "history": commentary_history(key),
            "back_url": back_url,
            "hidden": hidden,
            "errors": error_list(form),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def profile_commentary(request: HttpRequest, code: str, part: str) -> HttpResponse:
    """Edit a district profile's headline sentence ("headline-<slug>") or crime-type paragraph ("crime-types")."""
    aud = audience(request)
    district = aud.ref.district(code.upper())
    if district is None:
        raise Http404("There is no such district.")
    refused = _check_can_edit(request, district.id)
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
    anchor = "commentary-crime-types" if part == "crime-types" else f"commentary-{part.removeprefix('headline-')}"
    back_url = reverse("district-profile", args=[district.code]) + selection.query() + f"#{anchor}"
    if part == "crime-types":
        what = "the crime types"
    else:
        what = aud.ref.category(part.removeprefix("headline-")).name.lower()
    return edit_commentary(
        request, key=key, district_id=district.id, generated=generated, back_url=back_url,
        caption=f"{district.name}, {selection.window.span_label}: {what}", what=what,
        hidden={"end": format_month(selection.end), "months": str(selection.months), "group": selection.group.slug},
    )


@require_http_methods(["GET", "POST"])
def priority_commentary(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the generated evidence paragraph of one priority of a strategic assessment."""
    from assessments.commentary_plans import priority_generated

    found = priority_generated(pk, request.user)
    if found is None:
        raise Http404("There is no such priority, or no figures are linked to it.")
    priority, key, generated = found
    refused = _check_can_edit(request, priority.assessment.district_id)
    if refused is not None:
        return refused
    assessment = priority.assessment
    back_url = reverse("assessment-detail", args=[assessment.district.code, assessment.plan_year_slug])
    back_url += f"#priority-{priority.pk}"
    what = f"the priority \u201c{priority.title}\u201d"
    return edit_commentary(
        request, key=key, district_id=assessment.district_id, generated=generated, back_url=back_url,
        caption=f"{assessment.district.name} {assessment.plan_year_label}: {priority.title}", what=what, hidden={},
    )
