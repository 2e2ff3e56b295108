"""Generate the demo dataset: populations and monthly/quarterly figures for the 13 areas.

generate_figures() builds, for every district and leaf category, a synthetic series from
April 2012 to March 2024 (_model.py: trend, seasonality, district differences), then:

1. calibrates it (smoothly) so that every reproduced figure in published.TARGETS holds;
   figures for groups of districts (Dartford and Gravesham's combined row, Kent totals) are
   first shared out between the districts without a figure of their own;
2. draws Poisson noise around it with fixed seeds;
3. restores the published totals, spreading each window's difference over its cells, and
   rounds to whole numbers with an integer program so every total holds exactly.

The result is identical on every run: the only randomness is numpy's PCG64 seeded from
SEED and the district's position in reference.DISTRICTS, and HiGHS solves to optimality.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from crimedata import reference
from crimedata.periods import month_end, month_start
from demo import _fit, _model
from demo.published import (ASH, CENSUS, DATA_END, DATA_START, MONTHLY_CEILINGS, POPULATION, PROVISIONAL_FROM, SEV,
                            TARGETS, TMA, Target, cal, in_service, span)

# The date Tunbridge Wells CSP signed off the oldest seed assessment (9 February 2017).
SEED = 20170209

FINAL = "final"
PROVISIONAL = "provisional"

# How far (in months) a calibration change reaches beyond the window that asked for it.
SMOOTH_MONTHS = 15.0

DEMO_DESCRIPTION = (
    "The demo data is made up, but it is built around real published figures. Five Kent community safety "
    "documents (the Tunbridge Wells strategic assessment 2016/17 and partnership plan 2021/22, the Maidstone "
    "strategic assessment 2017/18, Ashford's 2017 scrutiny report with its 2015/16 assessment, and the "
    "Tonbridge and Malling plan 2014/15) print several hundred counts, and every one that fits the demo's "
    "categories and dates comes out exactly when the demo figures are added up for the same area, category and "
    "months: Tunbridge Wells' 5,285 crimes from October 2015 to September 2016, Maidstone's whole crime table "
    "for the year to October 2016, the Kent violent crime and anti-social behaviour tables, One Stop Shop "
    "visitors, road casualties and more. Where two figures disagree, or a table does not add up, we kept one "
    "and recorded the other with the reason. Everything else is synthetic: monthly figures from April 2012 to "
    "March 2024 for all 13 areas, drawn from a fixed-seed model with Kent-like trends (recorded crime rising "
    "from 2013 to 2019 as recording improved, dipping in the 2020 lockdowns and rising again; road casualties "
    "falling), seasonal patterns (violence and anti-social behaviour peak in summer), differences between "
    "districts and random noise, plus a few invented totals that keep the documents' rankings true (such as "
    "Tunbridge Wells having the lowest crime rate in Kent in 2019 and 2020). Populations are not ONS mid-year "
    "estimates: they are the Census 2011 and 2021 counts, with the years between joined by a straight line and "
    "2022 and 2023 continued on it. Missing data is real: Tunbridge Wells had a One Stop Shop only from "
    "November 2014 to April 2015, Sevenoaks' closed in April 2016 and Tonbridge's opened in April 2014, so "
    "there are no figures for the quarters without one. January to March 2024 figures are marked provisional. "
    "Do not use the demo data for real analysis."
)


# --- populations --------------------------------------------------------------------------------

POPULATION_YEARS = range(2011, 2024)
_CENSUS_SOURCE = {2011: "Census 2011", 2021: "Census 2021"}
_INTERPOLATED = "Demo: Census 2011 and 2021 counts, linearly interpolated (not an ONS mid-year estimate)"
_EXTRAPOLATED = ("Demo: Census 2011 and 2021 counts, linearly extrapolated on the 2011-2021 yearly change "
                 "(not an ONS mid-year estimate)")


def population(code: str, year: int) -> int:
    """The demo population of a district for a year: the census counts joined by a straight line,
    rounded half up."""
    p11, p21 = CENSUS[code]
    return int(np.floor(p11 + (p21 - p11) * (year - 2011) / 10 + 0.5))


def generate_populations() -> pd.DataFrame:
    """Columns district (ONS code), year (2011..2023), population (int), source (str);
    13 districts x 13 years = 169 rows."""
    rows = []
    for d in reference.DISTRICTS:
        for year in POPULATION_YEARS:
            source = _CENSUS_SOURCE.get(year, _EXTRAPOLATED if year > 2021 else _INTERPOLATED)
            rows.append((d.code, year, population(d.code, year), source))
    frame = pd.DataFrame(rows, columns=["district", "year", "population", "source"])
    return frame.astype({"year": "int64", "population": "int64"})


# --- demo-only anchors --------------------------------------------------------------------------

@dataclass(frozen=True)
class Anchor:
    """An invented total (not a published figure) that makes a statement in the documents true."""

    district: str
    category: str
    window: tuple[int, int]
    value: int
    why: str


_WEST_KENT = ("001: Tunbridge Wells had the lowest all crime count and rate of the 12 Kent districts in 2019 and "
              "2020, 'marginally ahead of our West Kent neighbours Sevenoaks and Tonbridge and Malling'.")
_KSI_2014 = ("003 (2015/16 SA): Ashford's 73 KSI casualties in 2014 were 'the 2nd highest overall in the county', "
             "after Maidstone's 74 (002), so every other district stays below 73.")

DEMO_ANCHORS: tuple[Anchor, ...] = (
    Anchor(TMA, "violent-crime", span(2015, 10, 2016, 9), 2108,
           "000 says Tunbridge Wells had the second lowest violent crime rate in Kent after Sevenoaks in "
           "October 2015 - September 2016. Tonbridge and Malling's published November-October totals leave it "
           "just below Tunbridge Wells unless its October 2015 was busy: 2,108 puts October 2015 at 171."),
    Anchor(SEV, "all-crime", cal(2019), 9150, _WEST_KENT),
    Anchor(SEV, "all-crime", cal(2020), 8420, _WEST_KENT),
    Anchor(TMA, "all-crime", cal(2019), 9900, _WEST_KENT),
    Anchor(TMA, "all-crime", cal(2020), 9260, _WEST_KENT),
    Anchor(ASH, "all-crime", cal(2019), 9850,
           "001 puts Tunbridge Wells first in Kent by rate in 2019; Ashford, whose crime grows fastest in the "
           "model, would otherwise edge below it."),
    Anchor(ASH, "all-crime", cal(2020), 9150,
           "001 puts Tunbridge Wells first in Kent by rate in 2020; Ashford, whose crime grows fastest in the "
           "model, would otherwise edge below it."),
    Anchor(TMA, "ksi", cal(2014), 66, _KSI_2014),
    Anchor(SEV, "ksi", cal(2014), 68, _KSI_2014),
    Anchor(SEV, "robbery", span(2015, 10, 2016, 9), 21,
           "000: Tunbridge Wells had 'the second lowest rate of robberies in the county' (26 robberies); the "
           "district with the lowest is not named, and Sevenoaks, the lowest for violent crime, is the natural one."),
)


# --- cells and constraint rows ------------------------------------------------------------------

@dataclass(frozen=True)
class _Spec:
    """One linear requirement on a district's cells."""

    district: str
    category: str
    start: int
    end: int
    low: int
    high: int
    value: float
    minus: tuple[int, int] | None
    label: str

    @property
    def leaves(self) -> list[str]:
        return reference.additive_leaves(self.category)


