"""Plain sentences for councillors: why a priority matters and where it stands.

The scrutiny summary is written for a committee member, not an analyst, so
figures are turned into short sentences ("1,403 domestic abuse incidents, 84
more than the year before (up 6.4%)"). Every number comes from the stored
counts; a figure that is missing is said to be missing, never shown as 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from assessments.statistics.rounding import ordinal, round_half_up

from .evidence import HIGHER_IS_BETTER, LOWER_IS_BETTER, Headline
from .funding import format_money
from .targets import ACHIEVED, NOT_ACHIEVED, NOT_YET_KNOWN

RAG_ORDER = ("green", "amber", "red", None)
RAG_WORDS = {
    "green": "on track (green)",
    "amber": "with some concerns (amber)",
    "red": "off track (red)",
    None: "with no update yet",
}


def number(n: int) -> str:
    return f"{n:,}"


def one_dp(x: float) -> str:
    return f"{round_half_up(x, 1):,.1f}"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{number(n)} {one if n == 1 else (many or one + 's')}"


def _lower_first(name: str) -> str:
    # "Domestic abuse incidents" -> "domestic abuse incidents"; keep "MARAC cases", "KSI".
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


def category_sentence(headline: Headline, *, district: str, span: str, group: str = "Kent districts") -> str:
    """One or two sentences on a category's level, change and county position."""
    what = _lower_first(headline.name)
    if headline.missing:
        return f"There is no published figure for {what} for {span}."
    if headline.is_share:
        if headline.share is None:
            return f"The share of {what} cannot be worked out for {span}: a figure it needs is missing."
        text = f"From {span}, {what} were {one_dp(headline.share)}% of the total"
        if headline.previous_share is not None:
            text += f", compared with {one_dp(headline.previous_share)}% a year before"
        text += "."
    else:
        text = f"From {span} there were {number(headline.count)} {what} in {district}"
        if headline.change is None:
            text += ". There is no figure for the same months a year before to compare with."
        elif headline.change == 0:
            text += ", the same number as in the same months a year before."
        else:
            more = "more" if headline.change > 0 else "fewer"
            text += f", {number(abs(headline.change))} {more} than in the same months a year before"
            if headline.change_pct is not None:
                text += f" ({'up' if headline.change > 0 else 'down'} {one_dp(abs(headline.change_pct))}%)"
            text += "."
    position = _position_sentence(headline, district=district, group=group)
    if position:
        text += " " + position
    if headline.provisional:
        text += " These figures are provisional and may change."
    return text


def _position_sentence(headline: Headline, *, district: str, group: str) -> str | None:
    """'Ashford had the 9th lowest rate of the 12 Kent districts (a lower rate is better).'"""
    if headline.rank is None or headline.ranked_of < 2:
        return None
    measure = "share" if headline.is_share else "rate"
    tied = bool(headline.rank_label and headline.rank_label.endswith("="))
    joint = "joint " if tied else ""
    higher_first = headline.polarity == HIGHER_IS_BETTER
    first, last = ("highest", "lowest") if higher_first else ("lowest", "highest")
    if headline.rank == 1:
        place = f"the {joint}{first} {measure}"
    elif headline.rank == headline.ranked_of and not tied:
        place = f"the {last} {measure}"
    else:
        place = f"the {joint}{ordinal(headline.rank)} {first} {measure}"
    text = f"{district} had {place} of the {headline.ranked_of} {group}"
    if headline.polarity in (LOWER_IS_BETTER, HIGHER_IS_BETTER):
        return text + f" (a {'higher' if higher_first else 'lower'} {measure} is better)."
    return text + " (neither a higher nor a lower figure is judged better for this)."


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def rag_sentence(counts: Mapping[str | None, int]) -> str:
    """'Of 6 actions: 3 on track (green), 1 with some concerns (amber) and 2 with no update yet.'"""
    total = sum(counts.values())
    if total == 0:
        return "No actions have been recorded for this priority."
    if counts.get(None, 0) == total:
        if total == 1:
            return "The one action has no progress update yet."
        return f"None of the {number(total)} actions has a progress update yet."
    return f"Of {_plural(total, 'action')}: " + _join(
        [f"{number(counts[rag])} {RAG_WORDS[rag]}" for rag in RAG_ORDER if counts.get(rag)]
    ) + "."


def targets_sentence(results: Sequence[str]) -> str | None:
    """'Of 3 targets: 1 achieved, 1 not achieved and 1 not yet known.'"""
    if not results:
        return None
    words = ((ACHIEVED, "achieved"), (NOT_ACHIEVED, "not achieved"), (NOT_YET_KNOWN, "not yet known"))
    parts = [f"{number(n)} {word}" for key, word in words if (n := sum(1 for r in results if r == key))]
    return f"Of {_plural(len(results), 'target')}: {_join(parts)}."


def funding_sentence(awarded: Sequence[Decimal], outcome_reports_received: int, unspent: Decimal | None) -> str | None:
    """'£18,000.00 was awarded to 1 funded project; outcome reports received: 1 of 1.'"""
    if not awarded:
        return None
    total = sum(awarded, Decimal("0"))
    text = f"{format_money(total)} was awarded to {_plural(len(awarded), 'funded project')}"
    text += f"; outcome reports received: {number(outcome_reports_received)} of {number(len(awarded))}."
    if unspent:
        text += f" {format_money(unspent)} was reported unspent."
    return text


def overall_position(
    rag_counts: Mapping[str | None, int],
    target_results: Sequence[str],
    awarded: Sequence[Decimal],
    outcome_reports_received: int,
    unspent: Decimal | None,
) -> str:
    """The one-paragraph position for a priority, built from its actions, targets and funding."""
    sentences = [rag_sentence(rag_counts)]
    for sentence in (targets_sentence(target_results), funding_sentence(awarded, outcome_reports_received, unspent)):
        if sentence:
            sentences.append(sentence)
    return " ".join(sentences)
