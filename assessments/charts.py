"""Every chart the pages draw: plotly figures as plain dicts for json_script, and SVG sparklines.

Pure builders: they take rows already computed by the comparison service and
return ``json.loads(fig.to_json())`` (Django's JSON encoder cannot serialise
numpy arrays). The same numbers are always in a table beside each chart (its
accessible form). Only SVG trace types (bar, scatter) are used: WebGL traces need
``unsafe-eval``, which the Content-Security-Policy forbids. Nothing is shown
by colour alone: the highlighted district also has a hatched fill, a thick
outline and "(highlighted)" in its label; the group line is dashed and named
in the legend.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from assessments.wording import format_rate
from crimedata.numbers import round_half_up
from crimedata.periods import month_end, month_label

if TYPE_CHECKING:
    from assessments.profile.neighbourhoods import NeighbourhoodReport

# GOV.UK Frontend colours (each at least 3:1 against white, WCAG 1.4.11).
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
BLACK = "#0b0c0c"
GREY = "#505a5f"
FONT = {"family": "Arial, sans-serif", "size": 14, "color": BLACK}


def _plain(fig: go.Figure) -> dict:
    # No plotly.py template: it would add ~10 kB of unused styles to every page.
    fig.update_layout(template="none")
    return json.loads(fig.to_json())


def comparison_bar(
    rows: Sequence[dict],
    *,
    title: str,
    axis_title: str,
    group_label: str,
    group_rate: float | None,
    highlight: str | None = None,
    interval_label: str | None = None,
) -> dict:
    """Horizontal bars of each district's rate, in the order given (position 1 at the top).

    ``rows``: dicts with district (code), name and rate (None when missing);
    optionally rate_lower/rate_upper (the rate's confidence interval, drawn as
    error bars when ``interval_label`` names it, e.g. "95% confidence
    interval") and rate_text (the label for a bar with no rate, such as "not
    published"). The group average (group total ÷ group population) is a
    dashed line.
    """
    names = []
    others = {"y": [], "x": [], "text": [], "plus": [], "minus": [], "hover": []}
    chosen_bar = {"y": [], "x": [], "text": [], "plus": [], "minus": [], "hover": []}
    for row in rows:
        chosen = highlight is not None and row["district"] == highlight
        name = f"{row['name']} (highlighted)" if chosen else row["name"]
        names.append(name)
        rate = row.get("rate")
        target = chosen_bar if chosen else others
        target["y"].append(name)
        target["x"].append(rate)
        text = format_rate(rate) or row.get("rate_text") or "no data"
        target["text"].append(text)
        lower, upper = row.get("rate_lower"), row.get("rate_upper")
        known = rate is not None and lower is not None and upper is not None
        target["plus"].append(upper - rate if known else None)
        target["minus"].append(rate - lower if known else None)
        interval = f" ({interval_label} {format_rate(lower)} to {format_rate(upper)})" if known and interval_label else ""
        target["hover"].append(text + interval)
    def bars(values: dict, **kwargs) -> go.Bar:
        extra = {"textposition": "outside"}
        if interval_label:
            # The interval as whiskers across the bar's end; the value moves inside the bar, at its start,
            # so the whiskers never run over it.
            extra = {
                "error_x": {
                    "type": "data", "symmetric": False, "array": values["plus"], "arrayminus": values["minus"],
                    "color": BLACK, "thickness": 1.5, "width": 5,
                },
                "textposition": "inside", "insidetextanchor": "start",
                "textfont": {"color": "#ffffff", "family": FONT["family"], "size": 13},
            }
        return go.Bar(
            y=values["y"], x=values["x"], text=values["text"], customdata=values["hover"], orientation="h",
            cliponaxis=False, hovertemplate="%{y}: %{customdata}<extra></extra>", showlegend=False, **extra, **kwargs,
        )

    # Two traces with one colour each: plotly.js warns about (and mis-draws the
    # legend of) a patterned trace with per-bar colours.
    fig = go.Figure()
    fig.add_trace(bars(others, marker={"color": BLUE}, name="Districts"))
    if chosen_bar["y"]:
        fig.add_trace(
            bars(
                chosen_bar,
                marker={
                    "color": DARK_BLUE,
                    # Mid-blue stripes on dark blue: still a hatch (not colour alone), and the white value label
                    # keeps its contrast over both (5.2:1 and 12:1).
                    "pattern": {"shape": "/", "fgcolor": BLUE, "size": 8, "solidity": 0.3, "fillmode": "overlay"},
                    "line": {"color": BLACK, "width": 3},
                },
                name="Highlighted district",
            )
        )
    if group_rate is not None:
        fig.add_vline(
            x=group_rate,
            line={"color": BLACK, "dash": "dash", "width": 2},
            annotation={
                "text": f"{group_label} {format_rate(group_rate)}",
                "font": {**FONT, "size": 13},
                "bgcolor": "rgba(255,255,255,0.85)",
            },
            annotation_position="top",
        )
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {**FONT, "size": 17}},
        font=FONT,
        height=max(260, 90 + 30 * len(rows)),
        margin={"l": 10, "r": 60, "t": 70, "b": 50},
        xaxis={"title": {"text": axis_title}, "rangemode": "tozero", "gridcolor": "#dddddd", "automargin": True},
        yaxis={"autorange": "reversed", "automargin": True, "ticksuffix": "  ", "categoryorder": "array",
               "categoryarray": names},
        barmode="overlay",
        # A value that does not fit inside its bar is left out rather than shrunk; the table has every value.
        uniformtext={"mode": "hide", "minsize": 12},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        bargap=0.25,
    )
    return _plain(fig)


def trend_lines(
    ends: Sequence[int],
    district_rates: Sequence[float | None],
    group_rates: Sequence[float | None],
    *,
    district_name: str,
    group_label: str,
    title: str,
    axis_title: str,
) -> dict:
    """The district's rolling rate against the group's, one point per month end.

    The district is a solid blue line with round markers; the group a dashed
    black line with square markers, so the two differ by more than colour.
    """
    x = [month_end(end).isoformat() for end in ends]
    labels = [month_label(end) for end in ends]

    def line(values, name, colour, dash, symbol):
        return go.Scatter(
            x=x,
            y=[None if v is None else float(v) for v in values],
            mode="lines+markers",
            name=name,
            line={"color": colour, "dash": dash, "width": 3},
            marker={"symbol": symbol, "size": 6, "color": colour},
            customdata=[[label, format_rate(v) or "no data"] for label, v in zip(labels, values)],
            hovertemplate=f"{name}, 12 months to %{{customdata[0]}}: %{{customdata[1]}}<extra></extra>",
            connectgaps=False,
        )

    fig = go.Figure(
        [
            line(district_rates, district_name, BLUE, "solid", "circle"),
            line(group_rates, group_label, BLACK, "dash", "square"),
        ]
    )
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {**FONT, "size": 17}},
        font=FONT,
        height=400,
        margin={"l": 10, "r": 20, "t": 70, "b": 60},
        xaxis={"title": {"text": "12 months ending"}, "type": "date", "tickformat": "%b %Y", "gridcolor": "#dddddd",
               "automargin": True},
        yaxis={"title": {"text": axis_title}, "rangemode": "tozero", "gridcolor": "#dddddd", "automargin": True},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
    )
    return _plain(fig)


def top_neighbourhoods_chart(report: NeighbourhoodReport) -> dict | None:
    """A horizontal bar per top neighbourhood (most at the top), or None when there is nothing to draw."""
    rows = report.neighbourhoods
    if not rows:
        return None
    names = [f"{r.name} ({r.rank_label})" for r in rows][::-1]
    counts = [r.count for r in rows][::-1]
    figure = go.Figure(
        go.Bar(
            x=counts, y=names, orientation="h", marker_color=BLUE,
            text=[f"{c:,}" for c in counts], textposition="outside", cliponaxis=False,
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        )
    )
    figure.update_layout(
        height=max(220, 34 * len(rows) + 80),
        margin={"l": 10, "r": 40, "t": 10, "b": 40},
        font=FONT,
        xaxis={"title": {"text": "Records"}, "rangemode": "tozero", "tickformat": ",d"},
        yaxis={"automargin": True},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        showlegend=False,
        template="none",
    )
    return json.loads(figure.to_json())


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    segments: list[str]  # SVG polyline "x,y x,y" runs; a missing value breaks the line
    dots: list[tuple[float, float]]


def sparkline(values: list[float | None], width: int = 120, height: int = 32, pad: int = 4) -> Sparkline:
    """Coordinates for a small trend line drawn in SVG (no script, so it prints).

    The y axis spans the values' own range (a sparkline shows shape, not level);
    a flat series is drawn across the middle. The exact values are always
    printed beside it, so nothing is read from the picture alone.
    """
    present = [v for v in values if v is not None]
    segments: list[list[str]] = [[]]
    dots: list[tuple[float, float]] = []
    if present:
        low, high = min(present), max(present)
        span = high - low
        step = (width - 2 * pad) / max(len(values) - 1, 1)
        for i, v in enumerate(values):
            if v is None:
                if segments[-1]:
                    segments.append([])
                continue
            x = round_half_up(pad + i * step, 1)
            y = round_half_up(height / 2 if span == 0 else pad + (high - v) / span * (height - 2 * pad), 1)
            segments[-1].append(f"{x:g},{y:g}")
            dots.append((x, y))
    return Sparkline(width=width, height=height, segments=[" ".join(s) for s in segments if len(s) > 1], dots=dots)
