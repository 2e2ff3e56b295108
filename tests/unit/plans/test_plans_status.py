"""A priority's status against last year, derived from themes (no database)."""

from assessments.plans.status import (
    CROSS_CUTTING,
    KIND_CROSS_CUTTING,
    KIND_PRIORITY,
    NEW,
    RETAINED,
    PriorityThemes,
    derive_statuses,
    effective_status,
)


def named(key, *themes):
    return PriorityThemes(key, KIND_PRIORITY, frozenset(themes))


def cross(key, *themes):
    return PriorityThemes(key, KIND_CROSS_CUTTING, frozenset(themes))


# Maidstone's 2016/17 priorities as the 2017/18 strategic assessment lists them.
MAIDSTONE_2016 = [
    named("violent", "violent-crime", "domestic-abuse", "night-time-economy"),
    named("substance", "substance-misuse"),
    named("reoffending", "reducing-reoffending"),
    named("roads", "road-safety"),
    named("resilience", "community-resilience", "cse", "prevent", "modern-slavery", "organised-crime", "safeguarding"),
]
MAIDSTONE_2017 = [
    named("ocg", "organised-crime", "modern-slavery"),
    named("gangs", "gangs", "cse"),
    named("substance", "substance-misuse"),
    named("da", "domestic-abuse", "violent-crime"),
    named("mental", "mental-health"),
    cross("prevent", "prevent"),
    cross("reoffending", "reducing-reoffending"),
    cross("asb", "asb"),
]


def test_maidstone_2016_to_2017_statuses():
    result = derive_statuses(MAIDSTONE_2017, MAIDSTONE_2016)
    assert result.statuses == {
        "ocg": RETAINED, "gangs": RETAINED, "substance": RETAINED, "da": RETAINED, "mental": NEW,
        "prevent": CROSS_CUTTING, "reoffending": CROSS_CUTTING, "asb": CROSS_CUTTING,
    }
    # Road safety was removed; everything else lives on as a priority or a cross-cutting theme.
    assert result.dropped == ["roads"]
    assert result.compared


def test_without_a_previous_assessment_nothing_is_guessed():
    result = derive_statuses(MAIDSTONE_2017, None)
    assert result.statuses["ocg"] is None and result.statuses["mental"] is None
    assert result.statuses["prevent"] == CROSS_CUTTING
    assert result.dropped == [] and not result.compared


def test_a_theme_that_was_only_cross_cutting_last_year_is_new_as_a_named_priority():
    result = derive_statuses([named("mh", "mental-health")], [cross("mh-old", "mental-health")])
    assert result.statuses["mh"] == NEW
    assert result.dropped == []  # cross-cutting themes are not reported as dropped priorities


def test_a_priority_kept_only_as_a_cross_cutting_theme_is_not_dropped():
    result = derive_statuses([cross("rr", "reducing-reoffending")], [named("rr-old", "reducing-reoffending")])
    assert result.statuses["rr"] == CROSS_CUTTING
    assert result.dropped == []


def test_an_empty_previous_assessment_makes_every_named_priority_new():
    result = derive_statuses([named("da", "domestic-abuse")], [])
    assert result.statuses == {"da": NEW} and result.compared


def test_override_wins_over_the_derived_status():
    assert effective_status(NEW, RETAINED) == RETAINED
    assert effective_status(NEW, "") == NEW
    assert effective_status(None, None) is None
