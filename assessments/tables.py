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

from assessments.wording import (
    NO_DATA,
    direction_text,
    format_count,
    format_pct,
    format_rate,
    format_signed,
    judgement,
)
from crimedata.numbers import is_missing, round_half_up
from crimedata.reference import NO_JUDGEMENT

NO_DATA_HTML = format_html('<span class="app-missing">{}</span>', NO_DATA)
# A figure withheld because it is built from a small number (assessments.comparison.suppression).
NOT_PUBLISHED = "not published"
NOT_PUBLISHED_HTML = format_html(
    '<span class="app-missing app-suppressed">{}<span class="govuk-visually-hidden"> (small numbers)</span></span>',
    NOT_PUBLISHED,
)
SUPPRESSED_IN_PUBLIC_HTML = mark_safe(  # noqa: S308 - a constant with no user input
    ' <span class="app-suppressed-mark">suppressed in public</span>'
)
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


def suppressed_html(display: str) -> str:
    """A hidden count as the page shows it: "<5" (1 to 4) or "*" (hidden to protect another), with words for screen readers."""
    if display.startswith("<"):
        hidden = f" (fewer than {display[1:]}: small numbers are not published)"
    else:
        hidden = " (not published, so that a small number elsewhere cannot be worked out)"
    return format_html('<span class="app-suppressed">{}<span class="govuk-visually-hidden">{}</span></span>',
                       display, hidden)


class FigureColumn(tables.Column):
    """A figure: formatted on the page, a number in downloads, "no data" when missing.

    ``kind``: count ("5,285"), rate ("45.5"), signed ("+245"), pct ("+4.9%")
    or share ("29.9%"). ``provisional`` names the record key that says the
    figure is provisional; such figures are marked "P" with hidden text.

    Small-number suppression (assessments.comparison.suppression): ``count_key`` names the
    count this column shows; when the record has ``<count_key>_display`` ("<5"
    or "*") the count is hidden and that text is shown (and exported) instead,
    and an analyst's true value is marked "suppressed in public" when
    ``<count_key>_suppressed`` is set. ``built_from`` names the counts a
    derived figure (rate, change) is built from: when any is hidden, the
    figure shows "not published" rather than "no data".
    """

    def __init__(self, verbose_name=None, *, kind: str = "count", provisional: str | None = None,
                 count_key: str | None = None, built_from: tuple[str, ...] = (), **kwargs):
        self.kind = kind
        self.provisional = provisional
        self.count_key = count_key
        self.built_from = built_from
        kwargs.setdefault("attrs", {"th": {"class": "app-numeric"}, "td": {"class": "app-numeric"}})
        super().__init__(verbose_name, empty_values=(), **kwargs)

    def hidden(self, record) -> str | None:
        """The text shown for a hidden count, "not published" for a withheld figure, or None."""
        if self.count_key and record.get(f"{self.count_key}_display"):
            return record[f"{self.count_key}_display"]
        if any(record.get(f"{key}_display") for key in self.built_from):
            return NOT_PUBLISHED
        return None

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
        if self.kind == "p":
            return None if is_missing(value) else f"{value:.4f}"
        raise ValueError(self.kind)

    def render(self, value, record):
        hidden = self.hidden(record)
        if hidden is not None and is_missing(value):
            return NOT_PUBLISHED_HTML if hidden == NOT_PUBLISHED else suppressed_html(hidden)
        text = self.text(value)
        if text is None:
            return NO_DATA_HTML
        mark = ""
        if self.count_key and record.get(f"{self.count_key}_suppressed"):
            mark = SUPPRESSED_IN_PUBLIC_HTML
        if self.provisional and record.get(self.provisional):
            return format_html("{}{}{}", text, PROVISIONAL_HTML, mark)
        return format_html("{}{}", text, mark) if mark else text

    def value(self, value, record):
        hidden = self.hidden(record)
        if hidden is not None and is_missing(value):
            return hidden
        if is_missing(value):
            return NO_DATA
        if self.kind in ("count", "signed"):
            return int(value)
        if self.kind == "p":
            return float(f"{value:.4g}")
        return round_half_up(value, 1)


