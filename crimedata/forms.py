"""Forms for sign-in, the entry grid, uploads (spreadsheets and police.uk files), templates, sign-off and history.

Messages follow the GOV.UK pattern: say what is wrong and how to fix it,
naming the figure (category and period), because the error summary lists
them away from the field.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone

from crimedata import rules
from crimedata.entry import CellInput, Grid, Quarter, format_change, needs_note, parse_count, quarter_is_open
from crimedata.measures import change_pct
from crimedata.models import Figure
from crimedata.uploads import UploadRefused, check_upload


def error_summary(form: forms.Form, non_field_href: str | None = None) -> list[dict]:
    """Items for the GOV.UK error summary (templates/_components/error_summary.html): the form-wide
    errors first (linking to ``non_field_href``), then each field's, linking to the field."""
    items = [{"text": e, "href": non_field_href} for e in form.non_field_errors()]
    for field in form:
        items += [{"text": e, "href": f"#{field.id_for_label}"} for e in field.errors]
    return items


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "The username or password is not right. Check them and try again. After %(limit)s unsuccessful "
            "attempts the account is locked for %(minutes)s minutes."
        ),
        "inactive": "This account has been switched off. Ask a county administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update({"class": "govuk-input govuk-!-width-one-half",
                                                     "spellcheck": "false", "autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"class": "govuk-input govuk-!-width-one-half",
                                                     "autocomplete": "current-password"})

    def get_invalid_login_error(self):
        return forms.ValidationError(
            self.error_messages["invalid_login"], code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT,
                    "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)},
        )


def rule_text_field(**kwargs) -> forms.CharField:
    """A text field whose content the input rules (crimedata.rules) check in the form's own clean
    step, so its messages are the ones imports give: Django's own NUL check would say it first."""
    field = forms.CharField(**kwargs)
    field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
    return field


def note_error(subject: str, text: str) -> str | None:
    """'The note for Robbery, April 2016 must be 1,000 characters or fewer (it has 1,204)', or None."""
    problem = rules.note_problem(text)
    return f"{subject} {problem}" if problem else None


STATUS_CHOICES = [
    (Figure.STATUS_PROVISIONAL, "Provisional: new and changed figures may still change"),
    (Figure.STATUS_FINAL, "Final: every figure on this page is checked and complete"),
]


