"""The four alert rules, in plain words, over what the pages already compute (pure: no database).

No new statistics: each rule reads a row of a published comparison
(``assessments.comparison.suppression.publish_comparison``: the significance columns of
``assessments.comparison.significance`` with small numbers already withheld for the reader) or the
points of an SPC chart (``assessments.spc.chart.build_chart``):

- ``spc_alert``: a point in the quarter is special cause variation showing a concern or an
  improvement (docs/methods.md §1.2), with its rule in words. Neutral special causes (categories
  where neither direction is better) are not alerts;
- ``change_alert``: the change on a year earlier is statistically significant (the exact test,
  docs/methods.md §3);
- ``position_alert``: the county position by rate moved 3 or more places on a year earlier
  (docs/methods.md §5), saying whether the change in the district's own figures is significant;
- ``group_alert``: the district is now significantly worse than the group (docs/methods.md §2.4)
  and was not at the end of the previous quarter.

A hidden small number leaves the columns these rules read empty, so an alert can never say more than
the page it links to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from assessments.comparison.significance import SIGNIFICANT_FALL, SIGNIFICANT_RISE, vs_group_text
from assessments.spc.chart import CONCERNING, IMPROVING
from assessments.statistics.significance import BETTER, HIGHER, LOWER, SIMILAR, WORSE
from assessments.wording import format_count, format_pct, format_rate, is_missing, noun, ordinal
from crimedata.periods import Window, month_label
from crimedata.reference import HIGHER_IS_BETTER, NO_JUDGEMENT
from crimedata.selectors import CategoryInfo, DistrictInfo

SPC, CHANGE, POSITION, WORSE_THAN_GROUP = "spc", "change", "position", "worse-than-group"
RULES = {
    SPC: "SPC special cause",
    CHANGE: "Significant change on a year earlier",
    POSITION: "County position moved 3 or more places",
    WORSE_THAN_GROUP: "Now significantly worse than the group",
}
RULE_ORDER = {rule: i for i, rule in enumerate(RULES)}
# The smallest move in county position that is worth an alert.
POSITION_MOVE = 3


@dataclass(frozen=True)
class Alert:
    rule: str
    district: DistrictInfo
    category: CategoryInfo
    group_slug: str | None  # the comparison group (None for SPC: a district's own series)
    headline: str  # a few words: "Special cause: concern", "Moved from 4th to joint 8th"
    text: str  # the whole sentence
    path: str  # the page that shows it (path and query, no host)
    provisional: bool = False

    @property
    def rule_name(self) -> str:
        return RULES[self.rule]


def _period(window: Window) -> str:
    """'the 12 months to March 2024'."""
    return f"the {window.months} months to {month_label(window.end)}" if window.months > 1 else month_label(window.end)


def _count(value, category: CategoryInfo) -> str:
    number = int(value)
    return f"{format_count(number)} {noun(category.slug, category.family, number)}".strip()


def _provisional(row: Mapping) -> bool:
    """A comparison built from any provisional figure, this year's or last year's, is provisional."""
    return bool(row.get("provisional") or row.get("previous_provisional"))


def _place(rank: int, label: str | None) -> str:
    """'4th', 'joint 8th'."""
    tied = bool(label) and str(label).endswith("=")
    return f"{'joint ' if tied else ''}{ordinal(int(rank))}"


# --- SPC ------------------------------------------------------------------------------------------------


def spc_alert(columns: Mapping[str, np.ndarray], quarter: Window, *, district: DistrictInfo, category: CategoryInfo,
              path: str) -> Alert | None:
    """The latest point in ``quarter`` that is special cause variation of concern or improvement, as an alert.

    ``columns``: an SpcChart's columns (start, end, label, value, provisional, variation, rule_text).
    """
    if columns is None or "variation" not in columns:
        return None
    starts, ends = np.asarray(columns["start"]), np.asarray(columns["end"])
    inside = (starts >= quarter.start) & (ends <= quarter.end)
    special = np.isin(np.asarray(columns["variation"], dtype=object), [CONCERNING, IMPROVING])
    chosen = np.flatnonzero(inside & special)
    if not len(chosen):
        return None
    i = int(chosen[-1])
    variation = columns["variation"][i]
    value = columns["value"][i]
    provisional = bool(columns["provisional"][i])
    what = "a concern" if variation == CONCERNING else "an improvement"
    rule = str(columns["rule_text"][i])
    rule = rule[:1].lower() + rule[1:]
    text = (
        f"{category.name} in {district.name}, {columns['label'][i]}: {_count(value, category)}"
        f"{' (provisional)' if provisional else ''}. That is special cause variation showing {what} on the "
        f"SPC chart: {rule}."
    )
    headline = f"Special cause: {'concern' if variation == CONCERNING else 'improvement'}"
    return Alert(rule=SPC, district=district, category=category, group_slug=None, headline=headline, text=text,
                 path=path, provisional=provisional)


# --- Comparisons -----------------------------------------------------------------------------------------


def _judged(assessment: str | None, polarity: str) -> str:
    if polarity == NO_JUDGEMENT or assessment in (None, SIMILAR, HIGHER, LOWER):
        return ""
    return ", an improvement" if assessment == BETTER else ", a deterioration"


def _significance_clause(row: Mapping) -> str:
    word = row.get("change_significance")
    if word in (SIGNIFICANT_RISE, SIGNIFICANT_FALL):
        return "the change in its figures on a year earlier is statistically significant"
    if word is None:
        return "whether its figures changed significantly on a year earlier cannot be said"
    return "the change in its figures on a year earlier is not statistically significant"


def change_alert(row: Mapping, *, district: DistrictInfo, category: CategoryInfo, window: Window, group_slug: str,
                 path: str) -> Alert | None:
    """A statistically significant rise or fall on a year earlier (the row's change_significance)."""
    word = row.get("change_significance")
    if word not in (SIGNIFICANT_RISE, SIGNIFICANT_FALL):
        return None
    if is_missing(row.get("count")) or is_missing(row.get("previous_count")):
        return None
    rise = word == SIGNIFICANT_RISE
    pct = format_pct(row.get("change_pct"))
    text = (
        f"{category.name} in {district.name}: {_count(row['count'], category)} in {_period(window)}, "
        f"{'up' if rise else 'down'} from {format_count(row['previous_count'])} a year earlier"
        f"{f' ({pct})' if pct else ''}{' (provisional)' if _provisional(row) else ''}. "
        f"That is a statistically significant {'rise' if rise else 'fall'}"
        f"{_judged(row.get('change_assessment'), category.polarity)}."
    )
    return Alert(rule=CHANGE, district=district, category=category, group_slug=group_slug,
                 headline=f"Significant {'rise' if rise else 'fall'}", text=text, path=path,
                 provisional=bool(_provisional(row)))


def position_alert(row: Mapping, *, district: DistrictInfo, category: CategoryInfo, window: Window, ranked: int,
                   group_area: str, group_slug: str, base: int, path: str) -> Alert | None:
    """The county position by rate moved ``POSITION_MOVE`` or more places on a year earlier.

    "Maidstone moved from 4th to joint 8th of 12 Kent areas for violent crime ...; the change in its
    figures on a year earlier is not statistically significant."
    """
    rank, previous = row.get("rank"), row.get("previous_rank")
    if is_missing(rank) or is_missing(previous) or abs(int(rank) - int(previous)) < POSITION_MOVE:
        return None
    now, before = _place(rank, row.get("rank_label")), _place(previous, row.get("previous_rank_label"))
    if category.polarity == NO_JUDGEMENT:
        meaning = f"1 = the lowest rate per {base:,} residents; neither direction is better"
    else:
        meaning = f"1 = the {'highest' if category.polarity == HIGHER_IS_BETTER else 'lowest'} rate per {base:,} residents"
        meaning += ", so this is " + ("worse" if int(rank) > int(previous) else "better")
    text = (
        f"{district.name} moved from {before} to {now} of {ranked} {group_area} areas for "
        f"{category.name[:1].lower() + category.name[1:]} in {_period(window)}, compared with a year earlier "
        f"({meaning}){' (provisional)' if _provisional(row) else ''}; {_significance_clause(row)}."
    )
    return Alert(rule=POSITION, district=district, category=category, group_slug=group_slug,
                 headline=f"Moved from {before} to {now}", text=text, path=path,
                 provisional=bool(_provisional(row)))


def group_alert(row: Mapping, previous_row: Mapping | None, *, district: DistrictInfo, category: CategoryInfo,
                window: Window, previous_window: Window, group_area: str, group_slug: str, base: int,
                path: str) -> Alert | None:
    """Significantly worse than the group now, and not at the end of the previous quarter."""
    if row.get("vs_group") != WORSE:
        return None
    before = None if previous_row is None else previous_row.get("vs_group")
    if before == WORSE:
        return None
    rate, lower, upper = (format_rate(row.get(k)) for k in ("rate", "rate_lower", "rate_upper"))
    group_rate = format_rate(row.get("group_rate"))
    then = vs_group_text(before, group_area) or ""
    earlier = (f"In {_period(previous_window)} it was {then[:1].lower() + then[1:]}."
               if before is not None else f"In {_period(previous_window)} it could not be compared with {group_area}.")
    text = (
        f"{district.name} is now significantly worse than {group_area} for "
        f"{category.name[:1].lower() + category.name[1:]}: {rate} per {base:,} residents in {_period(window)} "
        f"(95% confidence interval {lower} to {upper}) against {group_area}'s {group_rate}"
        f"{' (provisional)' if _provisional(row) else ''}. {earlier}"
    )
    return Alert(rule=WORSE_THAN_GROUP, district=district, category=category, group_slug=group_slug,
                 headline=f"Now significantly worse than {group_area}", text=text, path=path,
                 provisional=bool(_provisional(row)))
