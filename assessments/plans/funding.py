"""The PCC grant budget summary: approved, awaiting decision, rejected and remaining.

Money is Decimal throughout (£13,379.16 must stay exactly that). Amounts follow
the Ashford 2016/17 appendix: an approved application counts its amount
awarded; one waiting for a decision, or rejected, counts the amount requested.
"Allocated or proposed" is approved plus awaiting; "remaining" is the budget
for projects less that.

A total that would need an amount nobody has entered is not known (None), not a
partial sum: the summary says how many applications are missing an amount.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

WAITING = "waiting"
APPROVED = "approved"
REJECTED = "rejected"

STATUS_LABELS = {WAITING: "Waiting decision", APPROVED: "Approved", REJECTED: "Rejected"}


@dataclass(frozen=True)
class Application:
    status: str
    amount_requested: Decimal | None
    amount_awarded: Decimal | None


@dataclass(frozen=True)
class BudgetSummary:
    project_budget: Decimal | None
    approved: Decimal | None
    awaiting: Decimal | None
    rejected: Decimal | None
    allocated_or_proposed: Decimal | None
    remaining: Decimal | None
    approved_count: int
    awaiting_count: int
    rejected_count: int
    missing_amounts: dict[str, int]  # status -> applications with no amount to count

    @property
    def overspent(self) -> bool:
        return self.remaining is not None and self.remaining < 0


def _total(amounts: list[Decimal | None]) -> tuple[Decimal | None, int]:
    missing = sum(1 for a in amounts if a is None)
    if missing:
        return None, missing
    return sum(amounts, Decimal("0.00")), 0


def budget_summary(applications: Iterable[Application], project_budget: Decimal | None) -> BudgetSummary:
    """Sum the applications by status against the budget for projects.

    Raises ValueError for an unknown status.
    """
    by_status: dict[str, list[Decimal | None]] = {WAITING: [], APPROVED: [], REJECTED: []}
    for app in applications:
        if app.status not in by_status:
            raise ValueError(f"Unknown grant application status {app.status!r}.")
        amount = app.amount_awarded if app.status == APPROVED else app.amount_requested
        by_status[app.status].append(amount)
    approved, missing_approved = _total(by_status[APPROVED])
    awaiting, missing_awaiting = _total(by_status[WAITING])
    rejected, missing_rejected = _total(by_status[REJECTED])
    allocated = None if approved is None or awaiting is None else approved + awaiting
    remaining = None if allocated is None or project_budget is None else project_budget - allocated
    missing = {
        status: n
        for status, n in ((APPROVED, missing_approved), (WAITING, missing_awaiting), (REJECTED, missing_rejected))
        if n
    }
    return BudgetSummary(
        project_budget=project_budget,
        approved=approved,
        awaiting=awaiting,
        rejected=rejected,
        allocated_or_proposed=allocated,
        remaining=remaining,
        approved_count=len(by_status[APPROVED]),
        awaiting_count=len(by_status[WAITING]),
        rejected_count=len(by_status[REJECTED]),
        missing_amounts=missing,
    )


def format_money(amount: Decimal | None, *, pence: bool = True) -> str | None:
    """£19,875.16 (or £20,000 with pence=False when whole); None stays None."""
    if amount is None:
        return None
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    if not pence and amount == amount.to_integral_value():
        return f"{sign}£{amount:,.0f}"
    return f"{sign}£{amount:,.2f}"