def _spec_from_target(t: Target) -> _Spec:
    low, high = (t.low, t.high) if t.is_range else (int(t.value), int(t.value))
    return _Spec(t.district, t.category, t.start, t.end, low, high, float(t.value), t.change_from, t.ref)


@dataclass
class _Grid:
    """All cells of one district for a set of leaf categories: flat arrays, one entry per period."""

    code: str
    categories: list[str]
    cat: np.ndarray  # index into categories
    start: np.ndarray  # month index of the period's first month
    end: np.ndarray  # month index of its last month
    base: np.ndarray  # expected count
    runs: list[tuple[int, int, float]] = field(default_factory=list)  # smoothing runs with weights
    ceiling: np.ndarray | None = None

    @property
    def size(self) -> int:
        return len(self.cat)

    def select(self, category: str, start: int, end: int) -> np.ndarray:
        """Cells of ``category``'s leaves inside [start, end]; raises if a period straddles an edge."""
        leaves = [self.categories.index(c) for c in reference.additive_leaves(category) if c in self.categories]
        mine = np.isin(self.cat, leaves)
        inside = mine & (self.start >= start) & (self.end <= end)
        straddle = mine & ~inside & (self.start <= end) & (self.end >= start)
        if straddle.any():
            raise ValueError(f"{self.code} {category}: a period straddles {start}-{end}")
        return np.flatnonzero(inside)


