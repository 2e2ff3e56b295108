"""SPC for every district × category series in Kent, against the aggregation alone.

The demo data is exactly the Kent shape: 13 districts, monthly figures April
2012 to March 2024 (144 months) for 25 leaf categories and quarterly ones for
3, rolled up the category tree into every parent. That is 13 × 34 series of
144 months (monthly and parent categories) plus 13 × 3 quarterly series.

Measured (best of several runs, seconds):
- fetch: the one figures query for all of Kent (crimedata.selectors.figures_frame);
- aggregation: crimedata.aggregation.aggregate over 144 one-month windows for
  every district and category: the baseline, what any monthly view must do;
- SPC library: assessments.statistics.spc.xmr_many over every series;
- SPC service: assessments.spc.series.every_category_series + assessments.spc.chart.build_chart for every series,
  as the pages build them (labels, variation words, notes), with the stored
  figures already aggregated;
- end to end, cold cache: assessments.spc.summary.variation_summary for every
  category of every district (per district: one figures query and the
  aggregation for each grain, one step-change query, every chart).

The second test shows that the statistics of a full comparison page
(intervals, group comparison, change test, disclosure and the headline
sentence for every category) run without a single SQL query.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from django.core.cache import cache
from django.core.management import call_command

from assessments.commentary.text import group_words, headline
from assessments.comparison.context import comparison_context
from assessments.comparison.significance import add_significance
from assessments.comparison.suppression import disclose_comparison
from assessments.spc.chart import SpcOptions, build_chart
from assessments.spc.series import MONTH, QUARTER, default_grain, every_category_series, period_windows
from assessments.spc.summary import variation_summary
from crimedata.roles import PUBLIC
from assessments.statistics.spc import xmr_many
from crimedata.aggregation import aggregate
from crimedata.periods import Window, parse_month
from crimedata.selectors import data_generation, figures_frame, reference_data


@pytest.fixture
def kent_demo():
    """The demo data on the reference data migrations install (a flush by an earlier test removes both)."""
    from crimedata.models import District
    from tests.conftest import _reinstall_reference_data

    cache.clear()
    if not District.objects.exists():
        _reinstall_reference_data()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    yield
    cache.clear()


def best_of(runs: int, work) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


@pytest.mark.django_db(transaction=True)
def test_spc_for_every_series_in_kent(benchmark, capsys, kent_demo):
    generation = data_generation()
    ref = reference_data(generation)
    codes = [d.code for d in ref.districts]

    fetch_seconds, figures = best_of(3, lambda: figures_frame(ref))
    windows = period_windows(int(figures["start"].min()), int(figures["end"].max()), MONTH)
    assert len(windows) == 144
    tree = ref.tree()
    aggregation_seconds, aggregation = best_of(5, lambda: aggregate(figures, tree, windows, districts=codes))

    values = aggregation.values
    known = values[values["value"].notna()]
    long = known.assign(value=known["value"].astype(float))
    library_seconds, (points, summary) = best_of(3, lambda: xmr_many(long, by=["district", "category"],
                                                                     date="window"))
    monthly_series = len(summary)

    quarterly = [c for c in ref.categories if c.grain == QUARTER]
    quarter_windows = period_windows(int(figures["start"].min()), int(figures["end"].max()), QUARTER)
    quarter_values = aggregate(figures, tree, quarter_windows, districts=codes,
                               categories=[c.slug for c in quarterly]).values

    def every_chart():
        charts = []
        for district in ref.districts:
            monthly = every_category_series(values[values["district"] == district.code], windows)
            quarterly_series = every_category_series(
                quarter_values[quarter_values["district"] == district.code], quarter_windows
            )
            for category in ref.categories:
                grain = default_grain(category)
                series = (quarterly_series if grain == QUARTER else monthly).get(category.slug)
                if series is None or series.empty:
                    continue
                charts.append(build_chart(series, district=district, category=category,
                                          options=SpcOptions(grain=grain)))
        return charts

    charts = benchmark.pedantic(every_chart, rounds=3, iterations=1)
    service_seconds = benchmark.stats.stats.min
    n_points = sum(len(c.points) for c in charts)

    def end_to_end():
        cache.clear()
        done = 0
        for district in ref.districts:
            done += len(variation_summary(district.code, [c.slug for c in ref.categories], user=analyst,
                                              ref=ref, generation=generation))
        return done

    from tests.conftest import make_user
    from crimedata import roles

    analyst = make_user("benchmark.analyst", roles.ANALYST)
    cold_seconds, cold_rows = best_of(2, end_to_end)
    assert cold_rows == 13 * len(ref.categories)
    assert monthly_series == 13 * 34 and len(charts) == 13 * 37
    assert all(c.has_data for c in charts)

    benchmark.extra_info.update(
        series=len(charts),
        points=n_points,
        fetch_seconds=round(fetch_seconds, 3),
        aggregation_seconds=round(aggregation_seconds, 3),
        spc_library_seconds=round(library_seconds, 3),
        spc_service_seconds=round(service_seconds, 3),
        end_to_end_cold_seconds=round(cold_seconds, 3),
        spc_library_to_aggregation=round(library_seconds / aggregation_seconds, 1),
        spc_service_to_aggregation=round(service_seconds / aggregation_seconds, 1),
        ms_per_chart=round(service_seconds / len(charts) * 1000, 2),
    )
    with capsys.disabled():
        print("\nSPC benchmark:", benchmark.extra_info)


@pytest.mark.django_db(transaction=True)
def test_comparison_page_statistics_add_no_queries(benchmark, django_assert_num_queries, capsys, kent_demo):
    window = Window.ending(parse_month("2023-12"))
    context = comparison_context(window, "kent", include_provisional=False)
    comparisons = [context.compare(c.slug) for c in context.ref.in_tree_order()]
    words = group_words(context.group.slug, context.group.name)

    def statistics():
        texts = []
        for comparison in comparisons:
            rows = add_significance(comparison.rows, comparison.total, polarity=comparison.category.polarity,
                                    base=comparison.base)
            disclosed = disclose_comparison(comparison, PUBLIC, rows=rows)
            records = disclosed.rows.to_dict("records")
            for record in records:
                texts.append(headline(record, category=comparison.category, window_label=window.label, group=words,
                                      rows=records))
        return texts

    with django_assert_num_queries(0):
        texts = statistics()
    assert len(texts) == 12 * len(comparisons)
    compare_seconds, _ = best_of(3, lambda: [context.compare(c.slug) for c in context.ref.in_tree_order()])
    benchmark.pedantic(statistics, rounds=3, iterations=1)
    seconds = benchmark.stats.stats.min
    benchmark.extra_info.update(
        categories=len(comparisons),
        sql_queries=0,
        comparisons_seconds=round(compare_seconds, 3),
        statistics_seconds=round(seconds, 3),
        statistics_to_comparisons=round(seconds / compare_seconds, 1),
        example=texts[0].text if np.size(texts) else "",
    )
    with capsys.disabled():
        print("\nComparison statistics:", benchmark.extra_info)
