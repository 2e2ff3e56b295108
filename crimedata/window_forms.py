"""The form a county analyst opens (or changes) a collection window with.

GOV.UK patterns: dates as day, month and year boxes; categories and districts as checkboxes; every
message says what is wrong and how to put it right. Whether the window can be saved at all (closing
before opening, overlapping another, naming no category) is decided by ``crimedata.collections``,
whose messages the view adds to this form, so the form and the service never disagree.
"""

from __future__ import annotations

import datetime as dt

from django import forms

from crimedata.collections import WindowInfo, WindowRequest
from crimedata.entry import Quarter, entry_categories
from crimedata.selectors import ReferenceData

DATE_PARTS = ("day", "month", "year")


def _date(data: dict, name: str, label: str) -> tuple[dt.date | None, str | None]:
    parts = [str(data.get(f"{name}_{part}") or "").strip() for part in DATE_PARTS]
    if not any(parts):
        return None, f"Enter the {label}"
    if not all(parts):
        missing = [part for part, value in zip(DATE_PARTS, parts) if not value]
        return None, f"The {label} must include a {' and a '.join(missing)}"
    try:
        day, month, year = (int(p) for p in parts)
        if year < 1000:
            raise ValueError
        return dt.date(year, month, day), None
    except ValueError:
        return None, f"The {label} must be a real date, for example 31 7 2016"


class WindowForm(forms.Form):
    quarter = forms.ChoiceField(label="Quarter", help_text="The financial-year quarter whose figures you are collecting.")
    categories = forms.MultipleChoiceField(
        label="Categories to collect", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="The figures districts enter. Officers are asked only for these.",
    )
    districts = forms.MultipleChoiceField(
        label="Districts to collect from", required=False, widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label="A note for officers (optional)", required=False, max_length=1000, widget=forms.Textarea,
        help_text="Shown beside what is due and in the reminders, for example who to ask about definitions.",
    )

    def __init__(self, data=None, *, ref: ReferenceData, quarters: list[Quarter], window: WindowInfo | None = None):
        initial = {}
        if window is not None:
            initial = {"quarter": window.quarter.slug, "categories": list(window.category_slugs),
                       "districts": list(window.district_codes), "note": window.note}
            for name, day in (("opens_on", window.opens_on), ("closes_on", window.closes_on)):
                initial.update({f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year})
        else:
            initial = {"districts": [d.code for d in ref.districts]}
        super().__init__(data, initial=initial)
        self.ref = ref
        self.date_errors: dict[str, str] = {}
        choices = [(q.slug, q.label) for q in quarters]
        if window is not None and window.quarter.slug not in {slug for slug, _ in choices}:
            choices.append((window.quarter.slug, window.quarter.label))
        self.fields["quarter"].choices = choices
        self.fields["quarter"].error_messages["invalid_choice"] = "Choose a quarter from the list"
        self.fields["categories"].choices = [(c.slug, c.name) for c in entry_categories(ref)]
        self.fields["categories"].error_messages["invalid_choice"] = "Choose categories from the list"
        self.fields["districts"].choices = [(d.code, d.name) for d in ref.districts]
        self.fields["districts"].error_messages["invalid_choice"] = "Choose districts from the list"
        self.fields["note"].error_messages["max_length"] = "The note must be 1,000 characters or fewer"

    @property
    def date_values(self) -> dict[str, dict[str, str]]:
        """What each date box shows: what was typed, or the window's dates."""
        out: dict[str, dict[str, str]] = {}
        for name in ("opens_on", "closes_on"):
            source = self.data if self.is_bound else self.initial
            out[name] = {part: str(source.get(f"{name}_{part}", "") or "").strip() for part in DATE_PARTS}
        return out

    def clean(self):
        data = super().clean()
        raw = self.data if self.is_bound else {}
        for name, label in (("opens_on", "opening date"), ("closes_on", "closing date")):
            value, error = _date(raw, name, label)
            if error:
                self.date_errors[name] = error
                self.add_error(None, error)
            data[name] = value
        return data

    def window_request(self) -> WindowRequest:
        data = self.cleaned_data
        return WindowRequest(
            quarter=Quarter.parse(data["quarter"]), opens_on=data["opens_on"], closes_on=data["closes_on"],
            category_slugs=tuple(data.get("categories") or ()), district_codes=tuple(data.get("districts") or ()),
            note=(data.get("note") or "").strip(),
        )

    def add_problems(self, problems: list[tuple[str, str]]) -> None:
        """The service's reasons, shown against the fields they are about."""
        for name, message in problems:
            if name in ("opens_on", "closes_on"):
                self.date_errors[name] = message
                self.add_error(None, message)
            else:
                self.add_error(name, message)

    def summary(self) -> list[dict]:
        """Error summary items, each linking to its field (dates link to their day box)."""
        items = []
        for name in ("quarter",):
            items += [{"text": e, "href": f"#id_{name}"} for e in self.errors.get(name, [])]
        for name in ("opens_on", "closes_on"):
            if name in self.date_errors:
                items.append({"text": self.date_errors[name], "href": f"#id_{name}_day"})
        for name in ("categories", "districts"):
            items += [{"text": e, "href": f"#id_{name}_0"} for e in self.errors.get(name, [])]
        items += [{"text": e, "href": "#id_note"} for e in self.errors.get("note", [])]
        return items
