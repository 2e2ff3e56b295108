"""SPC charts for each district × category series: figures, limits, labels, step changes, the chart.

The statistics are assessments.statistics.spc (NHS "Making Data Count" XmR
rules, methods.md §1); this module feeds it from the stored figures and turns
its result into what pages show:

- the series: ``crimedata.aggregation.aggregate`` over single-month windows
  (or financial-year quarters), so a month is a direct figure or the sum of
  its sub-categories, and a month that is not fully known is missing, never a
  partial sum. One figures query per district, cached per data generation;
- the public sees final figures only (``can_see_provisional``); provisional
  points are marked for everyone else;
- improvement direction from the category's polarity ("lower" is better for
  crime: a fall is an improvement; no judgement: neutral, never good or bad);
- run and trend lengths from settings.SPC_RUN_LENGTH / SPC_TREND_LENGTH;
- step changes are stored per series (StepChange) and split the limits into
  segments. The product only suggests one, at the start of a sustained run;
  a person applies it with a reason.

Reads (selectors) use few queries; writes (add/remove step changes) are
atomic services that check permissions themselves.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from assessments.commentary import GeneratedText, category_nouns, spc_summary
from assessments.models import StepChange
from assessments.statistics import spc as mdc
from crimedata.reference import HIGHER_IS_BETTER, NO_JUDGEMENT
from assessments.statistics.rounding import round_half_up
from assessments.statistics.suppression import is_suppressed
from crimedata import roles
from crimedata.aggregation import aggregate
from crimedata.periods import Window, format_month, month_label, month_start, quarter_label
from crimedata.selectors import (
    CategoryInfo,
    DistrictInfo,
    ReferenceData,
    data_generation,
    figures_frame,
    reference_data,
)

MONTH = "month"
QUARTER = "quarter"
GRAINS = {MONTH: "Monthly", QUARTER: "Quarterly"}

# The eight series the Maidstone strategic assessment 2017/18 charts (seed 002 §2.4), after all crime.
KEY_CATEGORIES = (
    "all-crime",
    "victim-based-crime",
    "violence-against-the-person",
    "burglary-dwelling",
    "burglary-other",
    "vehicle-crime",
    "criminal-damage",
    "theft-and-handling",
    "shoplifting",
)

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


class StepChangeError(ValueError):
    """A step change that cannot be saved, with a message for the form."""


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


def grains_for(category: CategoryInfo) -> list[str]:
    """Quarterly categories have no monthly figures; monthly ones can be charted either way."""
    return [QUARTER] if category.grain == QUARTER else [MONTH, QUARTER]


def default_grain(category: CategoryInfo) -> str:
    return QUARTER if category.grain == QUARTER else MONTH


# --- Periods --------------------------------------------------------------------------------------


def period_windows(first_month: int, last_month: int, grain: str) -> list[Window]:
    """Every whole month, or every whole financial-year quarter (Apr–Jun first), in the range."""
    if grain == MONTH:
        return [Window(m, m) for m in range(first_month, last_month + 1)]
    if grain != QUARTER:
        raise ValueError(f"grain must be {MONTH!r} or {QUARTER!r}, not {grain!r}.")
    # Quarters end in March, June, September and December: month index % 3 == 2.
    first_end = first_month + 2
    first_end += (2 - first_end % 3) % 3
    return [Window(end - 2, end) for end in range(first_end, last_month + 1, 3)]


def period_label(window: Window, short: bool = False) -> str:
    if window.months == 1:
        return month_label(window.start, short=short)
    label = quarter_label(window.end)
    return label.split(" (")[0] if short else label


# --- Reading the series ------------------------------------------------------------------------------


def _district_figures(ref: ReferenceData, district_code: str, *, include_provisional: bool, generation: int):
    """One district's stored figures (one query), cached so both grains share a single read."""
    key = f"spc-figures:v1:{generation}:{district_code}:{int(include_provisional)}"
    figures = cache.get(key)
    if figures is None:
        figures = figures_frame(ref, districts=[district_code], include_provisional=include_provisional)
        cache.set(key, figures, settings.COMPARISON_CACHE_SECONDS)
    return figures