def _grid(code: str, categories: list[str], expected: dict[str, np.ndarray]) -> _Grid:
    cat, start, end, base, runs = [], [], [], [], []
    for k, c in enumerate(categories):
        months = np.arange(DATA_START, DATA_END + 1)
        # Months without a service expect nothing (a shop open two months of a quarter sees fewer visitors).
        running = np.array([in_service(code, c, int(m), int(m)) for m in months])
        monthly = expected[c] * running
        if reference.CATEGORY_BY_SLUG[c].grain == reference.GRAIN_QUARTER:
            starts = months[::3]
            values = monthly.reshape(-1, 3).sum(axis=1)
            step = 3
        else:
            starts = months
            values = monthly
            step = 1
        first = len(cat)
        for s, value in zip(starts, values):
            if in_service(code, c, int(s), int(s) + step - 1):
                cat.append(k)
                start.append(int(s))
                end.append(int(s) + step - 1)
                base.append(float(value))
        stop = len(cat)
        if stop - first > 1:
            ell = SMOOTH_MONTHS / step
            runs.append((first, stop, ell * ell * float(np.mean(base[first:stop]))))
    grid = _Grid(code, categories, np.array(cat), np.array(start), np.array(end), np.array(base), runs)
    grid.ceiling = np.full(grid.size, np.inf)
    for ceiling in MONTHLY_CEILINGS:
        if ceiling.district != code or ceiling.category not in categories:
            continue
        cells = grid.select(ceiling.category, ceiling.start, ceiling.end)
        cells = cells[~np.isin(grid.start[cells], ceiling.except_months)]
        grid.ceiling[cells] = ceiling.maximum
    return grid


def _rows(grid: _Grid, specs: list[_Spec]) -> _fit.Rows:
    data, indices, indptr = [], [], [0]
    low, high, value, labels = [], [], [], []
    for spec in specs:
        cells = grid.select(spec.category, spec.start, spec.end)
        coef = {int(c): 1.0 for c in cells}
        if spec.minus:
            for c in grid.select(spec.category, *spec.minus):
                coef[int(c)] = coef.get(int(c), 0.0) - 1.0
        if not coef:
            raise ValueError(f"{spec.label}: no cells for {grid.code}")
        keys = sorted(coef)
        indices += keys
        data += [coef[k] for k in keys]
        indptr.append(len(indices))
        low.append(spec.low)
        high.append(spec.high)
        value.append(spec.value)
        labels.append(spec.label)
    C = sp.csr_matrix((data, indices, indptr), shape=(len(specs), grid.size))
    return _fit.Rows(C, np.array(value, dtype=float), np.array(low, dtype=float), np.array(high, dtype=float), labels)


def _specs_for(grid: _Grid, specs: list[_Spec]) -> list[_Spec]:
    """The specs of this district whose categories live in this grid."""
    out = []
    for s in specs:
        if s.district != grid.code:
            continue
        inside = [leaf in grid.categories for leaf in s.leaves]
        if all(inside):
            out.append(s)
        elif any(inside):
            raise ValueError(f"{s.label}: its leaves are split between generation passes")
    return out


# --- the pipeline -------------------------------------------------------------------------------

_FIRST_PASS = [c for c in reference.leaf_slugs() if c != "child-ksi"]
# Child KSI is a subset of KSI, so it is generated after fatal and serious, never above them.
_SECOND_PASS = ["child-ksi"]


