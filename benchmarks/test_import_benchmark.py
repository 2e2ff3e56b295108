"""Import throughput: rows per second for 100,000 and 1,000,000 rows, against pandas.read_csv.

The figures file uses synthetic districts (England scale: 331) so that a
million rows are all distinct (district, category, month) figures. The import
validates every row, checks the file for duplicates and overlaps, checks
stored figures and sign-offs, then writes everything with history in one
transaction. The baseline is a plain pandas.read_csv of the same file, which
does none of that.
"""

from __future__ import annotations

import calendar
import csv
import resource
import time

import pandas as pd
import pytest

from crimedata.importers.figures import import_figures
from crimedata.models import District, Figure
from crimedata.selectors import reference_data
from crimedata import reference

LEAVES = reference.leaf_slugs()


def write_file(path, rows: int) -> None:
    districts = [f"E0{9_000_000 + i}" for i in range(331)]
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["district", "category", "period_start", "period_end", "value", "status"])
        written = 0
        for month in range(2012 * 12 + 3, 2100 * 12):
            year, m = month // 12, month % 12 + 1
            start, end = f"{year}-{m:02d}-01", f"{year}-{m:02d}-{calendar.monthrange(year, m)[1]}"
            for code in districts:
                for slug in LEAVES:
                    writer.writerow([code, slug, start, end, (written * 7) % 500, "final"])
                    written += 1
                    if written == rows:
                        return


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rows", [100_000, 1_000_000])
def test_import_throughput(benchmark, tmp_path, rows):
    District.objects.bulk_create(
        District(code=f"E0{9_000_000 + i}", name=f"Synthetic district {i:03d}", slug=f"synthetic-{i:03d}",
                 police_division="west")
        for i in range(331)
    )
    path = tmp_path / f"figures-{rows}.csv"
    write_file(path, rows)
    started = time.perf_counter()
    pd.read_csv(path, dtype=str, keep_default_na=False)
    pandas_seconds = time.perf_counter() - started
    ref = reference_data()

    outcome = benchmark.pedantic(lambda: import_figures(path, path.name, ref), rounds=1, iterations=1)
    assert outcome.ok, outcome.validation.sorted_errors()[:5]
    assert Figure.objects.count() == rows
    seconds = benchmark.stats.stats.mean
    benchmark.extra_info.update(
        rows=rows,
        rows_per_second=round(rows / seconds),
        pandas_read_csv_seconds=round(pandas_seconds, 3),
        ratio_to_pandas_read_csv=round(seconds / pandas_seconds, 1),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    )
    print(benchmark.extra_info)
