"""django-tables2 tables for the comparison pages: presentation only.

Tables take rows the comparison service has already computed (lists of
dicts) and never query. Each numeric column shows its figure formatted
("5,285", "45.5", "+4.9%"), exports it as a number, and shows "no data" when
it is missing. Sorting puts rows with no data last in either direction, so a
missing district never heads a league table. Tables render with the accessible
template (caption, th scope, aria-sort); ``row_header`` names the column
rendered as the row's header cell.
"""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_tables2.data import TableListData
from django_tables2.utils import Accessor, OrderBy

from assessments.statistics.rounding import is_missing, round_half_up
from assessments.wording import (
    NO_DATA,
    direction_text,
    format_count,
    format_pct,
    format_rate,
    format_signed,
    judgement,
)

NO_DATA_HTML = format_html('<span class="app-missing">{}</span>', NO_DATA)
PROVISIONAL_HTML = mark_safe(  # noqa: S308 - a constant with no user input
    ' <span class="app-provisional-mark">P<span class="govuk-visually-hidden"> (provisional)</span></span>'
)


class MissingLastData(TableListData):
    """List data whose sort keeps rows without a value at the end, ascending or descending."""

    def order_by(self, aliases):
        for alias in reversed(list(aliases)):
            bare = OrderBy(alias).bare
            if bare not in self.table.columns:
                continue
            bound_column = self.table.columns[bare]
            descending = alias.startswith("-")
            accessors = [Accessor(a.bare) for a in bound_column.order_by]

            def key(record, accessors=accessors):
                values = [accessor.resolve(record, quiet=True) for accessor in accessors]
                return tuple(v.lower() if isinstance(v, str) else v for v in values)

            present = [r for r in self.data if not any(is_missing(v) for v in key(r))]
            absent = [r for r in self.data if any(is_missing(v) for v in key(r))]
            present.sort(key=key, reverse=descending)
            self.data = present + absent


class FigureColumn(tables.Column):
    """A figure: formatted on the page, a number in downloads, "no data" when missing.

    ``kind``: count ("5,285"), rate ("45.5"), signed ("+245"), pct ("+4.9%")
    or share ("29.9%"). ``provisional`` names the record key that says the
    figure is provisional; such figures are marked "P" with hidden text.
    """

    def __init__(self, verbose_name=None, *, kind: str = "count", provisional: str | None = None, **kwargs):
        self.kind = kind
        self.provisional = provisional
        kwargs.setdefault("attrs", {"th": {"class": "app-numeric"}, "td": {"class": "app-numeric"}})
        super().__init__(verbose_name, empty_values=(), **kwargs)

    def text(self, value) -> str | None:
        if self.kind == "count":
            return format_count(value)
        if self.kind == "rate":
            return format_rate(value)
        if self.kind == "signed":
            return format_signed(value)
        if self.kind == "pct":
            return format_pct(value)
        if self.kind == "share":
            return format_pct(value, signed=False)
        raise ValueError(self.kind)

    def render(self, value, record):
        text = self.text(value)
        if text is None:
            return NO_DATA_HTML
        if self.provisional and record.get(self.provisional):
            return format_html("{}{}", text, PROVISIONAL_HTML)
        return text

    def value(self, value, record):
        if is_missing(value):
            return NO_DATA
        if self.kind in ("count", "signed"):
            return int(value)
        return round_half_up(value, 1)


class DirectionColumn(tables.Column):
    """An arrow with a word ("↑ up"); coloured better/worse only for categories with a polarity."""

    def __init__(self, verbose_name="Direction", **kwargs):
        kwargs.setdefault("orderable", False)
        super().__init__(verbose_name, empty_values=(), **kwargs)

    def render(self, value, record):
        text = direction_text(value)
        if text is None:
            return NO_DATA_HTML
        verdict = judgement(value, record.get("polarity", "none"))
        css = f"app-status app-status--{verdict}" if verdict else "app-status app-status--none"
        hidden = f" ({verdict} than a year earlier)" if verdict else ""
        return format_html('<span class="{}">{}<span class="govuk-visually-hidden">{}</span></span>', css, text, hidden)

    def value(self, value, record):
        return value or NO_DATA


