"""Chart for the top-neighbourhoods section: present only, from a NeighbourhoodReport.

The same numbers are always in the table beside the chart (its accessible form).
"""

from __future__ import annotations

import json

import plotly.graph_objects as go

from crimedata.neighbourhoods import NeighbourhoodReport

GOVUK_BLUE = "#1d70b8"


def top_neighbourhoods_chart(report: NeighbourhoodReport) -> dict | None:
    """A horizontal bar per top neighbourhood (most at the top), or None when there is nothing to draw."""
    rows = report.neighbourhoods
    if not rows:
        return None
    names = [f"{r.name} ({r.rank_label})" for r in rows][::-1]
    counts = [r.count for r in rows][::-1]
    figure = go.Figure(
        go.Bar(
            x=counts, y=names, orientation="h", marker_color=GOVUK_BLUE,
            text=[f"{c:,}" for c in counts], textposition="outside", cliponaxis=False,
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        )
    )
    figure.update_layout(
        height=max(220, 34 * len(rows) + 80),
        margin={"l": 10, "r": 40, "t": 10, "b": 40},
        font={"family": "Arial, sans-serif", "size": 14, "color": "#0b0c0c"},
        xaxis={"title": {"text": "Records"}, "rangemode": "tozero", "tickformat": ",d"},
        yaxis={"automargin": True},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        showlegend=False,
        template="none",
    )
    return json.loads(figure.to_json())
