"""Populations, the description, and the rule that the demo package needs no Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from crimedata import reference
from demo.generate import DEMO_DESCRIPTION, generate_populations
from demo.published import CENSUS, POPULATION, TARGETS

ROOT = Path(__file__).resolve().parents[3]


def test_shape_and_types():
    p = generate_populations()
    assert list(p.columns) == ["district", "year", "population", "source"]
    assert len(p) == 13 * 13
    assert set(p["district"]) == {d.code for d in reference.DISTRICTS}
    assert sorted(set(p["year"])) == list(range(2011, 2024))
    assert p["population"].dtype == np.int64 and p["year"].dtype == np.int64


def test_census_years_are_the_census_counts():
    p = generate_populations().set_index(["district", "year"])
    for code, (p11, p21) in CENSUS.items():
        assert p.loc[(code, 2011), "population"] == p11
        assert p.loc[(code, 2021), "population"] == p21
        assert p.loc[(code, 2011), "source"] == "Census 2011"
        assert p.loc[(code, 2021), "source"] == "Census 2021"
    for t in TARGETS:
        if t.category == POPULATION and t.reproduced:
            assert p.loc[(t.district, t.start // 12), "population"] == t.value


def test_other_years_are_a_straight_line_and_say_so():
    p = generate_populations()
    for code, (p11, p21) in CENSUS.items():
        rows = p[p.district == code].set_index("year")
        step = (p21 - p11) / 10
        for year in range(2011, 2024):
            assert abs(rows.loc[year, "population"] - (p11 + step * (year - 2011))) <= 0.5
        for year in (2012, 2015, 2020):
            assert "linearly interpolated (not an ONS mid-year estimate)" in rows.loc[year, "source"]
        for year in (2022, 2023):
            source = rows.loc[year, "source"]
            assert "extrapolated" in source and "not an ONS mid-year estimate" in source


def test_mid_year_estimates_are_recorded_as_skipped():
    mye = [t for t in TARGETS if t.category == POPULATION and not t.reproduced]
    assert {t.value for t in mye} >= {116200, 164500, 122000}


def test_description_says_how_the_data_was_made():
    text = DEMO_DESCRIPTION
    for phrase in ("published", "exactly", "synthetic", "Census 2011 and 2021", "not ONS mid-year", "provisional",
                   "One Stop Shop"):
        assert phrase in text


def test_demo_package_imports_without_django():
    code = ("import sys, demo, demo.generate, demo.published; "
            "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_nothing_reads_the_shared_data_folder():
    for path in (ROOT / "demo").glob("*.py"):
        text = path.read_text()
        assert "open(" not in text and "read_csv" not in text, path.name
