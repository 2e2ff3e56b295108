"""Forms for editing assessments and plans, in the GOV.UK style.

Each edit form carries the ``version`` it was built from (optimistic locking)
and an optional note for the history. Error messages say what is wrong and
how to put it right, as the GOV.UK error message pattern asks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from assessments.models import (
    QUARTER_CHOICES,
    RAG_CHOICES,
    Action,
    ActionUpdate,
    Agency,
    FundedOutcome,
    GrantApplication,
    MorileMultiplier,
    OutcomeUpdate,
    PccGrant,
    Priority,
    StrategicAssessment,
    Target,
    Theme,
)
from assessments.plans.years import BadPlanYear, parse_plan_year, plan_year_slug
from assessments.statistics.morile import UnknownCspScore
from crimedata.models import Category, District
from crimedata.periods import format_month, month_end, month_index, month_start, parse_month
from crimedata.selectors import reference_data

# Widget type -> GOV.UK class for the control itself.
_CONTROL_CLASSES = {
    "text": "govuk-input",
    "number": "govuk-input",
    "date": "govuk-input govuk-input--width-10",
    "email": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
}
_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MoneyField(forms.DecimalField):
    """An amount in pounds: '£1,982.50', '1982.5' and '1982' are all accepted."""

    default_error_messages = {
        "invalid": "Enter an amount in pounds, like 1982.50",
        "max_decimal_places": "Enter an amount in pounds and pence, with at most 2 digits after the point",
        "min_value": "Enter an amount of £0 or more",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "").strip()
        return super().to_python(value)


class MonthField(forms.CharField):
    """A month written YYYY-MM (the same form the figure imports use)."""

    def __init__(self, *, end: bool = False, **kwargs):
        self.end = end
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("widget", forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-input--width-5"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            index = parse_month(value)
        except ValueError as error:
            raise ValidationError(f"{self.label} {error}") from error
        return month_end(index) if self.end else month_start(index)


class GovukFormMixin:
    """Adds GOV.UK classes and error states to widgets, and the error-summary helpers."""

    def _govuk_classes(self) -> None:
        self._plain_messages()
        # self._errors, not self.errors: reading self.errors would validate the form now,
        # before a subclass has finished setting up its fields (querysets, choices).
        errors = self._errors or {}
        for name, field in self.fields.items():
            widget = field.widget
            kind = getattr(widget, "input_type", None) or ("textarea" if isinstance(widget, forms.Textarea) else None)
            if isinstance(widget, forms.Select) and not isinstance(widget, (forms.RadioSelect,)):
                kind = "select"
            control = _CONTROL_CLASSES.get(kind)
            if control:
                # Idempotent: this runs at set-up and again after validation.
                if not hasattr(widget, "_app_extra_class"):
                    widget._app_extra_class = widget.attrs.get("class", "")
                widget.attrs["class"] = f"{control} {widget._app_extra_class}".strip()
                if name in errors:
                    widget.attrs["class"] += " " + _ERROR_CLASSES[control.split()[0]]
            described = []
            base = self[name].auto_id
            if field.help_text:
                described.append(f"{base}-hint")
            if name in errors:
                described.append(f"{base}-error")
            if described and control:
                widget.attrs["aria-describedby"] = " ".join(described)

    def _plain_messages(self) -> None:
        """Replace Django's generic messages with ones that say what to enter (GOV.UK style)."""
        generic_required = forms.Field.default_error_messages["required"]
        for name, field in self.fields.items():
            label = str(field.label or name.replace("_", " "))
            lower = label if label[:2].isupper() else label[:1].lower() + label[1:]
            if field.error_messages.get("required") == generic_required:
                choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
                field.error_messages["required"] = f"{'Choose' if choose else 'Enter'} the {lower}"
            if isinstance(field, forms.DecimalField | forms.IntegerField) and not isinstance(field, MoneyField):
                if field.error_messages.get("invalid") in (forms.DecimalField.default_error_messages["invalid"],
                                                          forms.IntegerField.default_error_messages["invalid"]):
                    field.error_messages["invalid"] = f"Enter the {lower} as a number"
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = f"Enter the {lower} as a real date"

    def full_clean(self):
        super().full_clean()
        self._govuk_classes()

    def error_list(self) -> list[dict]:
        """Entries for the error summary (templates/_components/error_summary.html), in field order:
        {"href": "#field-id", "text": message}, with no link for an error about the whole form."""
        out = []
        for message in self.non_field_errors():
            out.append({"href": "", "text": message})
        for name, field in self.fields.items():
            if name in self.errors:
                bound = self[name]
                anchor = bound.id_for_label or f"id_{self.add_prefix(name)}"
                if isinstance(field.widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                    anchor = f"{anchor}_0" if not anchor.endswith("_0") else anchor
                for message in self.errors[name]:
                    out.append({"href": f"#{anchor}", "text": message})
        return out


class EditForm(GovukFormMixin, forms.ModelForm):
    """A model form with the version it was built from and a note for the history."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_note = forms.CharField(
        label="Note for the history (optional)", required=False, max_length=300,
        help_text="Why you are making this change. It is kept with the change.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self._govuk_classes()

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version") if self.instance.pk else None

    def m2m_data(self) -> dict:
        """Many-to-many values to hand to the service (which sets them inside its transaction)."""
        return {
            name: self.cleaned_data[name]
            for name, field in self.fields.items()
            if isinstance(field, forms.ModelMultipleChoiceField) and name in self.cleaned_data
        }

    def _save_m2m(self):  # the service sets many-to-many fields itself
        return None


class AssessmentForm(EditForm):
    district = forms.ModelChoiceField(queryset=District.objects.none(), empty_label="Choose a district")
    plan_year_text = forms.CharField(
        label="Plan year", max_length=7, help_text="The year the plan runs, April to March. For example 2017-18.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
    )
    data_from_month = MonthField(
        label="First month of data analysed", help_text="For example 2015-10 for October 2015."
    )
    data_to_month = MonthField(
        label="Last month of data analysed", end=True,
        help_text="For example 2016-09 for September 2016. Usually 12 months after the first.",
    )

    class Meta:
        model = StrategicAssessment
        fields = ["author_role", "status", "signed_off_on", "introduction", "conclusion"]
        widgets = {
            "status": forms.RadioSelect,
            "signed_off_on": DateInput,
            "introduction": forms.Textarea(attrs={"rows": 6}),
            "conclusion": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {"author_role": "Author's role"}
        help_texts = {
            "author_role": "A role and organisation, not a person's name. For example: Community Safety Manager, "
            "Tunbridge Wells Borough Council.",
            "signed_off_on": "The date the CSP signed the assessment off. Needed once it is signed off.",
        }

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts if districts is not None else District.objects.all()
        self.order_fields(["district", "plan_year_text", "data_from_month", "data_to_month", "author_role",
                           "status", "signed_off_on", "introduction", "conclusion"])
        instance = self.instance
        if instance.pk:
            # The district and year name the assessment (and its address): they are fixed once created.
            del self.fields["district"]
            del self.fields["plan_year_text"]
            self.fields["data_from_month"].initial = format_month(month_index(instance.data_from))
            self.fields["data_to_month"].initial = format_month(month_index(instance.data_to))
        self._govuk_classes()

    def clean_plan_year_text(self):
        try:
            return parse_plan_year(self.cleaned_data["plan_year_text"])
        except BadPlanYear as error:
            raise ValidationError(str(error)) from error

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("data_from_month"), cleaned.get("data_to_month")
        if start and end:
            months = month_index(end) - month_index(start) + 1
            if months < 1:
                self.add_error("data_to_month", "The last month must be the same as or after the first month.")
            elif months > 12:
                self.add_error("data_to_month", "The data analysed can be at most 12 months: check the last month.")
        district, year = cleaned.get("district"), cleaned.get("plan_year_text")
        if district is not None and year is not None:
            if StrategicAssessment.objects.filter(district=district, plan_year=year).exists():
                self.add_error(
                    "plan_year_text",
                    f"{district.name} already has an assessment for {plan_year_slug(year)}: edit that one instead.",
                )
        return cleaned

    def _post_clean(self):
        cleaned = self.cleaned_data
        if cleaned.get("district") is not None:
            self.instance.district = cleaned["district"]
        if cleaned.get("plan_year_text") is not None:
            self.instance.plan_year = cleaned["plan_year_text"]
        if cleaned.get("data_from_month") and cleaned.get("data_to_month"):
            self.instance.data_from = cleaned["data_from_month"]
            self.instance.data_to = cleaned["data_to_month"]
        super()._post_clean()

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        # data_from/data_to come from the month fields; their errors belong there.
        exclusions.update({"district", "plan_year", "data_from", "data_to"})
        return exclusions


def _category_choices():
    ref = reference_data()
    order = {c.slug: i for i, c in enumerate(ref.in_tree_order())}
    return sorted(Category.objects.exclude(family="policeuk"), key=lambda c: order.get(c.slug, 10**6))


class PriorityForm(EditForm):
    class Meta:
        model = Priority
        fields = ["kind", "order", "title", "theme", "also_covers", "lead_agency", "rationale", "categories",
                  "status_override", "override_reason", "position_statement"]
        widgets = {
            "kind": forms.RadioSelect,
            "order": forms.NumberInput(attrs={"class": "govuk-input--width-3", "min": 1}),
            "also_covers": forms.CheckboxSelectMultiple,
            "categories": forms.CheckboxSelectMultiple,
            "rationale": forms.Textarea(attrs={"rows": 5}),
            "position_statement": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"kind": "Type", "lead_agency": "Lead agency", "override_reason": "Why the status is overridden"}
        help_texts = {
            "theme": "The status against last year is worked out by comparing themes.",
            "categories": "Their latest figures are shown as the evidence for this priority.",
            "rationale": "In plain sentences a councillor can follow.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].empty_label = "Choose a theme"
        self.fields["lead_agency"].empty_label = "Not recorded"
        self.fields["status_override"].choices = [("", "Use the worked-out status")] + list(
            Priority.STATUS_CHOICES
        )
        self.fields["categories"].queryset = Category.objects.exclude(family="policeuk")
        self.fields["categories"].choices = [(c.pk, c.name) for c in _category_choices()]

    def clean(self):
        cleaned = super().clean()
        theme = cleaned.get("theme")
        covers = cleaned.get("also_covers")
        if theme is not None and covers and theme in covers:
            self.add_error("also_covers", f"{theme.name} is already the main theme: untick it here.")
        return cleaned


class ActionForm(EditForm):
    class Meta:
        model = Action
        fields = ["order", "description", "agencies", "other_partners", "measure", "outcome"]
        widgets = {
            "order": forms.NumberInput(attrs={"class": "govuk-input--width-3", "min": 1}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "agencies": forms.CheckboxSelectMultiple,
            "measure": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }


class ActionUpdateForm(EditForm):
    class Meta:
        model = ActionUpdate
        fields = ["quarter", "reported_on", "rag", "text"]
        widgets = {"rag": forms.RadioSelect, "reported_on": DateInput, "text": forms.Textarea(attrs={"rows": 4})}
        labels = {"quarter": "Quarter of the plan year"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radios need no "---------" choice; an unticked group is reported as missing.
        self.fields["rag"].choices = RAG_CHOICES
        self.fields["quarter"].choices = [("", "Choose a quarter"), *QUARTER_CHOICES]
        self.fields["rag"].error_messages["required"] = "Choose the RAG status: green, amber or red"
        self.fields["text"].error_messages["required"] = "Describe the progress made this quarter"
        self.fields["reported_on"].error_messages["required"] = "Enter the date of the update"
        self.fields["reported_on"].error_messages["invalid"] = "Enter the date of the update as a real date"
        self.fields["quarter"].error_messages["required"] = "Choose the quarter this update is for"

    def clean(self):
        cleaned = super().clean()
        quarter = cleaned.get("quarter")
        action = self.instance.action
        if quarter and action.updates.filter(quarter=quarter).exclude(pk=self.instance.pk).exists():
            self.add_error("quarter", f"There is already a Q{quarter} update for this action: change that one instead.")
        reported = cleaned.get("reported_on")
        if reported and reported > dt.date.today():
            self.add_error("reported_on", "The date of the update cannot be in the future.")
        return cleaned

    def validate_unique(self):  # the clearer message above replaces Django's generic one
        return None


class TargetForm(EditForm):
    baseline = forms.DecimalField(required=False, max_digits=12, decimal_places=2,
                                  widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}))
    target = forms.DecimalField(max_digits=12, decimal_places=2,
                                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}))
    actual = forms.DecimalField(required=False, max_digits=12, decimal_places=2,
                                help_text="Leave empty until the figure is known: it then shows as 'not yet known'.",
                                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}))

    class Meta:
        model = Target
        fields = ["order", "priority", "measure", "unit", "baseline", "baseline_note", "target", "direction", "actual"]
        widgets = {
            "order": forms.NumberInput(attrs={"class": "govuk-input--width-3", "min": 1}),
            "direction": forms.RadioSelect,
        }
        labels = {"priority": "Priority it belongs to", "direction": "The target is achieved when the actual is"}

    def __init__(self, *args, assessment: StrategicAssessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.filter(assessment=assessment)
        self.fields["priority"].empty_label = "Not linked to a priority"
        for name in ("baseline", "target", "actual"):
            self.fields[name].error_messages["invalid"] = f"Enter the {name} as a number, like 40 or 82.5"
        self._govuk_classes()


class PccGrantForm(EditForm):
    total_grant = MoneyField(label="Total PCC grant for the year", required=False)
    project_budget = MoneyField(label="Amount for initiatives and projects", required=False,
                                help_text="The remaining budget is worked out against this amount.")

    class Meta:
        model = PccGrant
        fields = ["total_grant", "project_budget", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class GrantForm(EditForm):
    amount_requested = MoneyField(required=False)
    match_funding = MoneyField(required=False, label="Match funding (amount)")
    amount_awarded = MoneyField(required=False, help_text="Only for an approved application.")

    class Meta:
        model = GrantApplication
        fields = ["order", "kind", "project", "summary", "agency", "lead_officer_role", "amount_requested",
                  "match_funding", "match_funding_details", "status", "amount_awarded", "decided_on", "po_number",
                  "priority", "outcome_report"]
        widgets = {
            "order": forms.NumberInput(attrs={"class": "govuk-input--width-3", "min": 1}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "status": forms.RadioSelect,
            "decided_on": DateInput,
            "outcome_report": forms.RadioSelect,
            "kind": forms.RadioSelect,
        }
        labels = {"kind": "Type of funding", "lead_officer_role": "Lead officer's role"}

    def __init__(self, *args, assessment: StrategicAssessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.filter(assessment=assessment)
        self.fields["priority"].empty_label = "Not linked to a priority"
        self.fields["agency"].empty_label = "Choose the agency"
        self._govuk_classes()


class FundedOutcomeForm(EditForm):
    amount_unspent = MoneyField(required=False, help_text="Leave empty unless the provider reports money unspent.")

    class Meta:
        model = FundedOutcome
        fields = ["order", "service", "amount_unspent"]
        widgets = {
            "order": forms.NumberInput(attrs={"class": "govuk-input--width-3", "min": 1}),
            "service": forms.Textarea(attrs={"rows": 4}),
        }


class OutcomeUpdateForm(EditForm):
    class Meta:
        model = OutcomeUpdate
        fields = ["quarter", "reported_on", "text"]
        widgets = {"reported_on": DateInput, "text": forms.Textarea(attrs={"rows": 4})}
        labels = {"quarter": "Quarter of the plan year"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [("", "Choose a quarter"), *QUARTER_CHOICES]

    def clean(self):
        cleaned = super().clean()
        quarter = cleaned.get("quarter")
        outcome = self.instance.outcome
        if quarter and outcome.updates.filter(quarter=quarter).exclude(pk=self.instance.pk).exists():
            self.add_error("quarter", f"There is already a Q{quarter} report for this service: change that one instead.")
        return cleaned

    def validate_unique(self):
        return None


class ThemeForm(EditForm):
    class Meta:
        model = Theme
        fields = ["name", "slug", "description", "display_order"]
        help_texts = {"slug": "A short lower-case name used in addresses, such as road-safety."}
        error_messages = {
            "name": {"unique": "There is already a theme with this name: choose another name."},
            "slug": {"unique": "There is already a theme with this short name: choose another."},
        }


class AgencyForm(EditForm):
    class Meta:
        model = Agency
        fields = ["name", "kind"]
        error_messages = {"name": {"unique": "There is already an agency with this name."}}


class MultiplierForm(EditForm):
    multiplier = forms.DecimalField(max_digits=8, decimal_places=3, min_value=Decimal("0"),
                                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}))

    class Meta:
        model = MorileMultiplier
        fields = ["csp_score", "multiplier"]
        error_messages = {"csp_score": {"unique": "This CSP score already has a multiplier: change that one instead."}}
        widgets = {"csp_score": forms.NumberInput(attrs={"class": "govuk-input--width-3", "min": 0})}


class DeleteForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_note = forms.CharField(label="Why it is being removed (optional)", required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._govuk_classes()


# --- The MoRiLE table: one row per theme, saved as one table ---------------------------------


class MorileRowForm(GovukFormMixin, forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Choices are read once for the whole table (a model choice field would query per row).
    theme = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    total_harm = forms.DecimalField(label="Total harm", required=False, max_digits=8, decimal_places=2,
                                    min_value=Decimal("0"),
                                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}))
    risk = forms.DecimalField(required=False, max_digits=10, decimal_places=2, min_value=Decimal("0"),
                              widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}))
    csp_score = forms.IntegerField(label="CSP score", required=False, min_value=0,
                                   widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}))

    def __init__(self, *args, multipliers: set[int] | None = None, themes: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.multipliers = multipliers if multipliers is not None else set()
        self.theme_names = themes or {}
        self.fields["theme"].choices = [("", "Choose a theme"), *self.theme_names.items()]
        self._govuk_classes()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("DELETE") or not self.has_changed() and not cleaned.get("pk"):
            return cleaned
        if cleaned.get("theme") is None:
            self.add_error("theme", "Choose a theme for this row")
        if cleaned.get("risk") is None and "risk" not in self.errors:
            self.add_error("risk", "Enter the risk score")
        score = cleaned.get("csp_score")
        if score is None and "csp_score" not in self.errors:
            self.add_error("csp_score", "Enter the CSP score")
        elif score is not None and score not in self.multipliers:
            self.add_error("csp_score", str(UnknownCspScore(score)))
        return cleaned


class BaseMorileFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen: dict[int, int] = {}
        for index, form in enumerate(self.forms):
            data = form.cleaned_data
            if not data or data.get("DELETE") or data.get("theme") is None:
                continue
            theme = data["theme"]
            if theme in seen:
                name = form.theme_names.get(theme, "This theme")
                form.add_error("theme", f"{name} is already in row {seen[theme] + 1}: each theme once")
            else:
                seen[theme] = index


MorileFormSet = forms.formset_factory(MorileRowForm, formset=BaseMorileFormSet, extra=3, can_delete=True)

