"""Comparison API and district profile timings at Kent and England scale, cold and warm cache.

Kent scale is the demo dataset: 13 districts × 12 years monthly (April 2012 to
March 2024) × every demo category. England scale is 331 synthetic districts of
the same shape (each a scaled copy of a Kent district's demo series) in one
comparison group. Each scale is loaded once, inside a transaction rolled back
afterwards.

The baseline is the raw SQL the page cannot avoid: the one query that reads
the figures for the period and the year before (24 months), and for the
profile the 47 months its 3-year rolling trend needs, fetched with a plain
cursor. "Cold" clears the cache before every call (reference data, months
with data, figures, aggregation and comparison are all recomputed); "warm"
serves the cached comparison.

Run: .venv/bin/python -m pytest benchmarks/test_comparison_benchmark.py --benchmark-enable
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client

from crimedata.models import Category, ComparisonGroup, District, Population
from crimedata.periods import month_start, parse_month
from crimedata.services import bump_data_generation
from tests.comparison_data import demo_frames, load_demo_subset

END = "2023-12"  # the latest month with final figures: the public sees final figures only
ENGLAND = 331
ROUNDS = {"kent": {"cold": 15, "warm": 30}, "england": {"cold": 5, "warm": 15}}


def _load_england() -> None:
    """331 synthetic districts: district i copies Kent district i % 13's series, scaled."""
    figures, populations = demo_frames()
    kent = sorted(figures["district"].unique())
    districts = District.objects.bulk_create(
        District(code=f"E0{9_000_000 + i}", name=f"Synthetic district {i:03d}", slug=f"synthetic-{i:03d}",
                 police_division="west")
        for i in range(ENGLAND)
    )
    group = ComparisonGroup.objects.create(slug="england", name="England (331 synthetic districts)",
                                           description="Benchmark only.")
    group.districts.add(*districts)
    category_ids = dict(Category.objects.values_list("slug", "id"))
    source_pops = {(r.district, int(r.year)): int(r.population) for r in populations.itertuples(index=False)}
    Population.objects.bulk_create(
        Population(district=d, year=year, population=int(source_pops[(kent[i % 13], year)] * (0.8 + (i % 7) * 0.05)),
                   source="Benchmark")
        for i, d in enumerate(districts)
        for year in sorted({y for _, y in source_pops})
    )
    now = dt.datetime.now(dt.timezone.utc)
    by_district = {code: frame for code, frame in figures.groupby("district")}
    sql = ("INSERT INTO crimedata_figure (district_id, category_id, period_start, period_end, value, status, note, "
           "source, source_detail, entered_at, version) VALUES (%s, %s, %s, %s, %s, %s, '', 'command', '', %s, 1)")
    with connection.cursor() as cursor:
        for i, district in enumerate(districts):
            frame = by_district[kent[i % 13]]
            factor = 0.8 + (i % 7) * 0.05
            cursor.executemany(sql, [
                (district.id, category_ids[c], s, e, int(v * factor), status, now)
                for c, s, e, v, status in zip(frame["category"], frame["period_start"], frame["period_end"],
                                              frame["value"], frame["status"])
            ])
    bump_data_generation()


@pytest.fixture(scope="module", params=["kent", "england"])
def scale(request, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            started = time.perf_counter()
            if request.param == "kent":
                load_demo_subset()
                info = {"scale": "kent", "group": "kent", "district": "E07000116"}
            else:
                _load_england()
                info = {"scale": "england", "group": "england", "district": f"E0{9_000_000 + 7}"}
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM crimedata_figure")
                info["figures"] = cursor.fetchone()[0]
            info["load_seconds"] = round(time.perf_counter() - started, 1)
            yield info
            transaction.set_rollback(True)
    cache.clear()


def _raw_sql(months: int) -> int:
    end = parse_month(END)
    first = month_start(end - months + 1)
    last = month_start(end)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT district_id, category_id, period_start, period_end, value, status FROM crimedata_figure "
            "WHERE period_start >= %s AND period_start <= %s AND status = 'final'",
            [first, last],
        )
        return len(cursor.fetchall())


def _times(fn, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


TARGETS = {
    "comparison-api": (lambda s: f"/api/v1/comparison/?category=all-crime&end={END}&group={s['group']}", 24),
    "district-profile": (lambda s: f"/districts/{s['district']}/?end={END}&group={s['group']}", 47),
}


@pytest.mark.parametrize("cache_state", ["cold", "warm"])
@pytest.mark.parametrize("target", list(TARGETS))
def test_comparison_benchmark(benchmark, scale, db, target, cache_state):
    url_for, months = TARGETS[target]
    url = url_for(scale)
    client = Client()
    assert client.get(url).status_code == 200  # and primes the cache for the warm runs

    def call():
        response = client.get(url)
        assert response.status_code == 200

    rounds = ROUNDS[scale["scale"]][cache_state]
    # The baseline is timed next to the measurement, so both see the same machine load.
    samples = _times(lambda: _raw_sql(months), max(5, rounds // 2))
    setup = cache.clear if cache_state == "cold" else None
    benchmark.pedantic(call, setup=setup, rounds=rounds, iterations=1, warmup_rounds=0)
    median = benchmark.stats.stats.median
    samples += _times(lambda: _raw_sql(months), max(5, rounds // 2))
    baseline = statistics.median(samples)
    benchmark.extra_info.update(
        scale=scale["scale"], figures=scale["figures"], target=target, cache=cache_state,
        median_seconds=round(median, 4), raw_sql_seconds=round(baseline, 4), ratio_to_raw_sql=round(median / baseline, 1),
    )
    print(benchmark.extra_info)
