"""police.uk import throughput: rows per second against a plain pandas.read_csv, and peak memory.

Synthetic files in police.uk's format and at Kent's scale: monthly files of
15,625 rows (a real Kent month has 14,000 to 16,000), spread over 1,170
neighbourhoods in the 13 districts, concentrated as real months are, with the
real mix of crime types (ASB rows without a Crime ID), about 1% without
location and a few outside Kent. 1,000,000 rows is 64 months, so the run also
writes 64 × 182 district figures with history and about 350,000 neighbourhood
counts.

The baseline reads the same files with a plain ``pandas.read_csv`` each and
does nothing else. Peak memory is sampled from /proc during the import and
reported as the growth over the resident size before it; that it stays flat
from 100,000 to 1,000,000 rows shows memory is bounded by a month, not by the
run.
"""

from __future__ import annotations

import csv
import hashlib
import random
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from crimedata import reference
from crimedata.importers.policeuk import import_policeuk
from crimedata.models import Figure, LsoaFigure
from crimedata.selectors import reference_data

HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code",
          "LSOA name", "Crime type", "Last outcome category", "Context"]
# Shares of each crime type in a real Kent month (April 2024, rounded).
TYPE_WEIGHTS = {
    "Violence and sexual offences": 40, "Anti-social behaviour": 15, "Criminal damage and arson": 9,
    "Shoplifting": 8, "Other theft": 7, "Vehicle crime": 5, "Public order": 5, "Other crime": 3, "Burglary": 3,
    "Drugs": 3, "Possession of weapons": 1, "Robbery": 0.6, "Bicycle theft": 0.5, "Theft from the person": 0.4,
}
OUTSIDE = [("E01000379", "Bexley 019F"), ("E01030832", "Tandridge 006B")]


def write_files(folder: Path, rows: int, months: int) -> list[Path]:
    randomiser = random.Random(7)
    names = [d.name for d in reference.DISTRICTS]
    lsoas = [(f"E0{1020000 + i}", f"{names[i % 13]} {i // 13 + 1:03d}{'ABCDE'[i % 5]}") for i in range(1170)]
    # Crime concentrates in some neighbourhoods: lognormal weights give about 5,400
    # neighbourhood × crime type counts a month, as the real Kent months have (5,100 to 5,500).
    concentration = [randomiser.lognormvariate(0, 1.1) for _ in lsoas]
    types, weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    per_file = rows // months
    paths = []
    for k in range(months):
        index = 2019 * 12 + k
        month = f"{index // 12}-{index % 12 + 1:02d}"
        path = folder / f"{month}-kent-street.csv"
        crime_types = randomiser.choices(types, weights, k=per_file)
        places = randomiser.choices(lsoas, concentration, k=per_file)
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            for i in range(per_file):
                crime_type = crime_types[i]
                code, name = places[i]
                roll = i % 200
                if roll < 2:
                    code, name = "", ""  # no location, about 1%
                elif roll == 2 and i % 1000 == 2:
                    code, name = OUTSIDE[i % 2]
                asb = crime_type == "Anti-social behaviour"
                writer.writerow([
                    "" if asb else hashlib.sha256(f"{month}{i}".encode()).hexdigest(), month, "Kent Police",
                    "Kent Police", "" if not code else "0.522", "" if not code else "51.274",
                    "No Location" if not code else "On or near Week Street", code, name, crime_type,
                    "" if asb else "Investigation complete; no suspect identified", "",
                ])
        paths.append(path)
    return paths


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


class PeakMemory:
    """Samples the resident size every 5 ms in a thread while the block runs."""

    def __enter__(self):
        self.start = self.peak = _rss_bytes()
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while self._running:
            self.peak = max(self.peak, _rss_bytes())
            time.sleep(0.005)

    def __exit__(self, *exc):
        self._running = False
        self._thread.join()

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / 1024 / 1024


def pandas_read(paths: list[Path]) -> float:
    """The baseline: a plain pandas.read_csv of each file, nothing else."""
    started = time.perf_counter()
    for path in paths:
        pd.read_csv(path)
    return time.perf_counter() - started


@pytest.fixture(autouse=True)
def reference_rows(transactional_db):
    """tests/conftest.py's fixtures do not reach benchmarks/: a transactional benchmark ends by
    flushing every table, so put the reference data back (and drop cached copies) for the next."""
    from django.core.cache import cache

    from crimedata.models import District
    from tests.conftest import _reinstall_reference_data

    cache.clear()
    if not District.objects.exists():
        _reinstall_reference_data()
    yield
    cache.clear()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rows, months", [(100_000, 8), (1_000_000, 64)])
def test_policeuk_import_throughput(benchmark, tmp_path, rows, months):
    folder = tmp_path / "police-uk"
    folder.mkdir()
    paths = write_files(folder, rows, months)
    ref = reference_data()

    pandas_before = pandas_read(paths)

    def run():
        with PeakMemory() as memory:
            outcome = import_policeuk([(folder, folder.name)], ref)
        run.memory = memory
        return outcome

    outcome = benchmark.pedantic(run, rounds=1, iterations=1)
    assert outcome.ok, outcome.errors[:5]
    assert sum(f.counts.rows for f in outcome.files) == rows
    assert Figure.objects.count() == months * len(ref.districts) * len(reference.POLICEUK_TYPES)
    seconds = benchmark.stats.stats.mean

    # The machine is shared: time the baseline before and after and take the mean, so a change
    # in load during the run affects both sides alike.
    pandas_seconds = (pandas_read(paths) + pandas_before) / 2

    benchmark.extra_info.update(
        rows=rows,
        months=months,
        seconds=round(seconds, 2),
        rows_per_second=round(rows / seconds),
        pandas_read_csv_seconds=round(pandas_seconds, 2),
        ratio_to_pandas_read_csv=round(seconds / pandas_seconds, 2),
        read_and_count_seconds=round(sum(f.read_seconds for f in outcome.files), 2),
        write_seconds=round(sum(f.write_seconds for f in outcome.files), 2),
        peak_memory_growth_mb=round(run.memory.growth_mb, 1),
        neighbourhood_counts_written=LsoaFigure.objects.count(),
        summary=outcome.summary,
    )
    print("\nPOLICEUK-BENCHMARK", benchmark.extra_info)
