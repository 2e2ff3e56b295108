"""What SPC charts say in brief: the latest point of each series of a district, and a chart's paragraph.

``variation_summary`` is the table on the district profile and the SPC index
(one row per category, each charted at its own grain with its stored step
changes); ``chart_summary`` is the generated paragraph under a chart, which
an officer may edit (``assessments.views.commentary``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.conf import settings

from assessments.commentary.text import GeneratedText, spc_summary
from assessments.models import StepChange
from assessments.spc.chart import (
    NO_DATA,
    SpcChart,
    SpcOptions,
    build_chart,
    step_change_infos,
    withhold_small_numbers,
)
from assessments.spc.series import SERIES_COLUMNS, default_grain, district_series, every_category_series
from crimedata import roles
from crimedata.selectors import CategoryInfo, ReferenceData, data_generation, reference_data

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


def _row(chart: SpcChart, grain: str) -> VariationRow:
    latest = chart.latest
    if latest is None or chart.withheld:
        return VariationRow(
            category=chart.category, grain=grain, latest_label=None, latest_value=None, provisional=False,
            variation=NO_DATA, variation_text="Not shown: small numbers" if chart.withheld else "No data",
            rule_text=None, withheld=bool(chart.withheld), suggested_step_change_label=None,
        )
    return VariationRow(
        category=chart.category, grain=grain, latest_label=latest["label"], latest_value=float(latest["value"]),
        provisional=bool(latest["provisional"]), variation=latest["variation"],
        variation_text=latest["variation_text"], rule_text=latest["rule_text"], withheld=False,
        suggested_step_change_label=chart.suggested_step_change_label,
    )


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
        rows.append(_row(withhold_small_numbers(chart, user), grain))
    return rows


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
    """The generated paragraph for a chart (assessments.commentary.text.spc_summary) from its latest point."""
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
        baseline_from_label=chart.label_at(segment.start),
        points=segment.n_points,
        trial_limits=segment.trial_limits,
        suggested_step_change_label=chart.suggested_step_change_label,
        provisional=bool(latest["provisional"]),
    )