class PositionColumn(tables.Column):
    """A county position label ("2="); sorts by the number behind it."""

    def __init__(self, verbose_name, *, rank_key: str, **kwargs):
        kwargs.setdefault("attrs", {"th": {"class": "app-numeric"}, "td": {"class": "app-numeric"}})
        super().__init__(verbose_name, empty_values=(), order_by=(rank_key,), **kwargs)

    def render(self, value):
        return NO_DATA_HTML if is_missing(value) else value

    def value(self, value):
        return NO_DATA if is_missing(value) else value


def _row_class(record) -> str:
    return "govuk-table__row" + (" app-row--highlight" if record.get("highlight") else "")


class GovukTable(tables.Table):
    """Base: GOV.UK classes, a caption, a row header and missing-last sorting."""

    row_header: str | None = None

    def __init__(self, data, *, caption: str, caption_hint: str = "", **kwargs):
        # Set here, not in Meta: django-tables2 does not inherit a parent's Meta.
        kwargs.setdefault("attrs", {"class": "govuk-table"})
        kwargs.setdefault("row_attrs", {"class": _row_class})
        kwargs.setdefault("template_name", "tables/govuk_table.html")
        self.caption = caption
        self.caption_hint = caption_hint
        self._footer_values: list | None = None
        super().__init__(MissingLastData(list(data)), **kwargs)

    def set_header(self, name: str, text: str) -> None:
        if name in self.columns:
            self.columns[name].column.verbose_name = text

    def set_footer(self, cells: dict, values: list) -> None:
        """Footer cells by column name (HTML) and the same row as export values."""
        for name, cell in cells.items():
            if name in self.columns:
                self.columns[name].column._footer = cell if cell is not None else ""
        self._footer_values = values

    def export_footer(self) -> list | None:
        return self._footer_values


def _footer_text(text):
    return NO_DATA_HTML if text is None else text


# --- The comparison table: one row per district --------------------------------------------------


class DistrictComparisonTable(GovukTable):
    """Districts compared for one category (comparison page, district index, profile)."""

    row_header = "name"
    name = tables.Column("District", order_by=("name",))
    count = FigureColumn("Number this period", provisional="provisional")
    previous_count = FigureColumn("Number a year earlier", provisional="previous_provisional")
    change = FigureColumn("Change", kind="signed")
    change_pct = FigureColumn("Change %", kind="pct")
    direction = DirectionColumn()
    rate = FigureColumn("Rate", kind="rate", provisional="provisional")
    previous_rate = FigureColumn("Rate a year earlier", kind="rate", provisional="previous_provisional")
    rank_label = PositionColumn("County position", rank_key="rank")
    previous_rank_label = PositionColumn("Position a year earlier (by rate)", rank_key="previous_rank")

    def __init__(self, data, *, link_query: str = "", **kwargs):
        self.link_query = link_query
        super().__init__(data, **kwargs)

    def render_name(self, value, record):
        url = reverse("district-profile", args=[record["district"]]) + self.link_query
        if record.get("highlight"):
            return format_html('<a class="govuk-link" href="{}">{}</a> (highlighted)', url, value)
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, value)

    def value_name(self, value, record):
        return value

    def add_total(self, total, *, label: str, polarity: str) -> None:
        direction = None
        if total.change is not None:
            direction = "up" if total.change > 0 else "down" if total.change < 0 else "same"
        direction_cell = DirectionColumn().render(direction, {"polarity": polarity})
        cells = {
            "name": label,
            "count": _footer_text(format_count(total.count)),
            "previous_count": _footer_text(format_count(total.previous_count)),
            "change": _footer_text(format_signed(total.change)),
            "change_pct": _footer_text(format_pct(total.change_pct)),
            "direction": direction_cell,
            "rate": _footer_text(format_rate(total.rate)),
            "previous_rate": _footer_text(format_rate(total.previous_rate)),
            "rank_label": "",
            "previous_rank_label": "",
        }
        raw = {
            "name": label,
            "count": total.count,
            "previous_count": total.previous_count,
            "change": total.change,
            "change_pct": None if total.change_pct is None else round_half_up(total.change_pct, 1),
            "direction": direction,
            "rate": None if total.rate is None else round_half_up(total.rate, 1),
            "previous_rate": None if total.previous_rate is None else round_half_up(total.previous_rate, 1),
            "rank_label": None,
            "previous_rank_label": None,
        }
        names = [c.name for c in self.columns]
        values = [NO_DATA if raw.get(n) is None and n not in ("rank_label", "previous_rank_label") else raw.get(n)
                  for n in names]
        self.set_footer(cells, values)