def _published_specs() -> tuple[list[_Spec], list[Target]]:
    """District-level specs from the targets table and the demo anchors; group targets apart."""
    specs, groups = [], []
    for t in TARGETS:
        if not t.reproduced or t.category == POPULATION:
            continue
        if t.district:
            specs.append(_spec_from_target(t))
        else:
            groups.append(t)
    for a in DEMO_ANCHORS:
        specs.append(_Spec(a.district, a.category, a.window[0], a.window[1], a.value, a.value, float(a.value), None,
                           f"demo anchor: {a.district} {a.category} {a.window}"))
    return specs, groups


def _share_out(group: Target, specs: list[_Spec], grids: dict[str, _Grid],
               fitted: dict[str, np.ndarray]) -> list[_Spec]:
    """Split a group figure between its districts: those with their own figure for the same category
    and months keep it; the rest share the remainder in proportion to their calibrated series
    (largest remainders get the odd units, ties to the earlier district)."""
    fixed, free, weights = 0, [], []
    for code in group.districts:
        own = [s for s in specs if s.district == code and s.category == group.category and s.start == group.start
               and s.end == group.end and s.minus is None and s.low == s.high]
        cells = grids[code].select(group.category, group.start, group.end)
        if own:
            fixed += own[0].low
        elif cells.size:
            free.append(code)
            weights.append(fitted[code][cells].sum())
    remainder = int(group.value) - fixed
    if not free:
        if remainder != 0:
            raise _fit.TargetsInfeasible(f"{group.ref}: districts add up to {fixed}, not {group.value}")
        return []
    if remainder <= 0:
        raise _fit.TargetsInfeasible(f"{group.ref}: nothing left for {free}")
    share = remainder * np.array(weights) / np.sum(weights)
    whole = np.floor(share).astype(int)
    order = sorted(range(len(free)), key=lambda i: (-(share[i] - whole[i]), i))
    for i in order[: remainder - int(whole.sum())]:
        whole[i] += 1
    return [_Spec(code, group.category, group.start, group.end, int(n), int(n), float(n), None,
                  f"{group.ref} (share of {code})") for code, n in zip(free, whole)]


def _calibrate(grid: _Grid, specs: list[_Spec], base: np.ndarray | None = None) -> np.ndarray:
    x = (grid.base if base is None else base).copy()
    # A published zero (Ashford: no one killed on its roads in January-March 2016) pins its cells at 0,
    # which a multiplicative change could never reach.
    for s in specs:
        if s.high == 0 and s.minus is None:
            x[grid.select(s.category, s.start, s.end)] = 0.0
    rows = _rows(grid, specs)
    C, aim = rows.for_continuous(x)
    D = _fit.smoothing_matrix(grid.runs, grid.size)
    return _fit.calibrate(x, D, C, aim)


