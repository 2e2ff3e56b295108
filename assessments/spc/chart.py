"""An SPC chart of one series: its limits, labels and step changes, its plotly figure and its table.

The statistics are ``assessments.statistics.spc`` (NHS "Making Data Count"
XmR rules, docs/methods.md §1); this module turns its result into what pages
show:

- improvement direction from the category's polarity (lower is better for
  crime: a fall is an improvement; no judgement: neutral, never good or bad);
- run and trend lengths from settings.SPC_RUN_LENGTH / SPC_TREND_LENGTH;
- step changes are stored per series (``StepChange``) and split the limits
  into segments. The product only suggests one, at the start of a sustained
  run; a person applies it with a reason (``assessments.spc.step_changes``);
- small numbers: a chart whose series has any is shown only to the viewers
  ``crimedata.roles.sees_true_series_values`` allows, because its average
  and limits would let them be worked out.

Everything here but ``withhold_small_numbers`` and ``spc_chart`` (the chart
of one series for a viewer) is pure: no database.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from django.conf import settings

from assessments.commentary.text import category_nouns
from assessments.models import StepChange
from assessments.spc.series import GRAINS, MONTH, SERIES_COLUMNS, category_series, district_series
from assessments.statistics import spc as mdc
from assessments.statistics.suppression import is_suppressed
from assessments.wording import format_count, format_rate
from crimedata import roles
from crimedata.periods import format_month, month_label, month_start
from crimedata.reference import HIGHER_IS_BETTER, NO_JUDGEMENT
from crimedata.selectors import CategoryInfo, DistrictInfo, ReferenceData, data_generation, reference_data

# Point variation as pages name it (and the CSS modifier that colours it; the words always show).
COMMON, IMPROVING, CONCERNING, NEUTRAL, NO_DATA = "common", "improvement", "concern", "neutral", "missing"
_VARIATION_OF_TYPE = {
    mdc.COMMON_CAUSE: COMMON,
    mdc.IMPROVEMENT: IMPROVING,
    mdc.CONCERN: CONCERNING,
    mdc.NEUTRAL_HIGH: NEUTRAL,
    mdc.NEUTRAL_LOW: NEUTRAL,
    mdc.MISSING: NO_DATA,
}
_VARIATION_TEXT = {
    COMMON: "Common cause",
    IMPROVING: "Special cause: improvement",
    CONCERNING: "Special cause: concern",
    NEUTRAL: "Special cause: neutral",
    NO_DATA: "No data",
}

# Chart styling: special causes differ by marker SHAPE and legend label as well as colour,
# and every colour has at least 3:1 contrast with the white background (WCAG 1.4.11).
_MARKERS = {
    IMPROVING: {"symbol": "diamond", "color": "#1d70b8", "name": "Special cause: improvement"},
    CONCERNING: {"symbol": "square", "color": "#b04000", "name": "Special cause: concern"},
    NEUTRAL: {"symbol": "triangle-up", "color": "#4c2c92", "name": "Special cause: neutral (no judgement)"},
}
_LINE_COLOUR = "#505a5f"
_LIMIT_COLOUR = "#942514"


@dataclass(frozen=True)
class SpcOptions:
    """How to draw one chart. Defaults match the NHS Making Data Count Excel tool."""

    grain: str = MONTH
    screen_outliers: bool = False
    fix_after: int | None = None
    near_limits: bool = False

    @property
    def is_default(self) -> bool:
        return not self.screen_outliers and self.fix_after is None

    def query(self) -> dict:
        """The chart URL's query parameters for these options (defaults left out)."""
        params: dict[str, str] = {"grain": self.grain}
        if self.screen_outliers:
            params["screen"] = "1"
        if self.fix_after is not None:
            params["fix_after"] = str(self.fix_after)
        if self.near_limits:
            params["near"] = "1"
        return params


def improvement_direction(polarity: str) -> str:
    """The MDC improvement direction for a category's polarity (no judgement: neutral)."""
    if polarity == NO_JUDGEMENT:
        return mdc.NEUTRAL
    return mdc.INCREASE if polarity == HIGHER_IS_BETTER else mdc.DECREASE


# --- The chart (pure) ---------------------------------------------------------------------------------