# --- The district profile ------------------------------------------------------------------------


class CrimeTypeTable(GovukTable):
    """Every category for one district: this year, last year, change and county positions."""

    row_header = "category"
    category = tables.Column("Crime or disorder type", order_by=("order",))
    count = FigureColumn("This year", provisional="provisional")
    previous_count = FigureColumn("Last year", provisional="previous_provisional")
    change = FigureColumn("Change", kind="signed")
    change_pct = FigureColumn("Change %", kind="pct")
    direction = DirectionColumn()
    rank_label_rate = PositionColumn("County position this year", rank_key="rank_rate")
    previous_rank_label = PositionColumn("County position last year", rank_key="previous_rank")

    def render_category(self, value, record):
        depth = min(int(record.get("depth", 0)), 4)
        return format_html(
            '<span class="app-indent-{}"><a class="govuk-link" href="{}">{}</a></span>', depth, record["url"], value
        )

    def value_category(self, value, record):
        return value


class ProportionTable(GovukTable):
    """Each part's share of a stated total."""

    row_header = "category"
    category = tables.Column("Type", order_by=("category",))
    count = FigureColumn("Number", provisional="provisional")
    share = FigureColumn("Share of the total", kind="share")


class TrendTable(GovukTable):
    """The numbers behind a trend chart: one row per 12-month window."""

    row_header = "label"
    label = tables.Column("12 months ending", order_by=("end",))
    count = FigureColumn("District number", provisional="provisional")
    rate = FigureColumn("District rate", kind="rate", provisional="provisional")
    group_rate = FigureColumn("Group rate", kind="rate")


# --- The Kent overview ----------------------------------------------------------------------------


class MatrixCellColumn(FigureColumn):
    """One category in the overview: the rate (or count), with the other figure in a tooltip."""

    def __init__(self, verbose_name, *, slug: str, view: str, **kwargs):
        self.slug = slug
        self.view = view
        super().__init__(verbose_name, kind="rate" if view == "rate" else "count", provisional=f"{slug}__provisional",
                         **kwargs)

    def render(self, value, record):
        text = self.text(value)
        if text is None:
            return NO_DATA_HTML
        other = record.get(f"{self.slug}__count" if self.view == "rate" else f"{self.slug}__rate")
        other_text = format_count(other) if self.view == "rate" else format_rate(other)
        title = (f"{other_text} recorded" if self.view == "rate" else f"{other_text} per {record.get(f'{self.slug}__base', 1000):,} residents") if other_text else ""
        mark = PROVISIONAL_HTML if record.get(f"{self.slug}__provisional") else ""
        return format_html('<span title="{}">{}</span>{}', title, text, mark)


class OverviewTable(GovukTable):
    """Districts × categories."""

    row_header = "name"
    name = tables.Column("District", order_by=("name",))

    def __init__(self, data, *, categories, view: str, link_query: str = "", **kwargs):
        self.link_query = link_query
        extra = [
            (c.slug, MatrixCellColumn(c.short_name or c.name, slug=c.slug, view=view)) for c in categories
        ]
        super().__init__(data, extra_columns=extra, **kwargs)

    def render_name(self, value, record):
        url = reverse("district-profile", args=[record["district"]]) + self.link_query
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, value)

    def value_name(self, value, record):
        return value
