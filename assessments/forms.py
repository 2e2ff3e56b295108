"""Forms of the assessments pages: picking and drawing SPC charts, step changes, editing generated text.

GOV.UK style: every message says what to do, and ``error_summary`` turns a
page's forms into the entries of the one error summary
(templates/_components/error_summary.html), each linking to its field.
"""

from __future__ import annotations

import re

from django import forms

from assessments.spc.chart import SpcOptions
from assessments.spc.series import GRAINS, MONTH, QUARTER, default_grain, grains_for
from crimedata.selectors import CategoryInfo, ReferenceData


def error_summary(*forms_: forms.Form | None, extra: list[tuple[str, str]] = ()) -> list[dict]:
    """Error summary entries ({"href": "#field-id", "text": message}) for the bound forms on a page, then
    ``extra`` (href, text) pairs for errors no form holds."""
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


# --- SPC charts ----------------------------------------------------------------------------------------


class SpcPickForm(forms.Form):
    """A district (and a category) on the SPC index."""

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


class SpcOptionsForm(forms.Form):
    """How a reader draws one chart: points by month or quarter, screening, fixed limits, near limits."""

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
        self.fields["grain"].choices = [(g, GRAINS[g]) for g in (MONTH, QUARTER)]
        self.fields["grain"].error_messages["invalid_choice"] = "Choose monthly or quarterly points."

    def clean_grain(self):
        grain = self.cleaned_data.get("grain") or default_grain(self.category)
        if grain not in grains_for(self.category):
            raise forms.ValidationError(
                f"Monthly figures are not available for {self.category.name}: they are entered quarterly. "
                "Choose quarterly points."
            )
        return grain

    def options(self) -> SpcOptions:
        data = self.cleaned_data
        return SpcOptions(
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


# --- Generated text --------------------------------------------------------------------------------------

_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


class CommentaryForm(forms.Form):
    """An officer's edit of a generated text, with the version and figures it started from.

    ``noun`` is what the page calls the text ("summary" under an SPC chart, "text" elsewhere). Going back
    to the generated text (``revert=True``) needs no text of its own.
    """

    text = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    reason = forms.CharField(label="Why are you changing it? (optional)", max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, noun: str = "text", revert: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.noun = noun
        self.fields["text"].label = noun.capitalize()
        self.fields["text"].required = not revert
        self.fields["text"].error_messages["required"] = f"Enter the {noun}, or go back to the generated text."

    def clean_fingerprint(self):
        value = self.cleaned_data["fingerprint"]
        if not _FINGERPRINT.match(value):
            raise forms.ValidationError(f"The page was out of date. Open the {self.noun} again and make your change.")
        return value