_RULE_PATTERNS = [
    (re.compile(r"^Above UCL$"), "Above the upper control limit"),
    (re.compile(r"^Below LCL$"), "Below the lower control limit"),
    (re.compile(r"^(\d+) Point Trend \(Increasing\)$"), "{0} or more points in a row, each higher than the last"),
    (re.compile(r"^(\d+) Point Trend \(Decreasing\)$"), "{0} or more points in a row, each lower than the last"),
    (re.compile(r"^2 in 3 Above CL$"), "2 of 3 points close to the upper control limit"),
    (re.compile(r"^2 in 3 Below CL$"), "2 of 3 points close to the lower control limit"),
    (re.compile(r"^(\d+) Points Above CL$"), "{0} or more points in a row above the centre line"),
    (re.compile(r"^(\d+) Points Below CL$"), "{0} or more points in a row below the centre line"),
    (re.compile(r"^Common Cause$"), "Within the limits, with no special pattern"),
]


@lru_cache(maxsize=256)
def _rule_text(rule: str) -> str:
    for pattern, text in _RULE_PATTERNS:
        match = pattern.match(rule)
        if match:
            return text.format(*match.groups())
    return rule


def rule_text(rule: str | None) -> str | None:
    """An MDC rule label in plain English: "7 Points Below CL" -> "7 or more points in a row below the centre line"."""
    if rule is None or (isinstance(rule, float) and np.isnan(rule)):
        return None
    return _rule_text(rule)


def variation_text(variation: str, high: bool | None) -> str:
    """Words for a point's variation, e.g. "Special cause: concern (higher)"."""
    text = _VARIATION_TEXT[variation]
    if variation in (IMPROVING, CONCERNING, NEUTRAL) and high is not None:
        text += " (higher)" if high else " (lower)"
    return text


@dataclass(frozen=True)
class StepChangeInfo:
    """A stored step change as a chart uses it."""

    id: int
    month: int  # month index of StepChange.month
    reason: str
    created_by: str
    created_at: dt.datetime | None
    position: int | None = None  # the chart point it starts, None when outside the chart

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def value(self) -> str:
        return format_month(self.month)


def step_change_infos(rows: Iterable[StepChange]) -> list[StepChangeInfo]:
    return [
        StepChangeInfo(
            id=row.id,
            month=row.month.year * 12 + row.month.month - 1,
            reason=row.reason,
            created_by=(row.created_by.get_full_name() or row.created_by.get_username()) if row.created_by else "",
            created_at=row.created_at,
        )
        for row in rows
    ]


@dataclass
class SpcChart:
    """Everything a page shows for one SPC chart."""

    district: DistrictInfo
    category: CategoryInfo
    options: SpcOptions
    direction: str
    run_length: int
    trend_length: int
    columns: dict  # column name -> numpy array, one entry per period; see build_chart()
    result: mdc.SpcResult | None
    step_changes: list[StepChangeInfo] = field(default_factory=list)
    suggested_step_change: int | None = None  # month index where a sustained run starts
    notes: list[str] = field(default_factory=list)
    withheld: str | None = None  # why the chart is not shown to this viewer
    suppressed_in_public: bool = False

    @cached_property
    def points(self) -> pd.DataFrame:
        """One row per period (built on first use: summaries only need the arrays)."""
        return pd.DataFrame(self.columns)

    @property
    def grain(self) -> str:
        return self.options.grain

    def label_at(self, position: int) -> str:
        return str(self.columns["label"][position])

    @property
    def has_data(self) -> bool:
        return self.result is not None and bool((~np.isnan(self.columns["value"])).any())

    @property
    def latest(self) -> dict | None:
        """The latest observed point as a dict (see build_chart() for the keys), or None."""
        if not self.has_data:
            return None
        position = int(np.flatnonzero(~np.isnan(self.columns["value"]))[-1])
        return {name: values[position] for name, values in self.columns.items()}

    @property
    def latest_segment(self) -> mdc.SegmentLimits | None:
        return None if self.result is None else self.result.segments[-1]

    @property
    def suggested_step_change_label(self) -> str | None:
        if self.suggested_step_change is None:
            return None
        match = np.flatnonzero(self.columns["start"] == self.suggested_step_change)
        return self.label_at(int(match[0])) if len(match) else month_label(self.suggested_step_change)

    @property
    def period_noun(self) -> str:
        return "month" if self.grain == MONTH else "quarter"

    @property
    def step_change_choices(self) -> list[tuple[str, str]]:
        """Where a step change can start: any charted period but the first, and not one already used."""
        used = {s.position for s in self.step_changes}
        return [
            (format_month(int(start)), label)
            for position, (start, label) in enumerate(zip(self.columns["start"], self.columns["label"]))
            if position > 0 and position not in used
        ]

    def caption(self) -> str:
        _, plural = category_nouns(self.category.slug, self.category.name)
        if not self.has_data:
            return f"No figures for {plural} in {self.district.name}."
        first, last = self.label_at(0), self.label_at(len(self.columns["label"]) - 1)
        latest = self.latest
        return (
            f"{GRAINS[self.grain]} number of {plural} in {self.district.name}, {first} to {last}, with the centre "
            f"line (average) and the upper and lower control limits. The latest point, {latest['label']}, is "
            f"{latest['variation_text'].lower()}."
        )


