"""Plain sentences for councillors: where a priority stands (actions, targets, funding).

The scrutiny summary is written for a committee member, not an analyst. What
the figures say about a priority is written by assessments.commentary.priorities,
after small-number suppression; this module words the plan's own progress.
Every number is counted from stored rows, never typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

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


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{number(n)} {one if n == 1 else (many or one + 's')}"


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