def district_series(
    ref: ReferenceData, district_code: str, grain: str, *, include_provisional: bool, generation: int,
    history: Callable[[], pd.DataFrame] | None = None, last_month: int | None = None,
) -> tuple[pd.DataFrame, list[Window]]:
    """Every category's value in every month (or quarter) for one district, cached per data generation.

    Returns (values, windows): values has columns window (position in
    windows), category, value (Int64, <NA> when missing) and provisional.
    One figures query on a cache miss (shared by both grains), none when warm.
    With ``history`` (a function returning the district's figures up to
    ``last_month``, such as a page's FiguresSource.history) the series end at
    ``last_month`` and are read from it instead of a query of their own.
    """
    until = "" if history is None else f":{last_month}"
    key = f"spc-series:v1:{generation}:{district_code}:{grain}:{int(include_provisional)}{until}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    if history is not None:
        figures = history()
    else:
        figures = _district_figures(ref, district_code, include_provisional=include_provisional,
                                    generation=generation)
    if figures.empty:
        result = (pd.DataFrame(columns=["window", "category", "value", "provisional"]), [])
    else:
        windows = period_windows(int(figures["start"].min()), int(figures["end"].max()), grain)
        aggregation = aggregate(figures, ref.tree(), windows, districts=[district_code])
        values = aggregation.values[["window", "category", "value", "provisional"]]
        result = (values.reset_index(drop=True), windows)
    cache.set(key, result, settings.COMPARISON_CACHE_SECONDS)
    return result


SERIES_COLUMNS = ["start", "end", "label", "short_label", "value", "provisional"]


def _series_from(starts: np.ndarray, ends: np.ndarray, labels: np.ndarray, short_labels: np.ndarray,
                 positions: np.ndarray, value: np.ndarray, provisional: np.ndarray) -> pd.DataFrame:
    known = ~np.isnan(value)
    if not known.any():
        return pd.DataFrame(columns=SERIES_COLUMNS)
    first, last = np.flatnonzero(known)[[0, -1]]
    chosen = positions[first : last + 1]
    return pd.DataFrame(
        {
            "start": starts[chosen],
            "end": ends[chosen],
            "label": labels[chosen],
            "short_label": short_labels[chosen],
            "value": value[first : last + 1],
            "provisional": provisional[first : last + 1],
        }
    )


def _window_arrays(windows: Sequence[Window]) -> tuple[np.ndarray, ...]:
    # Labels are worked out once per window, not once per series.
    return (
        np.array([w.start for w in windows], dtype=np.int64),
        np.array([w.end for w in windows], dtype=np.int64),
        np.array([period_label(w) for w in windows], dtype=object),
        np.array([period_label(w, short=True) for w in windows], dtype=object),
    )


def category_series(values: pd.DataFrame, windows: Sequence[Window], category: str) -> pd.DataFrame:
    """One category's points in date order, from its first known value to its last.

    Columns (SERIES_COLUMNS): start, end (month indexes), label, short_label,
    value (float, NaN for a missing month inside the series) and provisional.
    """
    frame = values[values["category"] == category].sort_values("window")
    return _series_from(
        *_window_arrays(windows),
        frame["window"].to_numpy(dtype=np.int64),
        frame["value"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan),
        frame["provisional"].to_numpy(dtype=bool),
    )


