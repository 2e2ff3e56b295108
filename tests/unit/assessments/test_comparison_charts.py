"""Plotly figure builders: plain JSON dicts, SVG traces only, nothing shown by colour alone (no database)."""

import json

from assessments.charts import comparison_bar, trend_lines

ROWS = [
    {"district": "A", "name": "Tunbridge Wells", "rate": 45.466},
    {"district": "B", "name": "Sevenoaks", "rate": 51.863},
    {"district": "C", "name": "Dover", "rate": None},
]


def bar(**kwargs):
    return comparison_bar(ROWS, title="All crime", axis_title="Rate per 1,000 residents", group_label="Kent average",
                          group_rate=59.0, **kwargs)


def test_bar_chart_is_plain_json_with_svg_traces_only():
    figure = bar(highlight="A")
    json.dumps(figure)  # serialisable as it is, for json_script
    assert {trace["type"] for trace in figure["data"]} == {"bar"}
    assert not any(trace["type"].endswith("gl") for trace in figure["data"])


def test_highlighted_district_differs_by_pattern_outline_and_label():
    figure = bar(highlight="A")
    others, chosen = figure["data"]
    assert chosen["y"] == ["Tunbridge Wells (highlighted)"]
    assert chosen["marker"]["pattern"]["shape"] == "/"
    assert chosen["marker"]["line"]["width"] == 3
    assert "pattern" not in others["marker"]
    # Position 1 at the top, in the order given, with the highlighted label in place.
    assert figure["layout"]["yaxis"]["categoryarray"] == ["Tunbridge Wells (highlighted)", "Sevenoaks", "Dover"]
    assert figure["layout"]["yaxis"]["autorange"] == "reversed"


def test_rates_are_labelled_to_one_place_and_missing_says_no_data():
    others = bar()["data"][0]
    assert others["text"] == ["45.5", "51.9", "no data"]


def test_group_average_is_a_dashed_line_with_its_value():
    figure = bar()
    (line,) = figure["layout"]["shapes"]
    assert line["x0"] == 59.0 and line["line"]["dash"] == "dash"
    assert figure["layout"]["annotations"][0]["text"] == "Kent average 59.0"


def test_no_group_line_when_the_group_rate_is_missing():
    figure = comparison_bar(ROWS, title="t", axis_title="a", group_label="Kent average", group_rate=None)
    assert "shapes" not in figure["layout"] or not figure["layout"]["shapes"]


def test_trend_lines_differ_by_dash_and_marker_not_only_colour():
    figure = trend_lines([24200, 24201], [45.0, None], [59.0, 60.0], district_name="Tunbridge Wells",
                         group_label="Kent average", title="t", axis_title="Rate per 1,000 residents")
    district, group = figure["data"]
    assert district["type"] == group["type"] == "scatter"
    assert district["line"]["dash"] != group["line"]["dash"]
    assert district["marker"]["symbol"] != group["marker"]["symbol"]
    assert district["x"] == ["2016-09-30", "2016-10-31"]
    assert district["y"] == [45.0, None]  # a gap, not a zero
    assert district["name"] == "Tunbridge Wells" and group["name"] == "Kent average"


def _contrast(one: str, two: str) -> float:
    """WCAG 2.2 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_value_label_inside_every_bar_keeps_its_contrast_over_the_highlight_hatch():
    rows = [{**row, "rate_lower": row["rate"] and row["rate"] - 1, "rate_upper": row["rate"] and row["rate"] + 1}
            for row in ROWS]
    figure = comparison_bar(rows, title="All crime", axis_title="Rate", group_label="Kent average", group_rate=59.0,
                            highlight="A", interval_label="95% confidence interval")
    others, chosen = figure["data"]
    assert _contrast("#ffffff", "#000000") == 21.0  # the formula itself
    for trace in (others, chosen):
        assert trace["textposition"] == "inside"
        label = trace["textfont"]["color"]
        fills = [trace["marker"]["color"]] + ([trace["marker"]["pattern"]["fgcolor"]] if "pattern" in trace["marker"]
                                              else [])
        for fill in fills:
            assert _contrast(label, fill) >= 4.5, (trace["name"], label, fill)