# The colour of a significance word: better/worse/similar by polarity, blue for "higher"/"lower"
# where neither direction is judged better (the words always say it; colour only reinforces).
STATUS_CLASS = {"better": "better", "worse": "worse", "similar": "similar", "higher": "neutral", "lower": "neutral"}


def direction_html(direction: str | None, record: dict) -> str:
    """The change arrow with a word, and whether the change is statistically significant.

    With a change test (``change_significance`` from assessments.comparison.significance)
    the colour follows the test: a significant change is better or worse by
    the category's polarity (blue "higher"/"lower" for no judgement), and a
    change that is not significant is grey. Without a test, as before: the
    direction judged by polarity.
    """
    text = direction_text(direction)
    if text is None:
        if record.get("count_display") or record.get("previous_count_display"):
            return NOT_PUBLISHED_HTML
        return NO_DATA_HTML
    verdict = judgement(direction, record.get("polarity", NO_JUDGEMENT))
    significance = record.get("change_significance")
    if significance and direction != "same":
        assessment = record.get("change_assessment")
        css = "app-status app-status--" + (STATUS_CLASS.get(assessment, "none") if assessment != "similar" else "none")
        hidden = f" ({verdict} than a year earlier)" if verdict and assessment != "similar" else ""
        return format_html(
            '<span class="{}">{}<span class="govuk-visually-hidden">{}</span></span>'
            '<span class="app-significance govuk-body-s">{}</span>',
            css, text, hidden, significance,
        )
    css = f"app-status app-status--{verdict}" if verdict else "app-status app-status--none"
    hidden = f" ({verdict} than a year earlier)" if verdict else ""
    return format_html('<span class="{}">{}<span class="govuk-visually-hidden">{}</span></span>', css, text, hidden)


class DirectionColumn(tables.Column):
    """An arrow with a word ("↑ up"), and "significant rise"/"no significant change" when the change was tested.

    Coloured better/worse only for categories with a polarity.
    """

    def __init__(self, verbose_name="Direction", **kwargs):
        kwargs.setdefault("orderable", False)
        super().__init__(verbose_name, empty_values=(), **kwargs)

    def render(self, value, record):
        return direction_html(value, record)

    def value(self, value, record):
        if not value and (record.get("count_display") or record.get("previous_count_display")):
            return NOT_PUBLISHED
        return value or NO_DATA


class TextColumn(tables.Column):
    """Plain text from the record (exports as the same text); "no data" or "not published" when empty."""

    def __init__(self, verbose_name=None, *, built_from: tuple[str, ...] = (), **kwargs):
        self.built_from = built_from
        super().__init__(verbose_name, empty_values=(), **kwargs)

    def _missing(self, record) -> str:
        return NOT_PUBLISHED if any(record.get(f"{k}_display") for k in self.built_from) else NO_DATA

    def render(self, value, record):
        if is_missing(value) or value == "":
            return NOT_PUBLISHED_HTML if self._missing(record) == NOT_PUBLISHED else NO_DATA_HTML
        return value

    def value(self, value, record):
        return self._missing(record) if is_missing(value) or value == "" else value


class VsGroupColumn(TextColumn):
    """The district against the group rate, the Fingertips way: words plus colour, never colour alone."""

    def __init__(self, verbose_name="Compared with the group", **kwargs):
        kwargs.setdefault("orderable", False)
        super().__init__(verbose_name, built_from=("count",), **kwargs)

    def render(self, value, record):
        if is_missing(value) or not value:
            return super().render(value, record)
        css = STATUS_CLASS.get(record.get("vs_group"), "none")
        return format_html('<span class="app-status app-status--text app-status--{}">{}</span>', css, value)


class IntervalColumn(tables.Column):
    """A rate's confidence interval on the page ("28.6 to 30.2"); the limits are exported as numbers by
    the hidden rate_lower/rate_upper columns instead."""

    def __init__(self, verbose_name="Confidence interval", **kwargs):
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("exclude_from_export", True)
        kwargs.setdefault("attrs", {"th": {"class": "app-numeric"}, "td": {"class": "app-numeric app-nowrap"}})
        super().__init__(verbose_name, accessor="rate_lower", empty_values=(), **kwargs)

    def render(self, value, record):
        lower, upper = record.get("rate_lower"), record.get("rate_upper")
        if is_missing(lower) or is_missing(upper):
            return NOT_PUBLISHED_HTML if record.get("count_display") else NO_DATA_HTML
        return f"{format_rate(lower)} to {format_rate(upper)}"