def build_chart(
    series: pd.DataFrame,
    *,
    district: DistrictInfo,
    category: CategoryInfo,
    options: SpcOptions,
    step_changes: Iterable[StepChangeInfo] = (),
    run_length: int = 7,
    trend_length: int = 7,
) -> SpcChart:
    """The SPC chart for one series (pure: no database).

    series: category_series() output. step_changes: stored step changes for
    the series; each starts a new segment at the period containing its month
    (ignored when outside the chart). Returns an SpcChart whose points frame
    has, per period: start, end, label, short_label, value, provisional,
    segment, mean, upl, lpl (the true lower limit), lpl_display (clamped at 0),
    near_upl, near_lpl, rule (MDC label), rule_text, point_type (MDC),
    variation (common/improvement/concern/neutral/missing), variation_text,
    high (True above/rising, False below/falling, None otherwise), step_change
    (True where a step change starts).
    """
    direction = improvement_direction(category.polarity)
    placed = []
    for change in step_changes:
        inside = series.index[(series["start"] <= change.month) & (series["end"] >= change.month)]
        placed.append(replace(change, position=int(inside[0]) if len(inside) else None))
    chart = SpcChart(
        district=district, category=category, options=options, direction=direction,
        run_length=run_length, trend_length=trend_length, result=None,
        columns={name: series[name].to_numpy() for name in SERIES_COLUMNS},
        step_changes=sorted(placed, key=lambda s: s.month),
    )
    if series.empty or not series["value"].notna().any():
        return chart

    rebase = sorted({s.position for s in placed if s.position})
    result = mdc.xmr(
        series["value"].to_numpy(dtype=float),
        improvement_direction=direction,
        screen_outliers=options.screen_outliers,
        fix_after_n_points=options.fix_after,
        rebase_at=rebase,
        run_length=run_length,
        trend_length=trend_length,
    )
    columns = result.columns
    rules = columns["rule"]
    highs = [None if r is None or r == "Common Cause" else ("Above" in r or "Increasing" in r) for r in rules]
    variations = [_VARIATION_OF_TYPE[t] for t in columns["point_type"]]
    data = {name: series[name].to_numpy() for name in SERIES_COLUMNS}
    data.update({name: columns[name] for name in ("segment", "mean", "upl", "lpl", "lpl_display", "near_upl",
                                                  "near_lpl", "point_type")})
    data.update(
        rule=np.asarray(rules, dtype=object),
        rule_text=np.array([rule_text(r) for r in rules], dtype=object),
        variation=np.array(variations, dtype=object),
        high=np.array(highs, dtype=object),
        variation_text=np.array([variation_text(v, h) for v, h in zip(variations, highs)], dtype=object),
        step_change=np.isin(np.arange(len(series)), rebase),
    )
    # Arrays, not a DataFrame: building frames for 500 charts costs more than the statistics.
    chart.columns = data
    chart.result = result
    if result.suggested_rebase is not None:
        chart.suggested_step_change = int(data["start"][result.suggested_rebase])
    chart.notes = _notes(chart)
    return chart


def _notes(chart: SpcChart) -> list[str]:
    notes = []
    for segment in chart.result.segments:
        if segment.trial_limits:
            first, last = chart.label_at(segment.start), chart.label_at(segment.end)
            notes.append(
                f"Trial limits: the limits from {first} to {last} rest on {segment.n_points} "
                f"{'points' if segment.n_points != 1 else 'point'}. Treat them with caution until there are at "
                f"least {mdc.TRIAL_LIMITS_BELOW}."
            )
    if chart.options.fix_after is not None:
        short = [s for s in chart.result.segments if s.n_points <= chart.options.fix_after]
        notes.append(
            f"The limits are fixed on the first {chart.options.fix_after} {chart.period_noun}s of each segment "
            "and extended forward."
            + (" Some segments are shorter, so all their points are used." if short else "")
        )
    outside = [s for s in chart.step_changes if s.position is None]
    for change in outside:
        notes.append(f"The step change from {change.label} is outside the charted period, so it has no effect here.")
    return notes



