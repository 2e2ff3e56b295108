"""Numerical steps that make synthetic series pass exactly through published totals.

All functions work on one district's cells: a flat vector of periods (one per leaf category
and month or quarter), a sparse constraint matrix C (one row per published figure, +1 for each
cell the figure adds up, -1 for cells of a comparison window) and target values v.

1. calibrate(): bend the smooth expected series so that C x = v, changing each series by a
   slowly varying factor (so a published yearly total lifts the neighbouring months too, rather
   than leaving a step at the window's edge).
2. gls_correct(): after noise is added, put each window's total back by spreading the
   difference over its cells in proportion to their size (noise-sized changes only).
3. round_exact(): turn the result into whole numbers with C x = v exactly, moving each cell
   as little as possible (an integer program, solved by HiGHS through scipy.optimize.milp).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.linalg import spsolve


class TargetsInfeasible(ValueError):
    """The published figures given for a district cannot all hold at once."""


@dataclass
class Rows:
    """Constraint rows for one district: C (n_rows x n_cells, sparse), exact value or range."""

    C: sp.csr_matrix
    value: np.ndarray  # float: the exact value, or the middle of the range
    low: np.ndarray  # int
    high: np.ndarray  # int
    labels: list[str]

    @property
    def exact(self) -> np.ndarray:
        return self.low == self.high

    def for_continuous(self, x: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray]:
        """Rows the continuous steps aim at: every exact row, and a range row only when ``x``
        falls outside its range (then aiming a quarter of the way into it)."""
        sums = self.C @ x
        keep = self.exact.copy()
        aim = self.value.astype(float).copy()
        for i in np.flatnonzero(~self.exact):
            lo, hi = self.low[i], self.high[i]
            if sums[i] < lo:
                keep[i], aim[i] = True, lo + 0.25 * (hi - lo)
            elif sums[i] > hi:
                keep[i], aim[i] = True, hi - 0.25 * (hi - lo)
        return self.C[keep], aim[keep]


def independent_rows(C: sp.csr_matrix) -> np.ndarray:
    """Indexes of a maximal linearly independent set of rows (published tables repeat
    themselves: all crime, victim-based crime and crimes against society, say)."""
    if C.shape[0] == 0:
        return np.zeros(0, dtype=int)
    cols = np.unique(C.indices)
    dense = C[:, cols].toarray()
    _, r, perm = scipy.linalg.qr(dense.T, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    rank = int((diag > diag[0] * 1e-9).sum()) if diag.size else 0
    return np.sort(perm[:rank])


def smoothing_matrix(runs: list[tuple[int, int, float]], n: int) -> sp.csr_matrix:
    """Weighted first differences along each run of consecutive periods of one series:
    rows (x[t] - x[t-1]) * sqrt(weight). ``runs`` holds (first cell, end cell, weight)."""
    rows, cols, vals = [], [], []
    k = 0
    for first, stop, weight in runs:
        w = np.sqrt(weight)
        for t in range(first + 1, stop):
            rows += [k, k]
            cols += [t, t - 1]
            vals += [w, -w]
            k += 1
    return sp.csr_matrix((vals, (rows, cols)), shape=(k, n))


def calibrate(base: np.ndarray, D: sp.csr_matrix, C: sp.csr_matrix, v: np.ndarray, *,
              closeness: float = 1.0, iterations: int = 30) -> np.ndarray:
    """Smallest smooth multiplicative change to ``base`` (>= 0; zeros stay zero) with C x = v.

    Each step solves, for relative changes r, the quadratic programme
        minimise  closeness * sum(x_i r_i^2) + |D r|^2   subject to  C diag(x) r = v - C x,
    then sets x <- x * exp(r). ``D`` carries the smoothing weights (see smoothing_matrix), so the
    change varies slowly along each series and extends past the edges of each window. Shape: the
    same as ``base``.
    """
    x = base.astype(float).copy()
    # Cells pinned at zero cannot move multiplicatively: leave them out of the rows.
    C = (C @ sp.diags((x > 0).astype(float))).tocsr()
    C.eliminate_zeros()
    keep = independent_rows(C)
    C, v = C[keep], v[keep]
    if C.shape[0] == 0:
        return x
    DtD = (D.T @ D).tocsr()
    scale = np.maximum(np.abs(v), 1.0)
    for step in range(iterations + 1):
        resid = v - C @ x
        if np.max(np.abs(resid) / scale) < 1e-10:
            break
        H = 2 * (sp.diags(closeness * x) + DtD)
        A = C @ sp.diags(x)
        K = sp.bmat([[H, A.T], [A, None]], format="csc")
        rhs = np.concatenate([np.zeros(len(x)), resid])
        r = spsolve(K, rhs)[: len(x)]
        if step == iterations or np.max(np.abs(r)) < 1e-6:
            x = x * (1 + r)  # last step linear, so the constraints hold to rounding error
            break
        x = x * np.exp(np.clip(r, -1.0, 1.0))
    if np.any(x < 0) or np.any((x == 0) & (base > 0)):
        bad = np.flatnonzero((x < 0) | ((x == 0) & (base > 0)))
        raise TargetsInfeasible(f"calibration drove {bad.size} cells to zero or below (first: {bad[:5]})")
    return x


def gls_correct(y: np.ndarray, weight: np.ndarray, C: sp.csr_matrix, v: np.ndarray) -> np.ndarray:
    """y + W C' lam with C (result) = v: each window's shortfall shared in proportion to weight."""
    if C.shape[0] == 0:
        return y.astype(float)
    W = sp.diags(weight)
    M = (C @ W @ C.T).toarray()
    lam = np.linalg.lstsq(M, v - C @ y, rcond=None)[0]
    return y + weight * (C.T @ lam)


def round_exact(target: np.ndarray, rows: Rows, ceiling: np.ndarray, floor: np.ndarray, *, slack: int = 4,
                time_limit: float = 20.0) -> np.ndarray:
    """Whole numbers close to ``target`` (L1) with every row holding: exact rows exactly, range
    rows inside their range, floor <= x <= ceiling. Only cells in some row are variables; the rest
    are rounded. Shape: the same as ``target``."""
    out = np.rint(np.clip(target, floor, ceiling))
    C = rows.C
    cells = np.unique(C.indices)
    if cells.size == 0:
        return out.astype(np.int64)
    n = cells.size
    t = np.maximum(target[cells], 0.0)
    cap = ceiling[cells]
    lo = np.minimum(np.maximum(floor[cells], np.floor(t) - slack), cap)
    hi = np.minimum(np.ceil(t) + slack, cap)
    # Variables: z (integer values), then u and w >= 0 with z - u + w = t, so u + w = |z - t|.
    eye = sp.identity(n, format="csr")
    link = sp.hstack([eye, -eye, eye], format="csr")
    Cs = C[:, cells]
    Cfull = sp.hstack([Cs, sp.csr_matrix((C.shape[0], 2 * n))], format="csr")
    cost = np.concatenate([np.zeros(n), np.ones(2 * n)])
    bounds = Bounds(np.concatenate([lo, np.zeros(2 * n)]), np.concatenate([hi, np.full(2 * n, np.inf)]))
    res = milp(cost, integrality=np.concatenate([np.ones(n), np.zeros(2 * n)]), bounds=bounds,
               constraints=[LinearConstraint(link, t, t), LinearConstraint(Cfull, rows.low, rows.high)],
               options={"mip_rel_gap": 0.0, "time_limit": time_limit, "presolve": True})
    if res.status != 0 or res.x is None:
        bad = [rows.labels[i] for i in range(C.shape[0])]
        raise TargetsInfeasible(f"no whole-number solution ({res.message}); rows: {bad[:10]} ...")
    out[cells] = np.rint(res.x[:n])
    return out.astype(np.int64)
