"""Reference implementations used only by tests: plain, per-category versions of what the product vectorises.

``compare`` is one category's comparison computed row by row with pandas and
``competition_ranks``; the product computes every category at once
(``assessments.comparison.compute.compare_many``) and the tests check that the
two agree on any figures. They are deliberately separate implementations: an
oracle that called the product's code would prove nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from assessments.comparison.compute import RANK_BY_CHOICES, RANK_DECIMALS, ROW_COLUMNS, Total
from assessments.statistics.ranking import competition_ranks, rank_labels
from crimedata.selectors import CategoryInfo


def rank(values: pd.Series, polarity: str, decimals: int) -> tuple[pd.Series, pd.Series]:
    ranks = competition_ranks([None if pd.isna(v) else float(v) for v in values], polarity=polarity, decimals=decimals)
    # object dtype keeps an unranked label as None (pandas 3 would infer a string dtype with NaN).
    return (
        pd.Series(pd.array(ranks, dtype="Int64"), index=values.index),
        pd.Series(rank_labels(ranks), index=values.index, dtype=object),
    )


def compare(
    values: pd.DataFrame,
    populations_now: pd.DataFrame,
    populations_before: pd.DataFrame,
    *,
    category: CategoryInfo,
    districts: Sequence[tuple[str, str]],
    rank_by: str = "rate",
    base: int | None = None,
) -> tuple[pd.DataFrame, Total]:
    """One category compared the slow, plain way: the reference compare_many() is checked against.

    ``values`` is indexed by district code with columns count, provisional,
    previous_count, previous_provisional (count columns nullable).
    ``populations_*`` come from crimedata.aggregation.population_for.
    ``districts`` is the group as (code, name) pairs.
    Returns (rows in ROW_COLUMNS, Total).
    """
    if rank_by not in RANK_BY_CHOICES:
        raise ValueError(f"rank_by must be one of {', '.join(RANK_BY_CHOICES)}")
    base = base or category.rate_base
    codes = [code for code, _ in districts]
    frame = pd.DataFrame({"district": codes, "name": [name for _, name in districts]}).set_index("district")
    values = values.reindex(codes)
    frame["count"] = values["count"].astype("Float64")
    frame["previous_count"] = values["previous_count"].astype("Float64")
    frame["provisional"] = values["provisional"].fillna(False).astype(bool)
    frame["previous_provisional"] = values["previous_provisional"].fillna(False).astype(bool)
    frame["population"] = populations_now["population"].reindex(codes)
    frame["previous_population"] = populations_before["population"].reindex(codes)
    frame["population_year"] = populations_now["population_year"].reindex(codes)
    frame["previous_population_year"] = populations_before["population_year"].reindex(codes)

    count = frame["count"].astype("float64")
    previous = frame["previous_count"].astype("float64")
    frame["change"] = count - previous
    with np.errstate(divide="ignore", invalid="ignore"):
        change_pct = (count - previous) / previous * 100
    frame["change_pct"] = change_pct.where(previous > 0)
    frame["rate"] = count / frame["population"] * base
    frame["previous_rate"] = previous / frame["previous_population"] * base
    direction = np.select(
        [frame["change"] > 0, frame["change"] < 0, frame["change"] == 0], ["up", "down", "same"], default=""
    )
    # object dtype so that "no direction" and "no status" stay None, not NaN.
    frame["direction"] = pd.Series(np.where(frame["change"].isna(), None, direction), index=frame.index, dtype=object)
    status = np.where(frame["provisional"] | frame["previous_provisional"], "provisional", "final")
    frame["status"] = pd.Series(np.where(count.isna(), None, status), index=frame.index, dtype=object)

    decimals = RANK_DECIMALS[rank_by]
    frame["rank"], frame["rank_label"] = rank(frame[rank_by], category.polarity, decimals)
    # Last year's county position is always by rate, as the crime-type tables show it.
    frame["previous_rank"], frame["previous_rank_label"] = rank(frame["previous_rate"], category.polarity, 1)

    frame = frame.reset_index()
    frame["_unranked"] = frame["rank"].isna()
    frame["_order"] = frame["rank"].fillna(10**9)
    frame = frame.sort_values(["_unranked", "_order", "name"]).drop(columns=["_unranked", "_order"])
    frame = frame[ROW_COLUMNS].reset_index(drop=True)
    for column in ("count", "previous_count", "change"):
        frame[column] = frame[column].astype("Int64")
    for column in ("rank", "previous_rank", "population_year", "previous_population_year"):
        frame[column] = frame[column].astype("Int64")
    frame["population"] = frame["population"].astype("Int64")
    frame["previous_population"] = frame["previous_population"].astype("Int64")
    return frame, total(frame, base)


def total(frame: pd.DataFrame, base: int) -> Total:
    has = frame["count"].notna()
    covered = frame[has]
    missing = frame.loc[~has, "name"].tolist()
    missing_previous = covered.loc[covered["previous_count"].isna(), "name"].tolist()
    count = int(covered["count"].sum()) if len(covered) else None
    population = covered["population"]
    rate = None
    if count is not None and population.notna().all() and population.sum() > 0:
        rate = count / float(population.sum()) * base
    previous_count = None
    previous_rate = None
    if count is not None and not missing_previous:
        previous_count = int(covered["previous_count"].sum())
        before = covered["previous_population"]
        if before.notna().all() and before.sum() > 0:
            previous_rate = previous_count / float(before.sum()) * base
    change = None if previous_count is None else count - previous_count
    change_pct = None if previous_count in (None, 0) else change / previous_count * 100
    return Total(
        count=count,
        previous_count=previous_count,
        change=change,
        change_pct=change_pct,
        rate=rate,
        previous_rate=previous_rate,
        population=int(population.sum()) if count is not None and population.notna().all() else None,
        districts_with_data=len(covered),
        districts_in_group=len(frame),
        missing=missing,
        missing_previous=missing_previous,
        provisional=bool(covered["provisional"].any() or covered["previous_provisional"].any()),
    )
