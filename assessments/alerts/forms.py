"""The form on the subscriptions page."""

from __future__ import annotations

from django import forms

from assessments.alerts.subscriptions import area_choices, category_choices
from crimedata.selectors import ReferenceData


class SubscriptionForm(forms.Form):
    area = forms.ChoiceField(label="District or group", help_text="A group sends alerts for each of its districts, "
                             "compared within the group.")
    category = forms.ChoiceField(label="Category", required=False)

    def __init__(self, data=None, *, ref: ReferenceData):
        super().__init__(data)
        self.fields["area"].choices = [("", "Choose a district or group")] + area_choices(ref)
        self.fields["category"].choices = category_choices(ref)
        self.fields["area"].error_messages.update(required="Choose a district or a group",
                                                  invalid_choice="Choose a district or a group from the list")
        self.fields["category"].error_messages["invalid_choice"] = "Choose a category from the list, or every category"

    def options(self, name: str) -> list[dict]:
        """A select's options for the template: {"group": label or None, "options": [(value, label, selected)]}."""
        chosen = str(self[name].value() or "")
        out = []
        for value, label in self.fields[name].choices:
            if isinstance(label, (list, tuple)):
                out.append({"group": value, "options": [(v, text, v == chosen) for v, text in label]})
            else:
                out.append({"group": None, "options": [(value, label, value == chosen)]})
        return out

    @property
    def area_options(self) -> list[dict]:
        return self.options("area")

    @property
    def category_options(self) -> list[dict]:
        return self.options("category")

    def summary(self) -> list[dict]:
        items = []
        for name in ("area", "category"):
            items += [{"text": e, "href": f"#id_{name}"} for e in self.errors.get(name, [])]
        items += [{"text": e, "href": "#id_area"} for e in self.non_field_errors()]
        return items
