"""Shared fixtures for the demo-data tests: the dataset is generated once per session.

These tests need no database; they run as part of the whole suite.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from crimedata import reference
from demo import generate
from crimedata.periods import Window, month_index


@dataclass
class Demo:
    result: generate.Result
    frame: pd.DataFrame
    seconds: float
    # (district, leaf) -> (period start indexes, period end indexes, values)
    series: dict[tuple[str, str], tuple[np.ndarray, np.ndarray, np.ndarray]]
    populations: pd.DataFrame

    def total(self, districts, category: str, start: int, end: int) -> int:
        """Sum of the category's additive leaves over whole periods inside [start, end]."""
        districts = (districts,) if isinstance(districts, str) else districts
        out = 0
        for d in districts:
            for leaf in reference.additive_leaves(category):
                s, e, v = self.series.get((d, leaf), (np.zeros(0), np.zeros(0), np.zeros(0)))
                out += int(v[(s >= start) & (e <= end)].sum())
        return out

    def population(self, district: str, window: Window) -> int:
        year = window.population_year()
        p = self.populations
        return int(p.loc[(p.district == district) & (p.year == year), "population"].iloc[0])

    def rate(self, district: str, category: str, start: int, end: int) -> float:
        return self.total(district, category, start, end) / self.population(district, Window(start, end)) * 1000


@pytest.fixture(scope="session")
def demo() -> Demo:
    began = time.perf_counter()
    result = generate.build()
    seconds = time.perf_counter() - began
    frame = result.frame
    starts = frame["period_start"].map(month_index).to_numpy()
    ends = frame["period_end"].map(month_index).to_numpy()
    series = {}
    for (d, c), idx in frame.groupby(["district", "category"], sort=False).indices.items():
        series[(d, c)] = (starts[idx], ends[idx], frame["value"].to_numpy()[idx])
    return Demo(result, frame, seconds, series, generate.generate_populations())
