"""The district profile: the "All recorded crime" part of a strategic assessment.

Pure functions over a ComparisonTable (every category for a group, this
period and a year earlier) and a Trend: headline boxes per key theme, the
crime-type table, proportionality and the trend lines. No database access.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from assessments.comparison import ComparisonTable, Total, Trend
from assessments.statistics.rounding import is_missing
from assessments.wording import change_sentence, count_with_noun, format_rate, peer_sentence
from crimedata.selectors import CategoryInfo, ReferenceData

# The themes the Kent assessments open with, in their order (seed documents
# 000 and 002): all crime, then the usual priorities. A theme without data for
# this period still gets a box that says so.
KEY_THEMES = (
    "all-crime",
    "violent-crime",
    "asb-incidents",
    "domestic-abuse-incidents",
    "burglary-dwelling",
    "drug-offences",
    "road-casualties",
)

# Proportionality as the Tunbridge Wells assessment shows it: each type's share
# of all recorded crime plus ASB incidents (ASB 2,253 of 7,538 = 29.9%).
PROPORTION_TOTAL = "all-crime"
PROPORTION_EXTRA = "asb-incidents"


def _value(row: dict, key: str):
    value = row.get(key)
    return None if is_missing(value) else value


def _records(frame: pd.DataFrame) -> list[dict]:
    """DataFrame rows as dicts with NaN/NA as None."""
    return [
        {k: (None if is_missing(v) else v) for k, v in record.items()}
        for record in frame.astype(object).to_dict("records")
    ]


@dataclass(frozen=True)
class Headline:
    category: CategoryInfo
    level: str | None
    previous_level: str | None
    rate: str | None
    previous_rate: str | None
    base: int
    provisional: bool
    peer: str
    change: str
    direction: str | None
    # Small-number suppression (assessments.disclosure): "<5" or "*" where a count is hidden.
    count_display: str | None = None
    previous_count_display: str | None = None
    suppressed_in_public: bool = False
    # assessments.significance: "significant rise" / "no significant change"; "Similar to Kent".
    significance: str | None = None
    vs_group_text: str | None = None
    vs_group: str | None = None
    commentary: object = None  # the generated (or edited) sentence, set by the view
    edit_url: str | None = None  # where the reader may edit it, when they may


HIDDEN_PEER = "No position: small numbers are not published"
HIDDEN_CHANGE = "Not published: small numbers"


def headlines(table: ComparisonTable, district: str, ref: ReferenceData, themes=KEY_THEMES,
              published=None) -> list[Headline]:
    """A headline box per key theme: level, peer comparison and annual change.

    ``published`` maps a theme's slug to its assessments.disclosure.PublishedComparison:
    its district row (suppressed for this audience, with significance) replaces
    the table's, and positions are among the districts with published figures.
    """
    rows = {r["category"]: r for r in _records(table.district_rows(district))}
    out = []
    for slug in themes:
        category = ref.category(slug)
        if category is None or slug not in rows:
            continue
        row = rows[slug]
        ranked = table.totals[slug].districts_with_data
        extra = {}
        chosen = (published or {}).get(slug)
        mine = chosen.row(district) if chosen is not None else None
        if mine is not None:
            row = dict(row)
            for key in ("count", "previous_count", "change", "change_pct", "rate", "previous_rate", "direction",
                        "previous_rank", "previous_rank_label"):
                row[key] = mine.get(key)
            row["rank_rate"], row["rank_label_rate"] = mine.get("rank"), mine.get("rank_label")
            ranked = chosen.ranked
            if chosen.disclosure.any_suppressed:
                # The position by number would be among every district, hidden ones included.
                row["rank_count"] = row["rank_label_count"] = None
            extra = dict(
                count_display=mine.get("count_display"),
                previous_count_display=mine.get("previous_count_display"),
                suppressed_in_public=bool(mine.get("suppressed_in_public")),
                significance=mine.get("change_significance"),
                vs_group_text=mine.get("vs_group_text"),
                vs_group=mine.get("vs_group"),
            )
        hidden = extra.get("count_display") or extra.get("previous_count_display")
        peer = peer_sentence(
            rank=_value(row, "rank_rate"),
            rank_label=_value(row, "rank_label_rate"),
            ranked=ranked,
            group_name=table.group.name,
            polarity=category.polarity,
            count_rank=_value(row, "rank_count"),
            count_rank_label=_value(row, "rank_label_count"),
            previous_rank=_value(row, "previous_rank"),
            previous_rank_label=_value(row, "previous_rank_label"),
        )
        if extra.get("count_display"):
            peer = HIDDEN_PEER
        change = change_sentence(_value(row, "change"), _value(row, "change_pct"), slug=slug, family=category.family)
        if hidden and _value(row, "change") is None:
            change = HIDDEN_CHANGE
        out.append(
            Headline(
                category=category,
                level=count_with_noun(_value(row, "count"), slug, category.family),
                previous_level=count_with_noun(_value(row, "previous_count"), slug, category.family),
                rate=format_rate(_value(row, "rate")),
                previous_rate=format_rate(_value(row, "previous_rate")),
                base=int(row["base"]),
                provisional=bool(row["provisional"] or row["previous_provisional"]),
                peer=peer,
                change=change,
                direction=_value(row, "direction"),
                **extra,
            )
        )
    return out


def crime_type_rows(table: ComparisonTable, district: str, ref: ReferenceData) -> list[dict]:
    """Every category for the district, in the published tables' order (parents before parts).

    Each dict has the ComparisonTable columns plus name (the category's),
    depth (for indenting), polarity and order (the tree position, for sorting).
    """
    rows = {r["category"]: r for r in _records(table.district_rows(district))}
    out = []
    for order, category in enumerate(ref.in_tree_order()):
        if category.slug not in rows:
            continue
        row = dict(rows[category.slug])
        row.update(
            district_name=row["name"],
            category=category.name,
            slug=category.slug,
            depth=ref.depth(category.slug),
            polarity=category.polarity,
            order=order,
        )
        out.append(row)
    return out


@dataclass(frozen=True)
class Proportions:
    """Shares of a stated total: ``base_label`` says what the total is."""

    base_label: str
    total: int | None
    rows: list[dict]


def proportions(table: ComparisonTable, district: str, ref: ReferenceData) -> Proportions:
    """Each recorded-crime type's share, with ASB, of all recorded crime plus ASB incidents.

    The parts are the smallest recorded-crime types (their sum is all recorded
    crime) and ASB. When ASB has no figure, the base is all recorded crime
    alone, and the label says so. When all recorded crime has no figure there
    is no base: every share is missing.
    """
    rows = {r["category"]: r for r in _records(table.district_rows(district))}
    tree = ref.tree()

    def leaves(slug: str) -> list[str]:
        children = tree.additive_children(slug)
        if not children:
            return [slug]
        out: list[str] = []
        for child in children:
            out.extend(leaves(child))
        return out

    crime = _value(rows.get(PROPORTION_TOTAL, {}), "count")
    extra = _value(rows.get(PROPORTION_EXTRA, {}), "count")
    parts = leaves(PROPORTION_TOTAL) if ref.category(PROPORTION_TOTAL) else []
    crime_name = ref.category(PROPORTION_TOTAL).name.lower() if ref.category(PROPORTION_TOTAL) else "all recorded crime"
    if crime is not None and extra is not None:
        total = int(crime + extra)
        parts = [PROPORTION_EXTRA, *parts]
        label = f"{crime_name} plus anti-social behaviour incidents"
    else:
        total = int(crime) if crime is not None else None
        label = crime_name + (" (there is no anti-social behaviour figure for this period)" if crime is not None else "")
    out = []
    for slug in parts:
        category = ref.category(slug)
        if category is None:
            continue
        row = rows.get(slug, {})
        count = _value(row, "count")
        out.append(
            {
                "category": category.name,
                "slug": slug,
                "count": count,
                "provisional": bool(row.get("provisional")),
                "share": count / total * 100 if count is not None and total else None,
            }
        )
    out.sort(key=lambda r: (r["share"] is None, -(r["share"] or 0), r["category"]))
    return Proportions(base_label=label, total=total, rows=out)


def trend_rows(trend: Trend, district: str) -> list[dict]:
    """One dict per month end: end, label, count, rate, provisional, group_rate, group_missing."""
    from crimedata.periods import month_label

    mine = trend.districts[trend.districts["district"] == district].set_index("end")
    group = trend.group_line.set_index("end")
    out = []
    for window in trend.windows:
        end = window.end
        row = mine.loc[end] if end in mine.index else None
        out.append(
            {
                "end": end,
                "label": month_label(end),
                "count": None if row is None or is_missing(row["count"]) else int(row["count"]),
                "rate": None if row is None or is_missing(row["rate"]) else float(row["rate"]),
                "provisional": bool(row["provisional"]) if row is not None else False,
                "group_rate": None if end not in group.index or is_missing(group.loc[end, "rate"])
                else float(group.loc[end, "rate"]),
                "group_missing": list(group.loc[end, "missing"]) if end in group.index else [],
            }
        )
    return out


def total_missing_note(total: Total, group_name: str) -> list[str]:
    """Sentences naming the districts a group total leaves out."""
    notes = []
    if total.missing:
        notes.append(
            f"The {group_name} total covers the {total.districts_with_data} of {total.districts_in_group} districts "
            f"with figures; it leaves out {_join(total.missing)}, which {'has' if len(total.missing) == 1 else 'have'} "
            "no figure for this period."
        )
    if total.missing_previous:
        notes.append(
            f"There is no {group_name} total for a year earlier because {_join(total.missing_previous)} "
            f"{'has' if len(total.missing_previous) == 1 else 'have'} no figure for it."
        )
    return notes


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
