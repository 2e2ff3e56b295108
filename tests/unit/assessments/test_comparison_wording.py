"""Numbers and sentences as the assessments print them (no database)."""

import pytest

from assessments.wording import (
    areas_phrase,
    change_sentence,
    count_with_noun,
    direction_text,
    format_count,
    format_pct,
    format_rate,
    format_signed,
    group_short_name,
    judgement,
    peer_sentence,
    position_statement,
)


@pytest.mark.parametrize(
    "value, expected",
    [(45.466, "45.5"), (45.45, "45.5"), (0.05, "0.1"), (1234.56, "1,234.6"), (None, None), (float("nan"), None)],
)
def test_rates_round_half_up_to_one_place(value, expected):
    assert format_rate(value) == expected


@pytest.mark.parametrize(
    "value, expected", [(245, "+245"), (-23, "\u221223"), (0, "0"), (11065, "+11,065"), (None, None)]
)
def test_changes_are_signed(value, expected):
    assert format_signed(value) == expected


@pytest.mark.parametrize(
    "value, signed, expected",
    [(4.8611, True, "+4.9%"), (-10.849, True, "\u221210.8%"), (0.04, True, "0.0%"), (29.888, False, "29.9%"),
     (None, True, None)],
)
def test_percentages(value, signed, expected):
    assert format_pct(value, signed=signed) == expected


def test_counts_have_thousands_separators_and_missing_is_none_not_zero():
    assert format_count(5285) == "5,285"
    assert format_count(None) is None


def test_tunbridge_wells_annual_change_sentence():
    assert change_sentence(245, 4.8611, slug="all-crime", family="recorded-crime") == \
        "An increase of 245 crimes (4.9%)"


@pytest.mark.parametrize(
    "change, pct, slug, family, expected",
    [
        (-23, -10.849, "drug-offences", "recorded-crime", "A decrease of 23 crimes (10.8%)"),
        (-59, -12.24, "road-casualties", "road-casualties", "A decrease of 59 casualties (12.2%)"),
        (1, 2.0, "asb-incidents", "asb", "An increase of 1 incident (2.0%)"),
        (5, None, "robbery", "recorded-crime", "An increase of 5 crimes (from none a year earlier)"),
        (0, 0.0, "robbery", "recorded-crime", "No change on a year earlier"),
        (None, None, "robbery", "recorded-crime", "No comparison: the figure for a year earlier is missing"),
    ],
)
def test_change_sentences(change, pct, slug, family, expected):
    assert change_sentence(change, pct, slug=slug, family=family) == expected


def test_level_with_its_noun():
    assert count_with_noun(5285, "all-crime", "recorded-crime") == "5,285 crimes"
    assert count_with_noun(1, "road-casualties", "road-casualties") == "1 casualty"
    assert count_with_noun(None, "all-crime", "recorded-crime") is None


KENT = "Kent (12 KCC districts)"


def test_best_out_of_12_kent_areas_lowest_by_volume():
    text = peer_sentence(rank=1, rank_label="1", ranked=12, group_name=KENT, polarity="lower", count_rank=1,
                         count_rank_label="1")
    assert text == "Best out of 12 Kent areas (lowest by volume)"


def test_peer_sentence_with_previous_position_and_ties():
    text = peer_sentence(rank=2, rank_label="2", ranked=12, group_name=KENT, polarity="lower",
                         previous_rank=5, previous_rank_label="5")
    assert text == "2nd out of 12 Kent areas (previously 5th)"
    tied = peer_sentence(rank=5, rank_label="5=", ranked=12, group_name=KENT, polarity="lower")
    assert tied == "Joint 5th out of 12 Kent areas"


def test_no_judgement_categories_say_lowest_not_best():
    text = peer_sentence(rank=3, rank_label="3", ranked=12, group_name=KENT, polarity="none")
    assert text == "3rd lowest rate of 12 Kent areas"
    assert "best" not in peer_sentence(rank=1, rank_label="1", ranked=12, group_name=KENT, polarity="none").lower()


def test_unranked_district_has_no_position():
    assert peer_sentence(rank=None, rank_label=None, ranked=11, group_name=KENT, polarity="lower").startswith(
        "No position"
    )


def test_group_names_in_sentences():
    assert group_short_name(KENT) == "Kent"
    assert areas_phrase(13, "Kent and Medway (13 areas)") == "13 Kent and Medway areas"


def test_direction_and_judgement():
    assert direction_text("up") == "\u2191 up" and direction_text(None) is None
    assert judgement("up", "lower") == "worse" and judgement("down", "lower") == "better"
    assert judgement("up", "higher") == "better"
    # Domestic abuse reports: a rise is not painted as bad.
    assert judgement("up", "none") is None and judgement("same", "lower") is None


def test_position_statement_states_the_direction():
    text = position_statement(rank_by="rate", polarity="lower", ranked=12, group_name=KENT, base=1000)
    assert text.startswith("County position 1 = the lowest rate per 1,000 residents of the 12 Kent areas.")
    neutral = position_statement(rank_by="count", polarity="none", ranked=13, group_name="Kent and Medway (13 areas)",
                                 base=1000)
    assert "not a judgement" in neutral and "lowest number" in neutral
    change = position_statement(rank_by="change_pct", polarity="lower", ranked=12, group_name=KENT, base=1000)
    assert "biggest fall" in change