# --- The plotly figure and the table (pure) ---------------------------------------------------------------


def _x(starts: Iterable[int]) -> list[str]:
    return [month_start(int(s)).isoformat() for s in starts]


def _segment_line(points: pd.DataFrame, column: str) -> tuple[list, list]:
    """x/y for a per-segment horizontal line, with a gap (None) between segments."""
    xs, ys = [], []
    for _, segment in points.groupby("segment", sort=True):
        xs += _x(segment["start"]) + [None]
        ys += [None if np.isnan(v) else float(v) for v in segment[column]] + [None]
    return xs[:-1], ys[:-1]


def chart_figure(chart: SpcChart) -> dict:
    """The plotly figure as a plain dict for templates/_components/chart.html (SVG traces only)."""
    _, plural = category_nouns(chart.category.slug, chart.category.name)
    points = chart.points
    figure = go.Figure()
    if chart.has_data:
        hover = [
            f"{label}: {'no data' if np.isnan(value) else format_count(value)}"
            f"{' (provisional)' if provisional else ''}<br>{text}"
            for label, value, provisional, text in zip(
                points["label"], points["value"], points["provisional"], points["variation_text"]
            )
        ]
        figure.add_trace(go.Scatter(
            x=_x(points["start"]), y=[None if np.isnan(v) else float(v) for v in points["value"]],
            mode="lines+markers", name=f"{GRAINS[chart.grain]} number", line={"color": _LINE_COLOUR, "width": 2},
            marker={"color": _LINE_COLOUR, "size": 5, "symbol": "circle"}, hovertext=hover, hoverinfo="text",
        ))
        for column, name, dash, colour in (
            ("mean", "Centre line (average)", "solid", "#0b0c0c"),
            ("upl", "Upper control limit", "dash", _LIMIT_COLOUR),
            ("lpl_display", "Lower control limit", "dash", _LIMIT_COLOUR),
        ):
            xs, ys = _segment_line(points, column)
            figure.add_trace(go.Scatter(
                x=xs, y=ys, mode="lines", name=name, line={"color": colour, "dash": dash, "width": 1.5},
                hoverinfo="skip",
            ))
        if chart.options.near_limits:
            near = (("near_upl", "Near upper limit (2 sigma)"), ("near_lpl", "Near lower limit (2 sigma)"))
            for column, name in near:
                xs, ys = _segment_line(points, column)
                ys = [None if y is None else max(y, 0.0) for y in ys]
                figure.add_trace(go.Scatter(
                    x=xs, y=ys, mode="lines", name=name, line={"color": _LINE_COLOUR, "dash": "dot", "width": 1},
                    hoverinfo="skip",
                ))
        for variation, style in _MARKERS.items():
            chosen = points[points["variation"] == variation]
            if chosen.empty:
                continue
            figure.add_trace(go.Scatter(
                x=_x(chosen["start"]), y=chosen["value"].astype(float).tolist(), mode="markers", name=style["name"],
                marker={"symbol": style["symbol"], "color": style["color"], "size": 11,
                        "line": {"color": "#0b0c0c", "width": 1}},
                hovertext=[f"{label}: {format_count(value)}<br>{text}<br>{rule}" for label, value, text, rule in zip(
                    chosen["label"], chosen["value"], chosen["variation_text"], chosen["rule_text"])],
                hoverinfo="text",
            ))
        provisional = points[points["provisional"] & points["value"].notna()]
        if not provisional.empty:
            figure.add_trace(go.Scatter(
                x=_x(provisional["start"]), y=provisional["value"].astype(float).tolist(), mode="markers",
                name="Provisional figure", marker={"symbol": "circle-open", "size": 15, "color": "#0b0c0c",
                                                   "line": {"width": 2}},
                hoverinfo="skip",
            ))
        for change in chart.step_changes:
            if change.position is None:
                continue
            x = _x([points.iloc[change.position]["start"]])[0]
            figure.add_vline(x=x, line={"color": "#0b0c0c", "dash": "dashdot", "width": 1})
            figure.add_annotation(
                x=x, y=1, yref="paper", yanchor="bottom", text=f"Step change: {change.label}", showarrow=False,
                font={"size": 12, "color": "#0b0c0c"}, xanchor="left",
            )
    figure.update_layout(
        title={"text": f"{chart.category.name} in {chart.district.name}: SPC chart ({GRAINS[chart.grain].lower()})"},
        # No plotly.py default template (it adds ~6.5 kB of unused styles to every chart); gridlines are set here.
        template="none",
        xaxis={"title": {"text": "Month" if chart.grain == MONTH else "Quarter (first month shown)"}, "type": "date",
               "gridcolor": "#dddddd"},
        yaxis={"title": {"text": f"Number recorded per {chart.period_noun}"}, "rangemode": "tozero",
               "gridcolor": "#dddddd", "automargin": True},
        font={"family": "Arial, sans-serif", "size": 14, "color": "#0b0c0c"},
        legend={"orientation": "h", "y": -0.3, "yanchor": "top"},
        margin={"l": 70, "r": 20, "t": 70, "b": 40},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        hovermode="closest",
    )
    return json.loads(figure.to_json())


