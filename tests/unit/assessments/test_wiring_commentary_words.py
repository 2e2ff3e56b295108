"""Commentary wording added when wiring the pages (no database)."""

from assessments.commentary.text import GroupWords, change_position_phrase

GROUP = GroupWords("Kent", "Kent districts")


def test_the_only_district_to_rise_is_not_called_the_smallest_increase():
    records = [{"district": "A", "change_pct": 4.9}, {"district": "B", "change_pct": 0.0},
               {"district": "C", "change_pct": -2.0}]
    assert change_position_phrase(records, "A", GROUP) == "the only increase in Kent"
    assert change_position_phrase(records, "C", GROUP) == "the only fall in Kent"
    assert change_position_phrase(records, "B", GROUP) is None


def test_two_rises_still_read_smallest_and_largest():
    records = [{"district": "A", "change_pct": 4.9}, {"district": "B", "change_pct": 7.0}]
    assert change_position_phrase(records, "A", GROUP) == "the smallest increase in Kent"
    assert change_position_phrase(records, "B", GROUP) == "the largest increase in Kent"
