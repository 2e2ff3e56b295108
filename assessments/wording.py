"""Numbers and sentences as the strategic assessments print them.

Pure functions (no Django, no database): "5,285", "45.5", "+4.9%",
"↑ up", "An increase of 245 crimes (4.9%)", "Best out of 12 Kent areas".
Every figure is rounded half-up (docs/methods.md §7), as Excel does, so a page
never disagrees with a partner's spreadsheet by a rounding rule. Missing
values come back as None so that callers can show "no data" (never 0).
"""

from __future__ import annotations

from crimedata.numbers import (  # noqa: F401  (the formatting every sentence here uses, re-exported for pages)
    MINUS,
    format_count,
    format_pct,
    format_rate,
    format_signed,
    is_missing,
    ordinal,
    round_half_up,
)
from crimedata.reference import HIGHER_IS_BETTER, LOWER_IS_BETTER, NO_JUDGEMENT

NO_DATA = "no data"

DIRECTION_TEXT = {"up": "\u2191 up", "down": "\u2193 down", "same": "\u2194 no change"}


def direction_text(direction: str | None) -> str | None:
    return DIRECTION_TEXT.get(direction) if direction else None


def judgement(direction: str | None, polarity: str) -> str | None:
    """'better', 'worse' or None. Categories with no judgement are never better or worse."""
    if direction not in ("up", "down") or polarity == NO_JUDGEMENT:
        return None
    if polarity == LOWER_IS_BETTER:
        return "better" if direction == "down" else "worse"
    return "better" if direction == "up" else "worse"


# What one unit of a category is called in a sentence ("245 crimes", "59 casualties").
_NOUNS_BY_SLUG = {
    "asb-incidents": ("incident", "incidents"),
    "domestic-abuse-incidents": ("incident", "incidents"),
    "domestic-abuse-repeat-victims": ("repeat victim", "repeat victims"),
    "marac-cases": ("case", "cases"),
    "one-stop-shop-visitors": ("visitor", "visitors"),
    "alcohol-hospital-admissions": ("admission", "admissions"),
    "child-ksi": ("casualty", "casualties"),
}
_NOUNS_BY_FAMILY = {
    "recorded-crime": ("crime", "crimes"),
    "hate-crime": ("crime", "crimes"),
    "road-casualties": ("casualty", "casualties"),
    "asb": ("incident", "incidents"),
    "domestic-abuse": ("incident", "incidents"),
    "policeuk": ("record", "records"),
}


def noun(slug: str, family: str, number: int | None = None) -> str:
    singular, plural = _NOUNS_BY_SLUG.get(slug) or _NOUNS_BY_FAMILY.get(family) or ("", "")
    return singular if number is not None and abs(number) == 1 else plural


def count_with_noun(value, slug: str, family: str) -> str | None:
    text = format_count(value)
    if text is None:
        return None
    word = noun(slug, family, int(value))
    return f"{text} {word}".strip()


def change_sentence(change, change_pct, *, slug: str, family: str) -> str:
    """'An increase of 245 crimes (4.9%)', 'A decrease of 23 crimes (10.8%)', 'No change'."""
    if is_missing(change):
        return "No comparison: the figure for a year earlier is missing"
    change = int(change)
    word = noun(slug, family, change)
    amount = f"{abs(change):,} {word}".strip()
    pct = format_pct(abs(change_pct), signed=False) if not is_missing(change_pct) else None
    if change > 0:
        return f"An increase of {amount} ({pct})" if pct else f"An increase of {amount} (from none a year earlier)"
    if change < 0:
        return f"A decrease of {amount} ({pct})"
    return "No change on a year earlier"


def group_short_name(group_name: str) -> str:
    """'Kent (12 KCC districts)' -> 'Kent': the name as a sentence uses it."""
    return group_name.split(" (")[0].strip()


def areas_phrase(count: int, group_name: str) -> str:
    """'12 Kent areas'."""
    return f"{count} {group_short_name(group_name)} area{'s' if count != 1 else ''}"


def _place(rank: int, tied: bool, best_word: str) -> str:
    if rank == 1:
        return f"Joint {best_word}" if tied else best_word.capitalize()
    return f"Joint {ordinal(rank)}" if tied else ordinal(rank)


def peer_sentence(
    *,
    rank: int | None,
    rank_label: str | None,
    ranked: int,
    group_name: str,
    polarity: str,
    count_rank: int | None = None,
    count_rank_label: str | None = None,
    previous_rank: int | None = None,
    previous_rank_label: str | None = None,
) -> str:
    """The headline box's peer comparison, by rate, e.g. 'Best out of 12 Kent areas (lowest by volume)'.

    ``ranked`` is how many areas have a figure (the "of 12"). Categories with
    no judgement say "lowest"/"3rd lowest" instead of "best"/"3rd".
    """
    if is_missing(rank):
        return "No position: there is no figure for this period"
    rank = int(rank)
    tied = bool(rank_label and rank_label.endswith("="))
    areas = areas_phrase(ranked, group_name)
    if polarity == NO_JUDGEMENT:
        place = "Lowest" if rank == 1 and not tied else (
            "Joint lowest" if rank == 1 else f"{'Joint ' if tied else ''}{ordinal(rank)} lowest"
        )
        main = f"{place} rate of {areas}"
    else:
        main = f"{_place(rank, tied, 'best')} out of {areas}"
    extras = []
    if not is_missing(count_rank):
        count_rank = int(count_rank)
        end = "highest" if polarity == HIGHER_IS_BETTER else "lowest"
        count_tied = bool(count_rank_label and count_rank_label.endswith("="))
        prefix = "joint " if count_tied else ""
        extras.append(f"{prefix}{end} by volume" if count_rank == 1 else f"{prefix}{ordinal(count_rank)} {end} by volume")
    if not is_missing(previous_rank):
        previous_tied = bool(previous_rank_label and previous_rank_label.endswith("="))
        extras.append(f"previously {'joint ' if previous_tied else ''}{ordinal(int(previous_rank))}")
    return f"{main} ({'; '.join(extras)})" if extras else main


def position_statement(*, rank_by: str, polarity: str, ranked: int, group_name: str, base: int) -> str:
    """What position 1 means on this page: '1 = the lowest rate per 1,000 residents of the 12 Kent areas'."""
    areas = f"the {areas_phrase(ranked, group_name)}"
    highest_first = polarity == HIGHER_IS_BETTER
    end = "highest" if highest_first else "lowest"
    if rank_by == "rate":
        what = f"the {end} rate per {base:,} residents"
    elif rank_by == "count":
        what = f"the {end} number"
    else:
        what = "the biggest rise (or smallest fall)" if highest_first else "the biggest fall (or smallest rise)"
        what += " on a year earlier, in %"
    if polarity == NO_JUDGEMENT:
        judged = "Neither direction is better for this category, so this is an order, not a judgement."
    else:
        judged = f"{'Higher' if highest_first else 'Lower'} is better for this category."
    return f"County position 1 = {what} of {areas}. {judged} Equal figures share a position, shown as \u201c2=\u201d."