def table_rows(chart: SpcChart) -> list[dict]:
    """The chart's points as display strings for its table (templates/assessments/spc/_spc_chart.html)."""
    if not chart.has_data:
        return []
    rows = []
    for point in chart.points.to_dict("records"):
        missing = np.isnan(point["value"])
        rows.append({
            "label": point["label"],
            "value": "" if missing else format_count(point["value"]),
            "missing": missing,
            "provisional": bool(point["provisional"]) and not missing,
            # Centre lines and limits to 1 decimal place, like rates; "" where a segment has none.
            "mean": format_rate(point["mean"]) or "",
            "lpl": format_rate(point["lpl_display"]) or "",
            "upl": format_rate(point["upl"]) or "",
            "near_lpl": format_rate(max(point["near_lpl"], 0.0)) or "",
            "near_upl": format_rate(point["near_upl"]) or "",
            "variation": point["variation"],
            "variation_text": point["variation_text"],
            "rule_text": "" if point["rule_text"] is None or point["variation"] == COMMON else point["rule_text"],
            "step_change": bool(point["step_change"]),
        })
    return rows


def embed_context(chart: SpcChart, chart_id: str = "spc-chart") -> dict:
    """What templates/assessments/spc/_spc_chart.html needs, for embedding a chart in another page.

    Returns {"chart", "figure", "rows", "chart_id"}; figure and rows are empty
    when the chart has no data or is withheld from this viewer.
    """
    visible = chart.has_data and not chart.withheld
    return {
        "chart": chart,
        "figure": chart_figure(chart) if visible else None,
        "rows": table_rows(chart) if visible else [],
        "chart_id": chart_id,
    }



# --- One series' chart for a viewer ---------------------------------------------------------------------------


def withhold_small_numbers(chart: SpcChart, user) -> SpcChart:
    """Mark a chart with small numbers, and withhold it from viewers who may not see them."""
    threshold = chart.category.suppress_below
    if threshold is None or not chart.has_data:
        return chart
    small = [is_suppressed(v, threshold) for v in chart.columns["value"] if not np.isnan(v)]
    if not any(small):
        return chart
    chart.suppressed_in_public = True
    if not roles.sees_true_series_values(user, chart.district.id):
        chart.withheld = (
            f"Some {chart.period_noun}s have fewer than {threshold}, and small numbers of "
            f"{chart.category.name.lower()} are not published. The chart's average and limits would let them be "
            "worked out, so the chart is shown only to analysts and the district's officers."
        )
    return chart


def spc_chart(
    district_code: str,
    category_slug: str,
    options: SpcOptions,
    *,
    user,
    ref: ReferenceData | None = None,
    generation: int | None = None,
) -> SpcChart:
    """The SPC chart of one series for this user.

    Queries: the data generation (unless given), the step changes (1), and on
    a cold cache the reference data and one figures query. Raises KeyError
    for an unknown district or category.
    """
    generation = data_generation() if generation is None else generation
    ref = ref or reference_data(generation)
    district, category = ref.district(district_code), ref.category(category_slug)
    if district is None or category is None:
        raise KeyError(district_code if district is None else category_slug)
    include_provisional = roles.can_see_provisional(user)
    values, windows = district_series(
        ref, district.code, options.grain, include_provisional=include_provisional, generation=generation
    )
    series = category_series(values, windows, category.slug)
    changes = step_change_infos(
        StepChange.objects.filter(district_id=district.id, category_id=category.id).select_related("created_by")
    )
    chart = build_chart(
        series, district=district, category=category, options=options, step_changes=changes,
        run_length=settings.SPC_RUN_LENGTH, trend_length=settings.SPC_TREND_LENGTH,
    )
    return withhold_small_numbers(chart, user)
