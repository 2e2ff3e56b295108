"""Targets achieved (respecting direction) and the PCC grant budget summary (no database)."""

from decimal import Decimal

import pytest

from assessments.plans.funding import APPROVED, REJECTED, WAITING, Application, budget_summary, format_money
from assessments.plans.targets import (
    ACHIEVED,
    AT_LEAST,
    AT_MOST,
    NOT_ACHIEVED,
    NOT_YET_KNOWN,
    target_result,
)

D = Decimal


@pytest.mark.parametrize(
    ("target", "actual", "direction", "expected"),
    [
        (D("40"), D("40"), AT_LEAST, ACHIEVED),  # Tonbridge and Malling: referrals to mediation 33 -> 40
        (D("40"), D("39"), AT_LEAST, NOT_ACHIEVED),
        (D("40"), D("41"), AT_LEAST, ACHIEVED),
        (D("25"), D("25"), AT_MOST, ACHIEVED),  # a reduction target: at most 25
        (D("25"), D("26"), AT_MOST, NOT_ACHIEVED),
        (D("25"), D("3"), AT_MOST, ACHIEVED),
        (D("40"), None, AT_LEAST, NOT_YET_KNOWN),  # a blank actual is never "not achieved"
        (D("25"), None, AT_MOST, NOT_YET_KNOWN),
        (None, D("3"), AT_MOST, NOT_YET_KNOWN),
    ],
)
def test_target_result_respects_direction(target, actual, direction, expected):
    assert target_result(target, actual, direction) == expected


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError, match="Unknown target direction"):
        target_result(D("1"), D("1"), "sideways")


# Ashford 2016/17, Appendix C: amount awarded for approved rows, requested for the two awaiting a decision.
ASHFORD_APPENDIX_C = [
    Application(APPROVED, D("500.00"), D("500.00")),
    Application(APPROVED, D("500.00"), D("500.00")),
    Application(APPROVED, D("2100.00"), D("2100.00")),
    Application(APPROVED, D("1500.00"), D("1500.00")),
    Application(APPROVED, D("1982.00"), D("1982.00")),
    Application(APPROVED, D("497.16"), D("497.16")),
    Application(APPROVED, D("1200.00"), D("1200.00")),
    Application(APPROVED, D("2000.00"), D("2000.00")),
    Application(APPROVED, D("300.00"), D("300.00")),
    Application(APPROVED, D("300.00"), D("300.00")),
    Application(APPROVED, D("1000.00"), D("1000.00")),
    Application(APPROVED, D("1500.00"), D("1500.00")),
    Application(WAITING, D("496.00"), None),
    Application(WAITING, D("6000.00"), None),
]


def test_ashford_budget_summary_is_exact():
    summary = budget_summary(ASHFORD_APPENDIX_C, D("20000"))
    assert summary.approved == D("13379.16")
    assert summary.awaiting == D("6496.00")
    assert summary.allocated_or_proposed == D("19875.16")
    assert summary.remaining == D("124.84")
    assert summary.rejected == D("0.00")
    assert (summary.approved_count, summary.awaiting_count, summary.rejected_count) == (12, 2, 0)
    assert not summary.overspent


def test_rejected_amounts_are_not_allocated():
    summary = budget_summary([Application(REJECTED, D("900"), None), Application(APPROVED, D("100"), D("80"))],
                             D("1000"))
    assert summary.rejected == D("900") and summary.allocated_or_proposed == D("80")
    assert summary.remaining == D("920")


def test_a_missing_amount_makes_the_total_unknown_not_a_partial_sum():
    summary = budget_summary([Application(WAITING, None, None), Application(WAITING, D("50"), None),
                              Application(APPROVED, D("10"), D("10"))], D("100"))
    assert summary.awaiting is None
    assert summary.allocated_or_proposed is None and summary.remaining is None
    assert summary.approved == D("10")
    assert summary.missing_amounts == {WAITING: 1}


def test_no_budget_recorded_means_remaining_is_unknown():
    summary = budget_summary([Application(APPROVED, D("10"), D("10"))], None)
    assert summary.approved == D("10") and summary.remaining is None


def test_overcommitted_budget_shows_a_negative_remaining():
    summary = budget_summary([Application(WAITING, D("30"), None)], D("20"))
    assert summary.remaining == D("-10") and summary.overspent


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="Unknown grant application status"):
        budget_summary([Application("maybe", D("1"), None)], D("1"))


def test_money_is_formatted_with_pence_and_a_real_minus():
    assert format_money(D("19875.16")) == "£19,875.16"
    assert format_money(D("20000"), pence=False) == "£20,000"
    assert format_money(D("-10")) == "−£10.00"
    assert format_money(None) is None
