"""The four real Kent months (January to April 2024) against an independent pandas count of the same files.

Reads ../shared/data/policeuk_kent_2024 and ../shared/data/lookups when they
exist (they are never copied into the repository).
"""

import io
import os
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command

from crimedata import reference
from crimedata.models import Figure, ImportLog, LsoaFigure
from tests.conftest import SHARED_DATA

# A git worktree sits one folder deeper than the main checkout, where SHARED_DATA
# does not reach; CSP_SHARED_DATA points there instead.
DATA = Path(os.environ.get("CSP_SHARED_DATA") or SHARED_DATA)
POLICEUK_DATA = DATA / "policeuk_kent_2024"
LOOKUP_2011 = DATA / "lookups" / "lsoa11_to_lad_kent_medway.csv"
MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04"]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not all((POLICEUK_DATA / f"{m}-kent-street.csv").exists() for m in MONTHS),
        reason=f"the real police.uk files are not at {POLICEUK_DATA} (they live beside the project, never in it)",
    ),
]

# What the import must say about each real file (counted independently below too).
EXPECTED_SUMMARIES = {
    "2024-01": "14,466 rows: 14,327 imported, 3 outside Kent (Bexley 2, Bromley 1), 136 without location.",
    "2024-02": "13,953 rows: 13,834 imported, 9 outside Kent (Tandridge 5, Bexley 2, Basingstoke and Deane 1, "
               "Wealden 1), 110 without location.",
    "2024-03": "15,875 rows: 15,710 imported, 3 outside Kent (Bexley 1, Bromley 1, Tandridge 1), "
               "162 without location.",
    "2024-04": "15,727 rows: 15,532 imported, 2 outside Kent (Bexley 2), 193 without location.",
}


def independent_counts() -> pd.DataFrame:
    """district code × crime-type slug × month counts, by plain pandas with no project code."""
    names = {}
    for d in reference.DISTRICTS:
        for name in (d.name, *d.former_names):
            names[name.lower()] = d.code
    slugs = dict(reference.POLICEUK_TYPES)
    frames = []
    for month in MONTHS:
        frame = pd.read_csv(POLICEUK_DATA / f"{month}-kent-street.csv", dtype=str, keep_default_na=False)
        frame = frame[(frame["Month"] == month) & (frame["LSOA name"] != "")]
        frame = frame.assign(
            district=frame["LSOA name"].str.rsplit(" ", n=1).str[0].str.lower().map(names),
            category=frame["Crime type"].map(slugs),
            month=month,
        )
        frames.append(frame.dropna(subset=["district"]))
    return pd.concat(frames).groupby(["month", "district", "category"]).size()


def stored_counts() -> pd.Series:
    rows = Figure.objects.values_list("period_start", "district__code", "category__slug", "value")
    series = pd.Series(
        {(f"{start:%Y-%m}", code, slug): value for start, code, slug, value in rows}, dtype="int64"
    )
    series.index.names = ["month", "district", "category"]
    return series


@pytest.fixture
def imported():
    out = io.StringIO()
    call_command("import_policeuk", str(POLICEUK_DATA), stdout=out)
    return out.getvalue()


def test_district_by_crime_type_totals_equal_an_independent_pandas_group_by(imported):
    expected = independent_counts()
    stored = stored_counts()
    # Every counted (month, district, type) is stored with the same value ...
    assert stored.reindex(expected.index).tolist() == expected.tolist()
    # ... and everything else stored is an explicit 0 for a district with none of that type that month.
    others = stored.drop(expected.index)
    assert (others == 0).all()
    assert len(stored) == len(MONTHS) * len(reference.DISTRICTS) * len(reference.POLICEUK_TYPES)


def test_each_real_month_is_summarised_with_its_skipped_rows(imported):
    for month, summary in EXPECTED_SUMMARIES.items():
        assert f"{month}-kent-street.csv ({pd.Timestamp(month + '-01'):%B %Y}): {summary}" in imported
        log = ImportLog.objects.get(first_month=f"{month}-01")
        assert summary in log.summary


def test_published_district_counts_in_the_data_notes_are_reproduced(imported):
    # ../shared/data/README.md: "Jan 2024: Medway 2,478, Maidstone 1,489, Tunbridge Wells 663" (all rows, with ASB).
    jan = Figure.objects.filter(period_start="2024-01-01")
    for code, count in (("E06000035", 2478), ("E07000110", 1489), ("E07000116", 663)):
        assert sum(jan.filter(district__code=code).values_list("value", flat=True)) == count


def test_neighbourhood_counts_sum_to_the_district_figures(imported):
    lsoa = pd.DataFrame(
        list(LsoaFigure.objects.values_list("month", "district__code", "category__slug", "value")),
        columns=["month", "district", "category", "value"],
    )
    lsoa["month"] = pd.to_datetime(lsoa["month"]).dt.strftime("%Y-%m")
    summed = lsoa.groupby(["month", "district", "category"])["value"].sum()
    stored = stored_counts()
    assert summed.tolist() == stored.reindex(summed.index).tolist()
    assert stored.drop(summed.index).eq(0).all()


def test_the_2011_lookup_loads_and_2021_codes_missing_from_it_are_reported():
    out = io.StringIO()
    call_command("import_lsoa_lookup", str(LOOKUP_2011), stdout=out)
    assert "1,065 rows: 1,065 Kent and Medway neighbourhoods (LSOAs) loaded" in out.getvalue()
    out = io.StringIO()
    call_command("import_policeuk", str(POLICEUK_DATA / "2024-03-kent-street.csv"), stdout=out)
    # Independently: Kent rows whose LSOA code is not in the 2011 lookup.
    lookup = set(pd.read_csv(LOOKUP_2011, dtype=str)["LSOA11CD"])
    frame = pd.read_csv(POLICEUK_DATA / "2024-03-kent-street.csv", dtype=str, keep_default_na=False)
    kent = {n.lower() for d in reference.DISTRICTS for n in (d.name, *d.former_names)}
    frame = frame[frame["LSOA name"].str.rsplit(" ", n=1).str[0].str.lower().isin(kent)]
    missing = frame[~frame["LSOA code"].isin(lookup)]
    assert (
        f"{len(missing):,} imported rows in {missing['LSOA code'].nunique():,} neighbourhoods (LSOAs) are not in "
        "the loaded LSOA lookup" in out.getvalue()
    )
