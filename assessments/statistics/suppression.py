"""Small-number suppression with secondary suppression for tables with totals (docs/methods.md §4).

Primary suppression: a count from 1 to suppress_below - 1 is not published
(shown "<5" when suppress_below is 5). 0 is always shown; None means the
category is never suppressed. A rate or percentage built on a suppressed count
is withheld too.

Secondary suppression: when a table also publishes totals, a reader can
subtract to recover a suppressed cell (Kent total minus the other 11 districts).
suppress_table() suppresses further cells until no suppressed value can be
worked out from the published cells and totals, even by a reader who knows
each "<5" cell is between 1 and 4, that an interior "*" cell is not (so it is
0 or at least 5), and that every count is a whole number of 0 or more.

How the guarantee is checked. Write every suppressed cell as an unknown. The
published totals are linear equations between them, and a cell can be worked
out exactly when every solution of those equations (within the bounds) gives it
the same value. Moving cells while keeping every published total fixed means
adding to one cell and taking away from another in the same row or column,
round a closed loop of suppressed cells; a cell can take more than one value
when it lies on such a loop that its neighbours' bounds allow (a "<5" cell
showing 1 can only go up, a "*" cell showing 5 only up, and so on). This is a
cycle search in a small graph (rows and columns as nodes, suppressed cells as
edges). A loop found this way is a real second solution, so a cell it
clears is truly protected; the tests confirm the result against integer
programming on random tables.

Display: suppressed interior cells show "<5"; every other suppressed cell,
including any suppressed total, shows "*". A total shown as "<5" could pin its
cells: four cells "<5" under a total "<5" must all be 1.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crimedata.numbers import is_missing

__all__ = [
    "PRIMARY",
    "SECONDARY",
    "SECONDARY_TEXT",
    "SuppressionResult",
    "is_suppressed",
    "suppressed_text",
    "suppress_table",
    "withhold",
]

PRIMARY = "primary"
SECONDARY = "secondary"
SECONDARY_TEXT = "*"

Threshold = int | None


def _check_threshold(suppress_below: Threshold) -> Threshold:
    if suppress_below is None:
        return None
    if int(suppress_below) != suppress_below or suppress_below < 0:
        raise ValueError(f"suppress_below must be a whole number of 0 or more, or None; not {suppress_below!r}.")
    if suppress_below == 2:
        # "<2" with 0 shown can only mean 1: it would publish the value it hides.
        raise ValueError("suppress_below=2 would print '<2', which can only mean 1. Use 3 or more.")
    return int(suppress_below)


def is_suppressed(count: float | None, suppress_below: Threshold) -> bool:
    """Primary rule for one count: True when 1 <= count < suppress_below. Missing counts are not suppressed."""
    suppress_below = _check_threshold(suppress_below)
    if suppress_below is None or is_missing(count):
        return False
    return 0 < count < suppress_below


def suppressed_text(suppress_below: int) -> str:
    """What a primary-suppressed count shows: "<5" for suppress_below=5."""
    return f"<{_check_threshold(suppress_below)}"


def withhold(value: float | None, count: float | None, suppress_below: Threshold) -> float | None:
    """A rate or percentage, or None when its numerator count is suppressed (or missing)."""
    if is_missing(count) or is_suppressed(count, suppress_below):
        return None
    return value


@dataclass(frozen=True)
class SuppressionResult:
    """Which cells of a table are suppressed, and why.

    mask: DataFrame of bool, the table's shape (True = do not publish).
    reason: DataFrame of object, "primary", "secondary" or None per cell.
    """

    mask: pd.DataFrame
    reason: pd.DataFrame
    suppress_below: Mapping[Hashable, Threshold]
    total_row: Hashable | None
    total_column: Hashable | None

    def published(self, table: pd.DataFrame, *, secondary_text: str = SECONDARY_TEXT) -> pd.DataFrame:
        """The table as it may be printed: object DataFrame of counts and markers.

        Primary-suppressed interior cells show "<t"; other suppressed cells
        (secondary cells and suppressed totals) show secondary_text.
        """
        out = table.astype(object).copy()
        for row in table.index:
            for column in table.columns:
                reason = self.reason.at[row, column]
                if reason is None:
                    continue
                interior = row != self.total_row and column != self.total_column
                if reason == PRIMARY and interior:
                    out.at[row, column] = suppressed_text(self.suppress_below[column])
                else:
                    out.at[row, column] = secondary_text
        return out

    def withhold(self, dependent: pd.DataFrame) -> pd.DataFrame:
        """Rates or percentages aligned with the table, with suppressed cells set to NaN."""
        return dependent.where(~self.mask.reindex_like(dependent).fillna(False).astype(bool))


def _thresholds(table: pd.DataFrame, suppress_below: Threshold | Mapping[Hashable, Threshold]) -> dict:
    if isinstance(suppress_below, Mapping):
        return {column: _check_threshold(suppress_below.get(column)) for column in table.columns}
    threshold = _check_threshold(suppress_below)
    return {column: threshold for column in table.columns}


class _Table:
    """The suppression problem as arrays: values, which cells are totals, line structure."""

    def __init__(self, values: np.ndarray, total_row: int | None, total_column: int | None, thresholds: np.ndarray):
        self.values = values
        self.n_rows, self.n_columns = values.shape
        self.total_row = total_row
        self.total_column = total_column
        self.thresholds = thresholds  # per column, 0 = no suppression
        self.missing = np.isnan(values)
        self.is_total = np.zeros(values.shape, dtype=bool)
        if total_row is not None:
            self.is_total[total_row, :] = True
        if total_column is not None:
            self.is_total[:, total_column] = True
        # A row adds up only if row totals are published, and likewise columns.
        self.rows_add_up = total_column is not None
        self.columns_add_up = total_row is not None

    def lines(self) -> list[tuple[np.ndarray, tuple[int, int] | None]]:
        """Each published equation as (cells in the line, the line's total cell)."""
        lines = []
        if self.rows_add_up:
            for i in range(self.n_rows):
                lines.append((np.array([(i, j) for j in range(self.n_columns)]), (i, self.total_column)))
        if self.columns_add_up:
            for j in range(self.n_columns):
                lines.append((np.array([(i, j) for i in range(self.n_rows)]), (self.total_row, j)))
        return lines

    def bounds_known(self, i: int, j: int, primary: np.ndarray) -> bool:
        """True if a reader knows this suppressed cell lies in 1..t-1 (a "<t" interior cell)."""
        return bool(primary[i, j] and not self.is_total[i, j])

    def can_move(self, i: int, j: int, primary: np.ndarray) -> tuple[bool, bool]:
        """(can go up by one, can go down by one) for a suppressed cell, within what a reader knows."""
        v = self.values[i, j]
        threshold = self.thresholds[j]
        if self.bounds_known(i, j, primary):
            return v < threshold - 1, v > 1
        if not self.is_total[i, j] and threshold > 1:
            # An interior "*" is not a small count (that would show "<t"), so a reader
            # knows it is 0 or at least t: a step may not land in 1..t-1. (A 0 could
            # jump to t, but a one-step loop cannot show that; ignoring it only ever
            # suppresses more.)
            return v >= threshold, v > threshold
        return True, v > 0


def _node_of_row(table: _Table, i: int) -> int:
    # Lines that do not add up are merged into one free node: nothing ties them.
    return i if table.rows_add_up else table.n_rows + table.n_columns


def _node_of_column(table: _Table, j: int) -> int:
    return table.n_rows + j if table.columns_add_up else table.n_rows + table.n_columns


def _arcs(table: _Table, suppressed: np.ndarray, primary: np.ndarray) -> list[tuple[int, int, tuple[int, int]]]:
    """Directed arcs (from, to, cell): the ways each suppressed cell can move.

    Signs: in every published equation a total counts minus, so moving a total
    up is the same kind of step as moving an ordinary cell down. Flowing from
    the row node to the column node means "this cell's signed value goes up".
    """
    arcs = []
    for i, j in zip(*np.nonzero(suppressed)):
        i, j = int(i), int(j)
        sign = (-1 if i == table.total_row else 1) * (-1 if j == table.total_column else 1)
        up, down = table.can_move(i, j, primary)
        row_node, column_node = _node_of_row(table, i), _node_of_column(table, j)
        for allowed, direction in ((up, sign), (down, -sign)):
            if allowed:
                arcs.append((row_node, column_node, (i, j)) if direction > 0 else (column_node, row_node, (i, j)))
    return arcs


def _outgoing(arcs: list[tuple[int, int, tuple[int, int]]]) -> dict[int, list[tuple[int, tuple[int, int]]]]:
    outgoing: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for start, end, cell in arcs:
        outgoing.setdefault(start, []).append((end, cell))
    return outgoing


def _movable(arcs: list, outgoing: dict, cell: tuple[int, int]) -> bool:
    """True if some loop of allowed moves passes through `cell` (so it can take another value)."""
    return any(
        start == end or _reaches(outgoing, end, start, skip=cell)
        for start, end, arc_cell in arcs
        if arc_cell == cell
    )


def _pinned_cells(table: _Table, suppressed: np.ndarray, primary: np.ndarray) -> list[tuple[int, int]]:
    """Suppressed cells a reader could work out exactly (no feasible loop through them)."""
    arcs = _arcs(table, suppressed, primary)
    outgoing = _outgoing(arcs)
    cells = [(int(i), int(j)) for i, j in zip(*np.nonzero(suppressed))]
    return [cell for cell in cells if not _movable(arcs, outgoing, cell)]


def _is_pinned(table: _Table, suppressed: np.ndarray, primary: np.ndarray, cell: tuple[int, int]) -> bool:
    arcs = _arcs(table, suppressed, primary)
    return not _movable(arcs, _outgoing(arcs), cell)


def _reaches(outgoing: dict, source: int, target: int, *, skip: tuple[int, int]) -> bool:
    seen, queue = {source}, deque([source])
    while queue:
        node = queue.popleft()
        for neighbour, cell in outgoing.get(node, ()):
            if cell == skip or neighbour in seen:
                continue
            if neighbour == target:
                return True
            seen.add(neighbour)
            queue.append(neighbour)
    return False


def _candidates(table: _Table, suppressed: np.ndarray, cells: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Unsuppressed cells to try as a complement, best first: small non-zero interior cells, then zeros, then totals."""
    chosen = {cell for cell in cells if not suppressed[cell] and not table.missing[cell]}
    return sorted(chosen, key=lambda c: (bool(table.is_total[c]), table.values[c] == 0, table.values[c], c))


def _apply_line_rule(table: _Table, suppressed: np.ndarray, reason: np.ndarray) -> None:
    """A line with exactly one suppressed cell gets its smallest other cell suppressed, to a fixed point."""
    changed = True
    while changed:
        changed = False
        for cells, total_cell in table.lines():
            in_line = [tuple(c) for c in cells]
            if sum(bool(suppressed[c]) for c in in_line) != 1:
                continue
            options = _candidates(table, suppressed, [c for c in in_line if c != total_cell])
            options = options or _candidates(table, suppressed, [total_cell])
            if options:
                suppressed[options[0]] = True
                reason[options[0]] = SECONDARY
                changed = True


def _protect(table: _Table, suppressed: np.ndarray, primary: np.ndarray, reason: np.ndarray) -> None:
    """Add complementary suppressions until no suppressed cell can be worked out."""
    while True:
        pinned = _pinned_cells(table, suppressed, primary)
        if not pinned:
            return
        i, j = pinned[0]
        line_cells = []
        if table.rows_add_up:
            line_cells += [(i, c) for c in range(table.n_columns)]
        if table.columns_add_up:
            line_cells += [(r, j) for r in range(table.n_rows)]
        options = _candidates(table, suppressed, line_cells) or _candidates(
            table, suppressed, [(r, c) for r in range(table.n_rows) for c in range(table.n_columns)]
        )
        if not options:
            return  # everything publishable is already suppressed
        choice = options[0]
        for option in options:
            trial = suppressed.copy()
            trial[option] = True
            if not _is_pinned(table, trial, primary, (i, j)):
                choice = option
                break
        suppressed[choice] = True
        reason[choice] = SECONDARY


def suppress_table(
    table: pd.DataFrame,
    suppress_below: Threshold | Mapping[Hashable, Threshold],
    *,
    total_row: Hashable | None = None,
    total_column: Hashable | None = None,
) -> SuppressionResult:
    """Primary and secondary suppression for a table of counts (docs/methods.md §4).

    table: counts, e.g. districts x categories; NaN = missing (never suppressed,
    and treated as known to the reader, so it gives no cover).
    suppress_below: one threshold for every column, or a mapping column ->
    threshold (None or absent = never suppress that column).
    total_row / total_column: labels of the published total row ("Kent") and
    total column, if the table has them. Totals that are small are suppressed
    too (reason "primary").

    Returns a SuppressionResult whose mask and reason frames have the table's
    index and columns.
    """
    thresholds = _thresholds(table, suppress_below)
    values = table.apply(pd.to_numeric).astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    if np.any(values[~np.isnan(values)] < 0):
        raise ValueError("Counts must be zero or more.")
    row_at = None if total_row is None else table.index.get_loc(total_row)
    column_at = None if total_column is None else table.columns.get_loc(total_column)
    threshold_array = np.array([thresholds[c] or 0 for c in table.columns], dtype=float)
    problem = _Table(values, row_at, column_at, threshold_array)

    with np.errstate(invalid="ignore"):
        primary = (values > 0) & (values < threshold_array[np.newaxis, :])
    primary &= ~problem.missing
    suppressed = primary.copy()
    reason = np.where(primary, PRIMARY, None).astype(object)

    if problem.rows_add_up or problem.columns_add_up:
        _apply_line_rule(problem, suppressed, reason)
        _protect(problem, suppressed, primary, reason)

    return SuppressionResult(
        mask=pd.DataFrame(suppressed, index=table.index, columns=table.columns),
        reason=pd.DataFrame(reason, index=table.index, columns=table.columns, dtype=object),
        suppress_below=thresholds,
        total_row=total_row,
        total_column=total_column,
    )