class PositionColumn(tables.Column):
    """A county position label ("2="); sorts by the number behind it. A district whose figure is hidden
    (small numbers) has no position: "not published"."""

    def __init__(self, verbose_name, *, rank_key: str, **kwargs):
        kwargs.setdefault("attrs", {"th": {"class": "app-numeric"}, "td": {"class": "app-numeric"}})
        # Last year's position is by last year's count; this year's by this year's (and last year's, when
        # ranked by change).
        self.count_keys = ("previous_count",) if rank_key == "previous_rank" else ("count", "previous_count")
        super().__init__(verbose_name, empty_values=(), order_by=(rank_key,), **kwargs)

    def _hidden(self, record) -> bool:
        return any(record.get(f"{key}_display") for key in self.count_keys)

    def render(self, value, record):
        if is_missing(value):
            return NOT_PUBLISHED_HTML if self._hidden(record) else NO_DATA_HTML
        return value

    def value(self, value, record):
        if is_missing(value):
            return NOT_PUBLISHED if self._hidden(record) else NO_DATA
        return value


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
    count = FigureColumn("Number this period", provisional="provisional", count_key="count")
    previous_count = FigureColumn("Number a year earlier", provisional="previous_provisional",
                                  count_key="previous_count")
    change = FigureColumn("Change", kind="signed", built_from=("count", "previous_count"))
    change_pct = FigureColumn("Change %", kind="pct", built_from=("count", "previous_count"))
    direction = DirectionColumn()
    rate = FigureColumn("Rate", kind="rate", provisional="provisional", built_from=("count",))
    rate_interval = IntervalColumn()
    vs_group = VsGroupColumn(accessor="vs_group_text")
    previous_rate = FigureColumn("Rate a year earlier", kind="rate", provisional="previous_provisional",
                                 built_from=("previous_count",))
    rank_label = PositionColumn("County position", rank_key="rank")
    previous_rank_label = PositionColumn("Position a year earlier (by rate)", rank_key="previous_rank")
    # In downloads only: the interval's limits as numbers, and the change test.
    rate_lower = FigureColumn("Rate, lower confidence limit", kind="rate", built_from=("count",), visible=False)
    rate_upper = FigureColumn("Rate, upper confidence limit", kind="rate", built_from=("count",), visible=False)
    change_significance = TextColumn("Change significance", built_from=("count", "previous_count"), visible=False)
    change_p = FigureColumn("Change p-value (exact test)", kind="p", built_from=("count", "previous_count"),
                            visible=False)
    suppressed_in_public = tables.Column("Suppressed in public", empty_values=(), visible=False)

    def __init__(self, data, *, link_query: str = "", **kwargs):
        self.link_query = link_query
        super().__init__(data, **kwargs)

    def value_suppressed_in_public(self, value, record):
        return "yes" if value else "no"

    def render_name(self, value, record):
        url = reverse("district-profile", args=[record["district"]]) + self.link_query
        if record.get("highlight"):
            return format_html('<a class="govuk-link" href="{}">{}</a> (highlighted)', url, value)
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, value)

    def value_name(self, value, record):
        return value

    def add_total(self, total, *, label: str, polarity: str, group_area: str = "") -> None:
        """The group row as the table's footer: a comparison Total, or the published total dict
        (assessments.comparison.suppression.PublishedComparison.total) with its interval, change test and any
        hidden count ("*")."""
        if not isinstance(total, dict):
            import dataclasses

            total = dataclasses.asdict(total)
        change = total.get("change")
        direction = None
        if change is not None:
            direction = "up" if change > 0 else "down" if change < 0 else "same"
        record = {**total, "polarity": polarity}
        lower = total.get("rate_lower")  # the interval column reads its upper end from the record
        figure = {name: FigureColumn(kind=kind, count_key=key, built_from=built)
                  for name, kind, key, built in (
                      ("count", "count", "count", ()), ("previous_count", "count", "previous_count", ()),
                      ("change", "signed", None, ("count", "previous_count")),
                      ("change_pct", "pct", None, ("count", "previous_count")),
                      ("rate", "rate", None, ("count",)), ("previous_rate", "rate", None, ("previous_count",)),
                      ("rate_lower", "rate", None, ("count",)), ("rate_upper", "rate", None, ("count",)),
                      ("change_p", "p", None, ("count", "previous_count")))}
        cells = {name: column.render(total.get(name), record) for name, column in figure.items()}
        cells.update(
            name=label,
            direction=direction_html(direction, record),
            rate_interval=IntervalColumn().render(lower, record),
            vs_group=format_html('<span class="govuk-body-s">{}</span>', f"the {group_area} rate" if group_area
                                 else "the group rate"),
            rank_label="",
            previous_rank_label="",
        )
        raw = {name: column.value(total.get(name), record) for name, column in figure.items()}
        raw.update(
            name=label,
            direction=DirectionColumn().value(direction, record),
            vs_group=None,
            change_significance=total.get("change_significance"),
            rank_label=None,
            previous_rank_label=None,
            suppressed_in_public="yes" if total.get("count_suppressed") or total.get("previous_count_suppressed")
            else "no",
        )
        names = [c.name for c in self.columns.iterall() if not c.column.exclude_from_export]
        self.set_footer(cells, [raw.get(n) for n in names])


