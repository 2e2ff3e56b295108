"""Small-number suppression, checked by brute force (docs/methods.md §4).

The key property: after suppress_table(), no suppressed value can be worked out
from what is published. A reader knows every published cell and total, that
counts are whole numbers of 0 or more, that each "<t" cell lies in 1..t-1, and
that an interior "*" cell is NOT a small count (a small count would show "<t"),
so it is 0 or at least t. For every suppressed cell we ask an integer
programming solver for its smallest and largest possible values under exactly
that knowledge; they must differ.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from assessments.statistics.suppression import (
    PRIMARY,
    SECONDARY,
    is_suppressed,
    suppress_table,
    suppressed_text,
    withhold,
)


def with_totals(interior: np.ndarray, total_row: bool, total_column: bool) -> pd.DataFrame:
    frame = pd.DataFrame(
        interior,
        index=[f"District {i}" for i in range(interior.shape[0])],
        columns=[f"Category {j}" for j in range(interior.shape[1])],
    )
    if total_column:
        frame["Total"] = frame.sum(axis=1)
    if total_row:
        frame.loc["Kent"] = frame.sum(axis=0)
    return frame


def reader_ranges(table: pd.DataFrame, result, total_row, total_column) -> dict[tuple[int, int], tuple[float, float]]:
    """Smallest and largest value of each suppressed cell consistent with the published table."""
    values = table.to_numpy(dtype=float)
    mask = result.mask.to_numpy()
    n_rows, n_columns = values.shape
    tr = None if total_row is None else table.index.get_loc(total_row)
    tc = None if total_column is None else table.columns.get_loc(total_column)
    unknowns = [(i, j) for i in range(n_rows) for j in range(n_columns) if mask[i, j]]
    position = {cell: k for k, cell in enumerate(unknowns)}

    equations = []
    if tc is not None:
        equations += [[(i, j, -1.0 if j == tc else 1.0) for j in range(n_columns)] for i in range(n_rows)]
    if tr is not None:
        equations += [[(i, j, -1.0 if i == tr else 1.0) for i in range(n_rows)] for j in range(n_columns)]
    a_eq, b_eq = [], []
    for equation in equations:
        row, rhs = np.zeros(len(unknowns)), 0.0
        for i, j, coefficient in equation:
            if (i, j) in position:
                row[position[(i, j)]] += coefficient
            else:
                rhs -= coefficient * values[i, j]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
        else:
            assert abs(rhs) < 1e-9  # the published figures must add up

    # Variables: one whole number per suppressed cell, then one 0/1 switch per interior
    # "*" cell saying whether it is 0 or at least t (it cannot be 1..t-1).
    n = len(unknowns)
    big = float(np.nansum(np.abs(values)) * 4 + 100)
    lower, upper, gaps = [], [], []
    for i, j in unknowns:
        interior = i != tr and j != tc
        threshold = result.suppress_below[table.columns[j]] or 0
        if result.reason.iat[i, j] == PRIMARY and interior:
            lower.append(1)
            upper.append(threshold - 1)
        else:
            lower.append(0)
            upper.append(big)
            if interior and threshold > 1:
                gaps.append((position[(i, j)], threshold))
    constraints = []
    width = n + len(gaps)
    if a_eq:
        padded = np.hstack([np.array(a_eq), np.zeros((len(a_eq), len(gaps)))])
        constraints.append(LinearConstraint(padded, b_eq, b_eq))
    for g, (k, threshold) in enumerate(gaps):
        # x <= big * switch and x >= threshold * switch
        row_high, row_low = np.zeros(width), np.zeros(width)
        row_high[k], row_high[n + g] = 1, -big
        row_low[k], row_low[n + g] = 1, -threshold
        constraints.append(LinearConstraint(np.vstack([row_high, row_low]), [-np.inf, 0], [0, np.inf]))
    bounds = Bounds(lower + [0] * len(gaps), upper + [1] * len(gaps))
    integrality = np.ones(width)

    ranges = {}
    for k, cell in enumerate(unknowns):
        objective = np.zeros(width)
        objective[k] = 1
        low = milp(objective, constraints=constraints, bounds=bounds, integrality=integrality)
        high = milp(-objective, constraints=constraints, bounds=bounds, integrality=integrality)
        assert low.status == 0, low.message  # the true table is always a solution
        assert high.status == 0, high.message
        ranges[cell] = (low.fun, np.inf if -high.fun >= big - 0.5 else -high.fun)
    return ranges


def recoverable_cells(table, result, total_row=None, total_column=None) -> list[tuple[int, int]]:
    return [
        cell
        for cell, (low, high) in reader_ranges(table, result, total_row, total_column).items()
        if high - low < 1e-6
    ]


# --- Primary suppression ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "count, threshold, expected",
    [(0, 5, False), (1, 5, True), (4, 5, True), (5, 5, False), (3, None, False), (None, 5, False), (2, 3, True)],
)
def test_is_suppressed(count, threshold, expected):
    assert is_suppressed(count, threshold) is expected


def test_thresholds_that_would_reveal_the_value_are_refused():
    with pytest.raises(ValueError, match="<2"):
        is_suppressed(1, 2)
    with pytest.raises(ValueError):
        is_suppressed(1, -5)


def test_display_and_dependent_rates():
    assert suppressed_text(5) == "<5"
    assert withhold(3.2, 4, 5) is None
    assert withhold(3.2, 40, 5) == 3.2
    assert withhold(3.2, None, 5) is None
    assert withhold(3.2, 4, None) == 3.2


def test_no_threshold_means_no_suppression():
    table = with_totals(np.array([[1, 2], [3, 4]]), True, True)
    result = suppress_table(table, None, total_row="Kent", total_column="Total")
    assert not result.mask.to_numpy().any()


def test_zero_is_never_suppressed_on_its_own():
    table = with_totals(np.array([[0, 20], [30, 0]]), True, True)
    result = suppress_table(table, 5, total_row="Kent", total_column="Total")
    assert not result.mask.to_numpy().any()


# --- The single-column case ---------------------------------------------------------------------


def test_one_small_district_and_a_kent_total_forces_a_second_suppression():
    table = pd.DataFrame(
        {"Hospital admissions": [3, 40, 25, 60]}, index=["Dover", "Thanet", "Swale", "Ashford"]
    )
    table.loc["Kent"] = table.sum()
    result = suppress_table(table, 5, total_row="Kent")
    reasons = result.reason["Hospital admissions"]
    assert reasons["Dover"] == PRIMARY
    # the smallest other district is suppressed too, so Kent - others no longer gives Dover
    assert reasons["Swale"] == SECONDARY
    assert result.mask["Hospital admissions"].sum() == 2
    assert recoverable_cells(table, result, "Kent") == []
    published = result.published(table)["Hospital admissions"]
    assert published.tolist() == ["<5", 40, "*", 60, 128]


def test_a_secondary_cell_is_known_not_to_be_small():
    # Dover "<5" and Thanet "*" add up to 6. Thanet cannot be 1-4 (it would show "<5"),
    # so if Thanet were suppressed as the only cover, Dover = 1 and Thanet = 5 exactly.
    table = pd.DataFrame({"count": [1, 5, 100]}, index=["Dover", "Thanet", "Swale"])
    table.loc["Kent"] = table.sum()
    result = suppress_table(table, 5, total_row="Kent")
    assert result.mask["count"].sum() >= 3 or result.mask.at["Kent", "count"]
    assert recoverable_cells(table, result, "Kent") == []


def test_single_column_where_only_the_total_can_protect():
    table = pd.DataFrame({"count": [3]}, index=["Dover"])
    table.loc["Kent"] = table.sum()
    result = suppress_table(table, 5, total_row="Kent")
    assert result.mask["count"].tolist() == [True, True]
    assert result.published(table)["count"].tolist() == ["<5", "*"]  # a total never shows "<5"
    assert recoverable_cells(table, result, "Kent") == []


def test_a_one_among_zeros_is_protected_by_a_cell_that_can_go_down():
    # Dover 1 can only go up; pairing it with a 0 (which can only go up) would pin it.
    table = pd.DataFrame({"count": [1, 0, 0, 12]}, index=["Dover", "Thanet", "Swale", "Ashford"])
    table.loc["Kent"] = table.sum()
    result = suppress_table(table, 5, total_row="Kent")
    assert result.reason.at["Ashford", "count"] == SECONDARY
    assert recoverable_cells(table, result, "Kent") == []


# --- Two-way tables ---------------------------------------------------------------------------------


def test_a_two_way_table_with_margins():
    interior = np.array([[3, 20, 35], [18, 2, 40], [25, 30, 50]])
    table = with_totals(interior, True, True)
    result = suppress_table(table, 5, total_row="Kent", total_column="Total")
    mask = result.mask.to_numpy()
    # every row and column that adds up has 0 or at least 2 suppressed cells
    for line in [*mask, *mask.T]:
        assert line.sum() != 1
    assert recoverable_cells(table, result, "Kent", "Total") == []


def test_bridge_between_two_protected_blocks_is_caught():
    # Two blocks of four suppressed cells joined by one cell in a shared row:
    # every line has two or more suppressed cells, yet the joining cell can be
    # worked out. A naive "no line with exactly one" rule misses this.
    interior = np.array(
        [
            [3, 3, 50, 50, 60],
            [3, 3, 3, 50, 60],
            [50, 50, 3, 3, 60],
            [50, 50, 3, 3, 60],
            [60, 60, 60, 60, 60],
        ]
    )
    table = with_totals(interior, True, True)
    result = suppress_table(table, 5, total_row="Kent", total_column="Total")
    assert recoverable_cells(table, result, "Kent", "Total") == []


def test_the_brute_force_check_can_fail():
    # Suppress one cell only, by hand: the reader gets it from the row total.
    table = with_totals(np.array([[3, 20], [18, 40]]), False, True)
    unsafe = suppress_table(table, None, total_column="Total")
    unsafe.mask.iat[0, 0] = True
    unsafe.reason.iat[0, 0] = SECONDARY
    assert recoverable_cells(table, unsafe, None, "Total") == [(0, 0)]


def test_per_category_thresholds():
    table = with_totals(np.array([[3, 3], [40, 40], [50, 50]]), True, False)
    result = suppress_table(table, {"Category 0": 5, "Category 1": None}, total_row="Kent")
    assert result.mask["Category 0"].sum() == 2
    assert not result.mask["Category 1"].any()
    assert recoverable_cells(table, result, "Kent") == []


def test_missing_cells_are_left_alone():
    table = pd.DataFrame({"count": [3.0, np.nan, 40.0, 50.0]}, index=["A", "B", "C", "D"])
    table.loc["Kent"] = [93.0]
    result = suppress_table(table, 5, total_row="Kent")
    assert not result.mask.at["B", "count"]
    assert result.reason.at["B", "count"] is None
    assert result.mask.at["A", "count"] and result.mask.sum().sum() == 2


def test_withhold_rates_of_suppressed_cells():
    table = with_totals(np.array([[3, 20], [18, 40]]), True, True)
    result = suppress_table(table, 5, total_row="Kent", total_column="Total")
    rates = table / 1000
    withheld = result.withhold(rates)
    assert np.isnan(withheld.iat[0, 0])
    assert withheld.isna().to_numpy().sum() == result.mask.to_numpy().sum()


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        suppress_table(pd.DataFrame({"a": [-1, 3]}), 5)


# --- Brute force on random tables -------------------------------------------------------------------

small_counts = st.one_of(st.integers(0, 6), st.integers(0, 12), st.integers(0, 60))


@st.composite
def tables(draw):
    n_rows = draw(st.integers(1, 5))
    n_columns = draw(st.integers(1, 4))
    interior = np.array(
        draw(st.lists(st.lists(small_counts, min_size=n_columns, max_size=n_columns), min_size=n_rows, max_size=n_rows))
    )
    total_row = draw(st.booleans())
    total_column = draw(st.booleans())
    threshold = draw(st.integers(3, 7))
    return interior, total_row, total_column, threshold


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_suppressed_value_can_be_worked_out(case):
    interior, has_total_row, has_total_column, threshold = case
    table = with_totals(interior, has_total_row, has_total_column)
    total_row = "Kent" if has_total_row else None
    total_column = "Total" if has_total_column else None
    result = suppress_table(table, threshold, total_row=total_row, total_column=total_column)

    reasons = result.reason.to_numpy()
    values = table.to_numpy()
    # every small count is suppressed, and nothing is suppressed without a reason
    assert ((values > 0) & (values < threshold) <= result.mask.to_numpy()).all()
    assert ((reasons != None) == result.mask.to_numpy()).all()  # noqa: E711
    assert recoverable_cells(table, result, total_row, total_column) == []