def every_category_series(values: pd.DataFrame, windows: Sequence[Window]) -> dict[str, pd.DataFrame]:
    """category_series() for every category at once (one sort and split instead of one scan each)."""
    ordered = values.sort_values(["category", "window"], kind="stable")
    categories = ordered["category"].to_numpy()
    positions = ordered["window"].to_numpy(dtype=np.int64)
    value = ordered["value"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    provisional = ordered["provisional"].to_numpy(dtype=bool)
    arrays = _window_arrays(windows)
    bounds = np.flatnonzero(np.r_[True, categories[1:] != categories[:-1], True])
    return {
        categories[a]: _series_from(*arrays, positions[a:b], value[a:b], provisional[a:b])
        for a, b in zip(bounds[:-1], bounds[1:])
    }


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

    def _label(self, position: int) -> str:
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
        return self._label(int(match[0])) if len(match) else month_label(self.suggested_step_change)

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
        first, last = self._label(0), self._label(len(self.columns["label"]) - 1)
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
            first, last = chart._label(segment.start), chart._label(segment.end)
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


# --- The plotly figure (pure) -------------------------------------------------------------------------------


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
            f"{label}: {'no data' if np.isnan(value) else f'{value:,.0f}'}"
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
                hovertext=[f"{label}: {value:,.0f}<br>{text}<br>{rule}" for label, value, text, rule in zip(
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


def display_number(value: float, decimals: int = 0) -> str:
    """A count or limit as printed: rounded half up, thousands separated, "" when missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    rounded = round_half_up(value, decimals)
    return f"{rounded:,.{decimals}f}"


def table_rows(chart: SpcChart) -> list[dict]:
    """The chart's points as display strings for its table (templates/assessments/spc/_spc_chart.html)."""
    if not chart.has_data:
        return []
    rows = []
    for point in chart.points.to_dict("records"):
        missing = np.isnan(point["value"])
        rows.append({
            "label": point["label"],
            "value": "" if missing else display_number(point["value"]),
            "missing": missing,
            "provisional": bool(point["provisional"]) and not missing,
            "mean": display_number(point["mean"], 1),
            "lpl": display_number(point["lpl_display"], 1),
            "upl": display_number(point["upl"], 1),
            "near_lpl": display_number(max(point["near_lpl"], 0.0), 1),
            "near_upl": display_number(point["near_upl"], 1),
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


# --- Selectors ------------------------------------------------------------------------------------------------


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


def sees_true_values(user, district: DistrictInfo) -> bool:
    """Small numbers in a series are shown to county analysts and the district's own officers.

    A single series has no totals across districts, and the district's
    officers entered these figures, so they learn nothing new from them.
    """
    return roles.can_edit_district(user, district.id)


def _withhold_small_numbers(chart: SpcChart, user) -> SpcChart:
    threshold = chart.category.suppress_below
    if threshold is None or not chart.has_data:
        return chart
    small = [is_suppressed(v, threshold) for v in chart.columns["value"] if not np.isnan(v)]
    if not any(small):
        return chart
    chart.suppressed_in_public = True
    if not sees_true_values(user, chart.district):
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
    return _withhold_small_numbers(chart, user)


@dataclass(frozen=True)
class VariationRow:
    """The latest point of one series, for a summary table."""

    category: CategoryInfo
    grain: str
    latest_label: str | None
    latest_value: float | None
    provisional: bool
    variation: str
    variation_text: str
    rule_text: str | None
    withheld: bool
    suggested_step_change_label: str | None


def variation_summary(
    district_code: str,
    category_slugs: Sequence[str] = KEY_CATEGORIES,
    *,
    user,
    ref: ReferenceData | None = None,
    generation: int | None = None,
    history: Callable[[], pd.DataFrame] | None = None,
    last_month: int | None = None,
) -> list[VariationRow]:
    """The latest point's variation for each category of one district (for a district profile).

    Each category is charted at its own grain with default options and its
    stored step changes. Queries: the data generation (unless given), the
    district's step changes (1), and on a cold cache the reference data and
    one figures query (none with ``history``: see district_series(); the
    charts then end at ``last_month``).
    """
    generation = data_generation() if generation is None else generation
    ref = ref or reference_data(generation)
    district = ref.district(district_code)
    if district is None:
        raise KeyError(district_code)
    include_provisional = roles.can_see_provisional(user)
    categories = [ref.category(slug) for slug in category_slugs if ref.category(slug) is not None]
    stored: dict[int, list[StepChange]] = {}
    for row in StepChange.objects.filter(district_id=district.id, category_id__in=[c.id for c in categories]):
        stored.setdefault(row.category_id, []).append(row)
    split: dict[str, dict[str, pd.DataFrame]] = {}
    rows = []
    for category in categories:
        grain = default_grain(category)
        if grain not in split:
            values, windows = district_series(
                ref, district.code, grain, include_provisional=include_provisional, generation=generation,
                history=history, last_month=last_month,
            )
            split[grain] = every_category_series(values, windows)
        series = split[grain].get(category.slug, pd.DataFrame(columns=SERIES_COLUMNS))
        chart = build_chart(
            series, district=district, category=category,
            options=SpcOptions(grain=grain), step_changes=step_change_infos(stored.get(category.id, [])),
            run_length=settings.SPC_RUN_LENGTH, trend_length=settings.SPC_TREND_LENGTH,
        )
        chart = _withhold_small_numbers(chart, user)
        latest = chart.latest
        if latest is None or chart.withheld:
            rows.append(VariationRow(
                category=category, grain=grain, latest_label=None, latest_value=None, provisional=False,
                variation=NO_DATA, variation_text="Not shown: small numbers" if chart.withheld else "No data",
                rule_text=None, withheld=bool(chart.withheld), suggested_step_change_label=None,
            ))
            continue
        rows.append(VariationRow(
            category=category, grain=grain, latest_label=latest["label"], latest_value=float(latest["value"]),
            provisional=bool(latest["provisional"]), variation=latest["variation"],
            variation_text=latest["variation_text"], rule_text=latest["rule_text"], withheld=False,
            suggested_step_change_label=chart.suggested_step_change_label,
        ))
    return rows


# --- Services: step changes -------------------------------------------------------------------------------------


def can_change_step_changes(user, district: DistrictInfo) -> bool:
    """The district's officers, county analysts and administrators."""
    return getattr(user, "is_authenticated", False) and roles.can_edit_district(user, district.id)


def _check_can_edit(user, district: DistrictInfo) -> None:
    if not can_change_step_changes(user, district):
        raise PermissionDenied(f"You cannot change the step changes for {district.name}.")


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise StepChangeError("Give the reason for the step change, for example a change in recording practice.")
    if len(reason) > 2000:
        raise StepChangeError("The reason must be 2,000 characters or fewer.")
    return reason


def add_step_change(*, user, district: DistrictInfo, category: CategoryInfo, month: int, reason: str) -> StepChange:
    """Store a step change from ``month`` (a month index) in the district's series, with the reason.

    Raises PermissionDenied unless the user may edit the district, and
    StepChangeError for a missing reason or a step change already there.
    """
    _check_can_edit(user, district)
    reason = _clean_reason(reason)
    first_day = month_start(month)
    with transaction.atomic():
        exists = StepChange.objects.filter(district_id=district.id, category_id=category.id, month=first_day)
        if exists.exists():
            raise StepChangeError(f"There is already a step change from {month_label(month)}.")
        step = StepChange(district_id=district.id, category_id=category.id, month=first_day, reason=reason,
                          created_by=user)
        step._history_user = user
        step._change_reason = reason
        try:
            with transaction.atomic():
                step.save()
        except IntegrityError as error:  # someone else added it a moment ago
            raise StepChangeError(f"There is already a step change from {month_label(month)}.") from error
    return step


def remove_step_change(
    *, user, district: DistrictInfo, category: CategoryInfo, step_change_id: int, reason: str
) -> None:
    """Remove a stored step change, keeping who, when and why in its history.

    Raises PermissionDenied unless the user may edit the district, and
    StepChangeError for a missing reason or a step change that is not (or no
    longer) in this series.
    """
    _check_can_edit(user, district)
    reason = _clean_reason(reason)
    with transaction.atomic():
        step = (
            StepChange.objects.select_for_update()
            .filter(pk=step_change_id, district_id=district.id, category_id=category.id)
            .first()
        )
        if step is None:
            raise StepChangeError("That step change has already been removed, perhaps by someone else.")
        step._history_user = user
        step._change_reason = reason
        step.delete()


def step_change_history(district: DistrictInfo, category: CategoryInfo, limit: int = 50) -> list[dict]:
    """Who added or removed which step change, when and why (newest first; one query)."""
    rows = (
        StepChange.history.filter(district_id=district.id, category_id=category.id)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    kinds = {"+": "Added", "-": "Removed", "~": "Changed"}
    return [
        {
            "action": kinds.get(row.history_type, row.history_type),
            "month": month_label(row.month.year * 12 + row.month.month - 1),
            "when": row.history_date,
            "who": (row.history_user.get_full_name() or row.history_user.get_username()) if row.history_user else "",
            "reason": row.history_change_reason or row.reason,
        }
        for row in rows
    ]


# --- Commentary ------------------------------------------------------------------------------------------------


def default_chart(chart: SpcChart) -> SpcChart:
    """The same series drawn with the default options, which the page's written summary describes.

    Readers can screen outliers or fix the baseline for their own look; the
    summary (and any officer's edit of it) always describes the standard chart.
    """
    if chart.options.is_default:
        return chart
    series = pd.DataFrame({name: chart.columns[name] for name in SERIES_COLUMNS})
    return build_chart(
        series, district=chart.district, category=chart.category,
        options=SpcOptions(grain=chart.grain, near_limits=chart.options.near_limits),
        step_changes=chart.step_changes, run_length=chart.run_length, trend_length=chart.trend_length,
    )


def chart_summary(chart: SpcChart) -> GeneratedText:
    """The generated paragraph for a chart (assessments.commentary.spc_summary) from its latest point."""
    latest = chart.latest
    segment = chart.latest_segment
    common = dict(district_name=chart.district.name, category=chart.category, grain=chart.grain)
    if latest is None or segment is None:
        return spc_summary(
            **common, latest_label=None, latest_value=None, variation=None, rule_text=None, mean=None,
            upper_limit=None, lower_limit=None, baseline_from_label=None, points=0, trial_limits=False,
        )
    return spc_summary(
        **common,
        latest_label=latest["label"],
        latest_value=float(latest["value"]),
        variation=str(latest["point_type"]),
        rule_text=latest["rule_text"],
        mean=None if np.isnan(segment.mean) else segment.mean,
        upper_limit=None if np.isnan(segment.upl) else segment.upl,
        lower_limit=None if np.isnan(segment.lpl) else max(segment.lpl, 0.0),
        baseline_from_label=chart._label(segment.start),
        points=segment.n_points,
        trial_limits=segment.trial_limits,
        suggested_step_change_label=chart.suggested_step_change_label,
        provisional=bool(latest["provisional"]),
    )