# --- The district profile ------------------------------------------------------------------------


class CrimeTypeTable(GovukTable):
    """Every category for one district: this year, last year, change and county positions."""

    row_header = "category"
    category = tables.Column("Crime or disorder type", order_by=("order",))
    count = FigureColumn("This year", provisional="provisional", count_key="count")
    previous_count = FigureColumn("Last year", provisional="previous_provisional", count_key="previous_count")
    change = FigureColumn("Change", kind="signed", built_from=("count", "previous_count"))
    change_pct = FigureColumn("Change %", kind="pct", built_from=("count", "previous_count"))
    direction = DirectionColumn()
    rank_label_rate = PositionColumn("County position this year", rank_key="rank_rate")
    previous_rank_label = PositionColumn("County position last year", rank_key="previous_rank")
    change_significance = TextColumn("Change significance", built_from=("count", "previous_count"), visible=False)

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
    count = FigureColumn("Number", provisional="provisional", count_key="count")
    share = FigureColumn("Share of the total", kind="share", built_from=("count", "total"))


class TrendTable(GovukTable):
    """The numbers behind a trend chart: one row per 12-month window."""

    row_header = "label"
    label = tables.Column("12 months ending", order_by=("end",))
    count = FigureColumn("District number", provisional="provisional", count_key="count")
    rate = FigureColumn("District rate", kind="rate", provisional="provisional", built_from=("count",))
    group_rate = FigureColumn("Group rate", kind="rate", built_from=("group_count",))


# --- The Kent overview ----------------------------------------------------------------------------


class MatrixCellColumn(FigureColumn):
    """One category in the overview: the rate (or count), with the other figure in a tooltip."""

    def __init__(self, verbose_name, *, slug: str, view: str, **kwargs):
        self.slug = slug
        self.view = view
        super().__init__(verbose_name, kind="rate" if view == "rate" else "count", provisional=f"{slug}__provisional",
                         **kwargs)

    def hidden(self, record) -> str | None:
        display = record.get(f"{self.slug}__count_display")
        if not display:
            return None
        return display if self.view == "count" else NOT_PUBLISHED

    def render(self, value, record):
        hidden = self.hidden(record)
        if hidden is not None and is_missing(value):
            return NOT_PUBLISHED_HTML if hidden == NOT_PUBLISHED else suppressed_html(hidden)
        text = self.text(value)
        if text is None:
            return NO_DATA_HTML
        if record.get(f"{self.slug}__suppressed"):
            text = format_html("{}{}", text, SUPPRESSED_IN_PUBLIC_HTML)
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