def _finish(grid: _Grid, specs: list[_Spec], mu: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Poisson noise (trimmed to 3.5 standard deviations, so a chance one-in-a-million month does not
    look like an SPC signal), then exact whole numbers."""
    spread = 3.5 * np.sqrt(mu)
    # A busy series never shows an empty month: that would read as a recording failure.
    floor = np.where(mu >= 4, 1.0, 0.0)
    y = np.clip(rng.poisson(mu).astype(float), np.maximum(np.floor(mu - spread), floor), np.ceil(mu + spread))
    y = np.minimum(y, grid.ceiling)
    rows = _rows(grid, specs)
    C, aim = rows.for_continuous(y)
    target = _fit.gls_correct(y, np.maximum(mu, 0.5), C, aim)
    return _fit.round_exact(target, rows, grid.ceiling, np.minimum(floor, grid.ceiling))


@dataclass
class Result:
    """Everything generate_figures() computed, for tests and diagnostics."""

    frame: pd.DataFrame
    expected: dict[str, dict[str, np.ndarray]]  # synthetic base, before any figure was imposed
    calibrated: dict[tuple[str, str], np.ndarray]  # (district, leaf) -> smooth series the noise was drawn around
    shares: list[_Spec]  # group figures shared out to districts
    anchors: tuple[Anchor, ...] = DEMO_ANCHORS


def build() -> Result:
    expected = {d.code: _model.expected_monthly(d.code) for d in reference.DISTRICTS}
    specs, groups = _published_specs()
    grids = {code: _grid(code, _FIRST_PASS, expected[code]) for code in expected}

    first = {code: _calibrate(g, _specs_for(g, specs)) for code, g in grids.items()}
    shares: list[_Spec] = []
    for group in groups:
        shares += _share_out(group, specs, grids, first)
    specs = specs + shares

    pieces = []
    calibrated: dict[tuple[str, str], np.ndarray] = {}
    for number, d in enumerate(reference.DISTRICTS):
        grid = grids[d.code]
        mine = _specs_for(grid, specs)
        mu = _calibrate(grid, mine, first[d.code])
        values = _finish(grid, mine, mu, np.random.default_rng([SEED, number, 1]))
        pieces.append((grid, values))
        # Second pass: child KSI, capped by each month's killed and seriously injured.
        ksi = np.zeros(_model.N_MONTHS)
        for leaf in ("fatal", "serious"):
            cells = np.flatnonzero(grid.cat == grid.categories.index(leaf))
            ksi[grid.start[cells] - DATA_START] += values[cells]
        child = _grid(d.code, _SECOND_PASS, expected[d.code])
        child.ceiling = np.minimum(child.ceiling, ksi[child.start - DATA_START])
        child_specs = _specs_for(child, specs)
        child_mu = np.minimum(_calibrate(child, child_specs), child.ceiling)
        child_values = _finish(child, child_specs, child_mu, np.random.default_rng([SEED, number, 2]))
        pieces.append((child, child_values))
        for g, m in ((grid, mu), (child, child_mu)):
            for k, c in enumerate(g.categories):
                calibrated[(d.code, c)] = m[g.cat == k]
    return Result(_frame(pieces), expected, calibrated, shares)


_LEAF_ORDER = {c: i for i, c in enumerate(reference.leaf_slugs())}
_DISTRICT_ORDER = {d.code: i for i, d in enumerate(reference.DISTRICTS)}


def _frame(pieces: list[tuple[_Grid, np.ndarray]]) -> pd.DataFrame:
    starts = {m: month_start(m) for m in range(DATA_START, DATA_END + 1)}
    ends = {m: month_end(m) for m in range(DATA_START, DATA_END + 1)}
    parts = []
    for grid, values in pieces:
        parts.append(pd.DataFrame({
            "district": grid.code,
            "category": np.array(grid.categories, dtype=object)[grid.cat],
            "start": grid.start,
            "end": grid.end,
            "value": values.astype(np.int64),
        }))
    raw = pd.concat(parts, ignore_index=True)
    raw["_d"] = raw["district"].map(_DISTRICT_ORDER)
    raw["_c"] = raw["category"].map(_LEAF_ORDER)
    raw = raw.sort_values(["_d", "_c", "start"], kind="stable").reset_index(drop=True)
    return pd.DataFrame({
        "district": raw["district"].astype(object),
        "category": raw["category"].astype(object),
        "period_start": raw["start"].map(starts).astype(object),
        "period_end": raw["end"].map(ends).astype(object),
        "value": raw["value"].astype("int64"),
        "status": np.where(raw["end"] >= PROVISIONAL_FROM, PROVISIONAL, FINAL).astype(object),
    })


def generate_figures() -> pd.DataFrame:
    """One row per (district, leaf category, period), April 2012 to March 2024.

    Columns: district (ONS code), category (leaf slug), period_start (datetime.date, the 1st of a
    month), period_end (datetime.date, the last day of the period's last month: one month for
    monthly categories, a financial-year quarter for quarterly ones), value (int >= 0), status
    ("final" up to December 2023, "provisional" for January to March 2024). About 48,600 rows:
    25 monthly leaves x 13 districts x 144 months plus 3 quarterly leaves x 13 x 48 quarters, less
    the One Stop Shop quarters that had no service.
    """
    return build().frame


__all__ = ["DEMO_ANCHORS", "DEMO_DESCRIPTION", "SEED", "build", "generate_figures", "generate_populations",
           "population"]