class EntryGridForm(forms.Form):
    """One field trio per editable cell: value, the version the page showed, and a note.

    Field names are ``value-<cell key>``, ``version-<cell key>`` and
    ``note-<cell key>``; ``cell key`` is the category slug and the month
    (2016-04) or quarter (2016-q1).
    """

    def __init__(self, grid: Grid, *args, correction: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        self.correction = correction
        if correction:
            self.fields["reason"] = rule_text_field(
                widget=forms.Textarea, error_messages={"required": "Enter the reason for the correction"},
            )
        else:
            self.fields["status"] = forms.ChoiceField(
                choices=STATUS_CHOICES, initial=Figure.STATUS_PROVISIONAL, widget=forms.RadioSelect,
                error_messages={"required": "Choose whether the figures are provisional or final",
                                "invalid_choice": "Choose whether the figures are provisional or final"},
            )
        for cell in grid.cells:
            if not cell.editable:
                continue
            # No length limit of its own: the value rule says what is wrong with any text.
            self.fields[f"value-{cell.key}"] = rule_text_field(required=False, initial=cell.value)
            self.fields[f"version-{cell.key}"] = forms.IntegerField(min_value=0, initial=cell.version,
                                                                    widget=forms.HiddenInput)
            self.fields[f"note-{cell.key}"] = rule_text_field(
                required=False, initial=cell.figure.note if cell.figure else "", widget=forms.Textarea,
            )

    def clean_reason(self):
        reason = self.cleaned_data["reason"]
        problem = note_error("The reason", reason)
        if problem:
            raise forms.ValidationError(problem)
        return reason

    def clean(self):
        cleaned = super().clean()
        self.values: dict[str, int | None] = {}
        incomplete = False
        for cell in self.grid.cells:
            note_name = f"note-{cell.key}"
            if not cell.editable or note_name in self.errors:
                continue
            note = (cleaned.get(note_name) or "").strip()
            # A stored note is kept as it is (an unchanged note is not written), so it is never
            # what stops a save; a new or changed note meets the same rules as an imported one.
            if cell.figure is not None and note == cell.figure.note:
                continue
            problem = note_error(f"The note for {cell.category.name}, {cell.label},", note)
            if problem:
                self.add_error(note_name, problem)
        for cell in self.grid.cells:
            if not cell.editable:
                continue
            name = f"{cell.category.name} for {cell.label}"
            value_field = f"value-{cell.key}"
            if value_field in self.errors:
                continue
            try:
                value = parse_count(cleaned.get(value_field) or "")
            except rules.RuleError as refusal:
                self.add_error(value_field, f"{name} {refusal}")
                continue
            version = cleaned.get(f"version-{cell.key}")
            if version is None:
                incomplete = True
                continue
            if value is not None and rules.implausible_count(value, cell.window.months):
                self.add_error(value_field, f"{name} {rules.IMPLAUSIBLE_COUNT}")
                continue
            if value is None and version > 0:
                shown = f" ({cell.value:,})" if cell.value is not None else ""
                self.add_error(
                    value_field,
                    f"{name} cannot be left blank because a figure has been entered{shown}. Type the correct "
                    "number: a figure cannot be removed here",
                )
                continue
            self.values[cell.key] = value
            changing = value is not None and (cell.figure is None or cell.figure.value != value)
            note = (cleaned.get(f"note-{cell.key}") or "").strip()
            if changing and needs_note(value, cell.last_year) and not note and f"note-{cell.key}" not in self.errors:
                if cell.last_year == 0:
                    how = f"rose from 0 in {cell.last_year_label} to {value:,}"
                else:
                    how = (f"is {format_change(change_pct(value, cell.last_year))} on "
                           f"{cell.last_year_label} ({cell.last_year:,})")
                self.add_error(
                    f"note-{cell.key}",
                    f"{name} {how}. A change of more than 50% needs a note: explain it, or check the number",
                )
        if incomplete:
            raise forms.ValidationError(
                "This page is incomplete or out of date, so nothing was saved. Reload it and enter the figures again."
            )
        return cleaned

    def cell_inputs(self) -> list[CellInput]:
        return [
            CellInput(key=key, value=value, version=self.cleaned_data[f"version-{key}"],
                      note=(self.cleaned_data.get(f"note-{key}") or "").strip())
            for key, value in self.values.items()
        ]

    @property
    def new_status(self) -> str:
        return Figure.STATUS_FINAL if self.correction else self.cleaned_data["status"]


class FigureUploadForm(forms.Form):
    """One CSV or Excel file of figures (previewed before anything is saved)."""

    file = forms.FileField(
        label="Upload a file", allow_empty_file=True,
        error_messages={"required": "Select a CSV or Excel file to upload",
                        "invalid": "Select a CSV or Excel file to upload",
                        "missing": "Select a CSV or Excel file to upload"},
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload", "accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            check_upload(uploaded.name, uploaded.size)
        except UploadRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return uploaded


def quarter_choices(quarters: list[Quarter]) -> list[tuple[str, str]]:
    return [(q.slug, q.label) for q in quarters]


class DistrictQuarterForm(forms.Form):
    """Pick a district and a quarter (entry home and template downloads); GET forms."""

    district = forms.ChoiceField(label="District", error_messages={
        "required": "Choose a district", "invalid_choice": "Choose one of your districts"})
    quarter = forms.CharField(label="Quarter", error_messages={"required": "Choose a quarter"})

    def __init__(self, districts, quarters: list[Quarter], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [(d.code, d.name) for d in districts]
        self.fields["quarter"].widget = forms.Select(choices=quarter_choices(quarters))
        if len(districts) == 1:
            self.fields["district"].initial = districts[0].code
        if quarters:
            self.fields["quarter"].initial = quarters[0].slug

    def clean_quarter(self):
        try:
            quarter = Quarter.parse(self.cleaned_data["quarter"])
        except ValueError as exc:
            raise forms.ValidationError(f"The quarter {exc}") from None
        if not quarter_is_open(quarter, timezone.localdate()):
            raise forms.ValidationError(
                "Choose a quarter from Q1 2000/01 (April to June 2000) up to the current quarter"
            )
        return quarter


class TemplateForm(DistrictQuarterForm):
    format = forms.ChoiceField(
        choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV (.csv)")], initial="xlsx",
        error_messages={"required": "Choose Excel or CSV", "invalid_choice": "Choose Excel or CSV"},
    )


class SignOffForm(forms.Form):
    quarter = forms.ChoiceField(label="Quarter", error_messages={
        "required": "Choose the quarter to sign off", "invalid_choice": "Choose one of the quarters listed"})
    district = forms.ChoiceField(label="District", error_messages={
        "required": "Choose a district, or all districts", "invalid_choice": "Choose one of the districts listed"})
    note = rule_text_field(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, the meeting that agreed the figures.",
    )

    ALL = "all"

    def __init__(self, districts, quarters: list[Quarter], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = quarter_choices(quarters)
        self.fields["district"].choices = [(self.ALL, "All districts")] + [(d.code, d.name) for d in districts]
        self.fields["district"].initial = self.ALL

    def clean_quarter(self):
        return Quarter.parse(self.cleaned_data["quarter"])

    def clean_note(self):
        note = self.cleaned_data["note"]
        problem = note_error("The note", note)
        if problem:
            raise forms.ValidationError(problem)
        return note


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label="Show the figures as they were reported on", required=False, input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}),
        error_messages={"invalid": "Enter a real date, for example 2017-02-09"},
    )

    def clean_as_of(self):
        day = self.cleaned_data.get("as_of")
        if day is not None and day < dt.date(1990, 1, 1):
            raise forms.ValidationError("Enter a date from 1990 onwards")
        return day


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


class PoliceUkUploadForm(forms.Form):
    """police.uk street-level crime files as downloaded: the zip archive or the monthly CSV files."""

    files = MultipleFileField(
        error_messages={"required": "Select the zip archive or the YYYY-MM-kent-street.csv files to import"},
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = settings.POLICEUK_UPLOAD_MAX_BYTES
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
