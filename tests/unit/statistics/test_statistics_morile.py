"""MoRiLE overall scores and theme ranking (methods.md §6, domain.md §7)."""

from __future__ import annotations

import pytest

from assessments.statistics.morile import (
    DEFAULT_MULTIPLIERS,
    UnknownCspScore,
    multiplier_for,
    overall_score,
    rank_themes,
)

# Tunbridge Wells 2017: theme, total harm, risk, CSP score, overall
TUNBRIDGE_WELLS_SEVEN = [
    ("Mental health", 4, 225, 8, 1800),
    ("Road safety", 2, 121, 7, 484),
    ("Prevent", 12, 224, 0, 134.4),
    ("Domestic abuse", 4, 124, 1, 74.4),
    ("Substance misuse", 4, 60, 2, 45),
    ("ASB", 2, 60, 0, 36),
    ("Burglary", 1, 17.5, 1, 10.5),
]

# The full table in the 2016/17 strategic assessment ("Theme Total Harm Risk CSP Score Overall Rank").
TUNBRIDGE_WELLS_EIGHTEEN = [
    ("Mental health", 4, 225, 8, 1800),
    ("Road safety", 2, 121, 7, 484),
    ("Prevent", 12, 224, 0, 134.4),
    ("Domestic abuse", 4, 124, 1, 74.4),
    ("CSE", 4, 120, 1, 72),
    ("Gangs", 8, 77, 1, 46.2),
    ("Substance misuse", 4, 60, 2, 45),
    ("ASB", 2, 60, 0, 36),
    ("OCGs", 2, 52.5, 0, 31.5),
    ("Hate crime", 4, 44, 0, 26.4),
    ("Violent crime", 4, 42, 0, 25.2),
    ("Deliberate fires", 1, 38.5, 0, 23.1),
    ("Modern slavery", 2, 24, 0, 14.4),
    ("Burglary", 1, 17.5, 1, 10.5),
    ("Shoplifting", 1, 15, 1, 9),
    ("Theft", 2, 15, 0, 9),
    ("Criminal Damage", 1, 14, 0, 8.4),
    ("Vehicle crime", 1, 12, 0, 7.2),
]


def test_default_multipliers_are_the_inferred_seed():
    assert DEFAULT_MULTIPLIERS == {0: 0.6, 1: 0.6, 2: 0.75, 7: 4, 8: 8}


@pytest.mark.parametrize("theme, harm, risk, csp, overall", TUNBRIDGE_WELLS_EIGHTEEN)
def test_every_published_overall_score_is_reproduced_exactly(theme, harm, risk, csp, overall):
    # exact equality: 224 x 0.6 must be 134.4, not 134.39999999999998
    assert overall_score(risk, csp) == overall


def test_seven_rows_rank_in_published_order():
    ranked = rank_themes([(theme, risk, csp) for theme, _, risk, csp, _ in TUNBRIDGE_WELLS_SEVEN])
    assert [row.theme for row in ranked] == [
        "Mental health", "Road safety", "Prevent", "Domestic abuse", "Substance misuse", "ASB", "Burglary",
    ]
    assert [row.rank for row in ranked] == [1, 2, 3, 4, 5, 6, 7]
    assert [row.overall for row in ranked] == [row[4] for row in TUNBRIDGE_WELLS_SEVEN]


def test_eighteen_rows_rank_in_published_order_with_a_shared_place():
    shuffled = TUNBRIDGE_WELLS_EIGHTEEN[::-1]
    ranked = rank_themes([(theme, risk, csp) for theme, _, risk, csp, _ in shuffled])
    assert [row.theme for row in ranked][:14] == [row[0] for row in TUNBRIDGE_WELLS_EIGHTEEN][:14]
    labels = {row.theme: row.rank_label for row in ranked}
    assert labels["Mental health"] == "1"
    assert labels["Burglary"] == "14"
    assert labels["Shoplifting"] == labels["Theft"] == "15="  # both 9
    assert labels["Criminal Damage"] == "17"
    assert labels["Vehicle crime"] == "18"


def test_total_harm_plays_no_part():
    for _, harm, risk, csp, overall in TUNBRIDGE_WELLS_SEVEN:
        assert overall_score(risk, csp) == overall  # harm is not an argument at all


@pytest.mark.parametrize("score", [3, 4, 5, 6, 9, -1])
def test_unknown_csp_score_raises_a_clear_error(score):
    with pytest.raises(UnknownCspScore) as raised:
        overall_score(100, score)
    assert str(raised.value) == (
        f"No multiplier is set for a CSP score of {score}. Ask the Kent Community Safety Team "
        "to add it to the MoRiLE multiplier table."
    )
    assert isinstance(raised.value, ValueError)
    assert raised.value.csp_score == score


def test_fractional_csp_score_is_unknown():
    with pytest.raises(UnknownCspScore):
        multiplier_for(1.5)
    assert multiplier_for(7.0) == 4


def test_an_edited_table_is_used():
    table = {**DEFAULT_MULTIPLIERS, 5: 2}
    assert overall_score(50, 5, table) == 100
    with pytest.raises(UnknownCspScore):
        overall_score(50, 5)


def test_rank_themes_refuses_an_unknown_score():
    with pytest.raises(UnknownCspScore):
        rank_themes([("A", 10, 1), ("B", 10, 4)])


def test_missing_scores_are_unranked_and_listed_last():
    ranked = rank_themes([("Not yet scored", None, 1), ("Burglary", 17.5, 1), ("No CSP score", 30, None)])
    assert [row.theme for row in ranked] == ["Burglary", "Not yet scored", "No CSP score"]
    assert ranked[0].rank == 1 and ranked[1].rank is None and ranked[1].overall is None


def test_negative_risk_is_refused():
    with pytest.raises(ValueError):
        overall_score(-1, 0)
