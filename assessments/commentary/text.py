"""Commentary that writes itself: plain English from computed figures.

Strategic assessments repeat the same sentences for every theme ("Tunbridge
Wells recorded 5,285 crimes ..., 245 more than the year before (+4.9%) ...")
and hand-typed arithmetic slips in (the published document printed 4.7%).
These functions write those sentences from the computed figures instead.

Rules the wording keeps:
- every number is formatted from the computed value by assessments.wording (round half up,
  docs/methods.md §7);
- missing stays missing ("there is no figure"), never 0 and never a partial sum;
- a hidden small number is never printed or hinted at by a rate or change;
- provisional figures are said to be provisional;
- categories with no judgement (domestic abuse reporting) are "higher"/"lower",
  never "better"/"worse";
- ties are "joint"; a statistically significant change is said to be one, and
  a change that is not is "no significant change".

Pure functions: no database, no Django. Each returns a GeneratedText whose
fingerprint identifies the figures it was written from, so an officer's edit
can be marked when those figures change (see assessments.commentary.edits).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assessments.comparison.significance import (
    NO_SIGNIFICANT_CHANGE,
    SIGNIFICANT_FALL,
    SIGNIFICANT_RISE,
    change_word,
)
from assessments.statistics.significance import BETTER, HIGHER, LOWER, SIMILAR, WORSE, ChangeSignificance
from assessments.statistics.spc import (
    COMMON_CAUSE,
    CONCERN,
    IMPROVEMENT,
    MISSING,
    NEUTRAL_HIGH,
    NEUTRAL_LOW,
)
from assessments.wording import MINUS, format_count, format_pct, format_rate
from crimedata import measures
from crimedata.numbers import is_missing, ordinal, round_half_up
from crimedata.reference import HIGHER_IS_BETTER

__all__ = [
    "GeneratedText",
    "GroupWords",
    "Measure",
    "category_nouns",
    "change_position_phrase",
    "crime_type_summary",
    "fingerprint",
    "group_words",
    "headline",
    "position_phrase",
    "priority_paragraph",
    "spc_summary",
    "window_phrase",
]

@dataclass(frozen=True)
class GeneratedText:
    """A generated paragraph and the fingerprint of the figures it was written from."""

    text: str
    fingerprint: str

    def __str__(self) -> str:
        return self.text


def _plain(value: object) -> object:
    """A JSON-safe, stable form of one input: numbers rounded, missing as None."""
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) or hasattr(value, "__float__"):
        number = float(value)
        if math.isinf(number):
            return str(number)
        # Enough digits to see any real change, few enough to ignore float noise.
        return float(f"{number:.9g}")
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def fingerprint(inputs: Mapping) -> str:
    """SHA-256 of the inputs in a canonical form: the same figures always give the same fingerprint."""
    canonical = json.dumps(_plain(inputs), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _generated(text: str, inputs: Mapping) -> GeneratedText:
    return GeneratedText(text=" ".join(text.split()), fingerprint=fingerprint(inputs))


# --- Words for numbers, places, groups and categories ---------------------------------------------


def _size_pct(value: float) -> str:
    """The size of a percentage change, for a sentence that says the direction itself: −4.861 -> "4.9%"."""
    return format_pct(abs(value), signed=False)


def window_phrase(label: str) -> str:
    """Window.label as it reads after a verb: "12 months to September 2016" -> "in the 12 months to September 2016"."""
    if label[:1].isdigit():
        return f"in the {label}"
    if label.startswith(("Financial year", "Calendar year")):
        return f"in {label[0].lower()}{label[1:]}"
    return f"in {label}"


@dataclass(frozen=True)
class GroupWords:
    """How sentences name a comparison group: "in Kent", "of the 12 Kent districts", "the Kent average"."""

    area: str
    members: str

    @property
    def average(self) -> str:
        return f"the {self.area} average"


_GROUP_WORDS = {
    "kent": GroupWords("Kent", "Kent districts"),
    "kent-and-medway": GroupWords("Kent and Medway", "Kent and Medway areas"),
    "north-division": GroupWords("North Division", "North Division districts"),
    "east-division": GroupWords("East Division", "East Division districts"),
    "west-division": GroupWords("West Division", "West Division districts"),
    "west-kent": GroupWords("West Kent", "West Kent districts"),
}


def group_words(slug: str, name: str) -> GroupWords:
    """Words for a comparison group; groups made by administrators use their name."""
    return _GROUP_WORDS.get(slug) or GroupWords(name, f"districts in {name}")


# (singular, plural) for the built-in categories; others are read from the name.
_NOUNS = {
    "all-crime": ("crime", "crimes"),
    "victim-based-crime": ("victim-based crime", "victim-based crimes"),
    "violent-crime": ("violent crime", "violent crimes"),
    "violence-against-the-person": ("violence against the person offence", "violence against the person offences"),
    "sexual-offences": ("sexual offence", "sexual offences"),
    "robbery": ("robbery", "robberies"),
    "burglary-dwelling": ("dwelling burglary", "dwelling burglaries"),
    "burglary-other": ("burglary other than dwelling", "burglaries other than dwelling"),
    "vehicle-crime": ("vehicle crime", "vehicle crimes"),
    "theft-of-motor-vehicle": ("theft of a motor vehicle", "thefts of motor vehicles"),
    "theft-from-motor-vehicle": ("theft from a motor vehicle", "thefts from motor vehicles"),
    "vehicle-interference": ("vehicle interference offence", "vehicle interference offences"),
    "theft-and-handling": ("theft and handling offence", "theft and handling offences"),
    "shoplifting": ("shoplifting offence", "shoplifting offences"),
    "theft-of-pedal-cycle": ("pedal cycle theft", "pedal cycle thefts"),
    "other-theft": ("other theft offence", "other theft offences"),
    "criminal-damage": ("criminal damage offence", "criminal damage offences"),
    "crimes-against-society": ("crime against society", "crimes against society"),
    "drug-offences": ("drug offence", "drug offences"),
    "drug-trafficking": ("drug trafficking offence", "drug trafficking offences"),
    "drug-possession": ("drug possession offence", "drug possession offences"),
    "possession-of-weapons": ("weapons possession offence", "weapons possession offences"),
    "public-order-offences": ("public order offence", "public order offences"),
    "other-crimes-against-society": ("other crime against society", "other crimes against society"),
    "asb-incidents": ("anti-social behaviour incident", "anti-social behaviour incidents"),
    "domestic-abuse-incidents": ("domestic abuse incident", "domestic abuse incidents"),
    "domestic-abuse-repeat-victims": ("repeat victim of domestic abuse", "repeat victims of domestic abuse"),
    "hate-crime": ("hate crime", "hate crimes"),
    "road-casualties": ("road casualty", "road casualties"),
    "ksi": ("person killed or seriously injured on the roads", "people killed or seriously injured on the roads"),
    "slight": ("person slightly injured on the roads", "people slightly injured on the roads"),
    "fatal": ("road death", "road deaths"),
    "serious": ("person seriously injured on the roads", "people seriously injured on the roads"),
    "child-ksi": (
        "child killed or seriously injured on the roads",
        "children killed or seriously injured on the roads",
    ),
    "marac-cases": ("MARAC case", "MARAC cases"),
    "one-stop-shop-visitors": ("One Stop Shop visitor", "One Stop Shop visitors"),
    "alcohol-hospital-admissions": ("alcohol-specific hospital admission", "alcohol-specific hospital admissions"),
}


def _lower_first(name: str) -> str:
    # Keep acronyms ("MARAC cases", "KSI") as they are.
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def category_nouns(slug: str, name: str) -> tuple[str, str]:
    """(singular, plural) for counting a category: ("crime", "crimes") for all recorded crime."""
    if slug in _NOUNS:
        return _NOUNS[slug]
    lowered = _lower_first(name)
    if lowered.endswith("s"):
        return lowered[:-1], lowered
    return f"{lowered} record", f"{lowered} records"


def _counted(value: float, slug: str, name: str) -> str:
    singular, plural = category_nouns(slug, name)
    return f"{format_count(value)} {singular if round_half_up(value, 0) == 1 else plural}"


def position_phrase(low_position: int, high_position: int, tied: bool, noun: str = "rate") -> str:
    """A county position in words: "the lowest rate", "the 2nd lowest rate", "the joint 2nd highest rate".

    low_position counts from the lowest value (1 = lowest), high_position from
    the highest. The nearer end is used, so 11th of 12 reads "2nd highest".
    """
    joint = "joint " if tied else ""
    if low_position == 1:
        return f"the {joint}lowest {noun}"
    if high_position == 1:
        return f"the {joint}highest {noun}"
    if low_position <= high_position:
        return f"the {joint}{ordinal(low_position)} lowest {noun}"
    return f"the {joint}{ordinal(high_position)} highest {noun}"


def _positions(
    rows: Sequence[Mapping], district: str, rank_column: str, polarity: str
) -> tuple[int, int, bool, int] | None:
    """(low position, high position, tied, number ranked) of a district from competition ranks."""
    ranks = [r.get(rank_column) for r in rows]
    ranked = [int(r) for r in ranks if not is_missing(r)]
    mine = next((r.get(rank_column) for r in rows if r.get("district") == district), None)
    if is_missing(mine) or len(ranked) < 2:
        return None
    mine = int(mine)
    tie = ranked.count(mine)
    n = len(ranked)
    other_end = n - (mine + tie - 1) + 1
    # Rank 1 is the best; for "higher is better" that is the highest value.
    if polarity == HIGHER_IS_BETTER:
        return other_end, mine, tie > 1, n
    return mine, other_end, tie > 1, n


def change_position_phrase(rows: Sequence[Mapping], district: str, group: GroupWords) -> str | None:
    """Where a district's % change sits in the group: "the smallest increase in Kent".

    Uses change_pct as displayed (1 decimal place). Rises are "increases",
    falls are "falls"; the phrase counts from whichever end is nearer, among
    the districts moving the same way: "the 2nd smallest increase" means one
    district rose less (any number may have fallen).
    Returns None when the district has no change or fewer than two districts do.
    """
    changes = {
        r.get("district"): round_half_up(r.get("change_pct"), 1)
        for r in rows
        if not is_missing(r.get("change_pct"))
    }
    mine = changes.get(district)
    if mine is None or mine == 0 or len(changes) < 2:
        return None
    values = sorted(changes.values())
    n = len(values)
    joint = "joint " if values.count(mine) > 1 else ""
    same_way = [v for v in values if (v > 0) == (mine > 0) and v != 0]
    if len(same_way) == 1:
        # "The smallest increase" would be true and misleading when no other district rose.
        return f"the only {'increase' if mine > 0 else 'fall'} in {group.area}"
    if mine > 0:
        # From the small end, count only the rises below; from the large end everything above rose.
        smallest = sum(0 < v < mine for v in values) + 1
        largest = sum(v > mine for v in values) + 1
        if smallest <= largest:
            return _ordinal_phrase(smallest, joint, "smallest increase", group, n)
        return _ordinal_phrase(largest, joint, "largest increase", group, n)
    largest = sum(v < mine for v in values) + 1
    smallest = sum(mine < v < 0 for v in values) + 1
    if smallest < largest:
        return _ordinal_phrase(smallest, joint, "smallest fall", group, n)
    return _ordinal_phrase(largest, joint, "largest fall", group, n)


def _ordinal_phrase(position: int, joint: str, what: str, group: GroupWords, n: int) -> str:
    if position == 1:
        return f"the {joint}{what} in {group.area}"
    return f"the {joint}{ordinal(position)} {what} of the {n} {group.members}"


# --- Headline box ---------------------------------------------------------------------------------


def _get(row: Mapping, key: str) -> object:
    value = row.get(key)
    return None if is_missing(value) else value


def _significance_word(row: Mapping, change: ChangeSignificance | None, confidence: float) -> str | None:
    if change is not None:
        return change_word(change, confidence)
    return _get(row, "change_significance")


def _change_clause(row: Mapping, word: str | None, confidence: float) -> str:
    """", 245 more than the year before (+4.9%), a statistically significant rise"."""
    if _get(row, "previous_count_display") is not None:
        return "; the figure for the year before is not published because the numbers are small"
    previous = _get(row, "previous_count")
    if previous is None:
        return "; there is no figure for the year before to compare with"
    change = _get(row, "change")
    if change is None:
        change = measures.change(_get(row, "count"), previous)
    pct = _get(row, "change_pct")
    if change == 0:
        clause = ", the same number as the year before"
    elif previous == 0:
        clause = f", {format_count(abs(change))} more than the year before, when there were none"
    else:
        sign = "+" if change > 0 else MINUS
        amount = "more" if change > 0 else "fewer"
        percent = f" ({sign}{_size_pct(pct)})" if pct is not None else ""
        clause = f", {format_count(abs(change))} {amount} than the year before{percent}"
    level = "" if confidence == 0.95 else " at the 99.8% level"
    if word == NO_SIGNIFICANT_CHANGE and change != 0:
        clause += f", which is no significant change{level}"
    elif word in (SIGNIFICANT_RISE, SIGNIFICANT_FALL):
        rise = word == SIGNIFICANT_RISE
        if (change > 0) == rise and change != 0:
            clause += f", a statistically significant {'rise' if rise else 'fall'}{level}"
        else:
            # The test is on the rate per resident, which can move against the count.
            clause += (
                f"; allowing for the change in population, the rate per resident "
                f"{'rose' if rise else 'fell'} significantly{level}"
            )
    return clause


def _vs_group_sentence(word: str | None, rate: float, group_rate: float | None, group: GroupWords,
                       base: int) -> str:
    if word is None or group_rate is None:
        return ""
    figure = f"({group.area}: {format_rate(group_rate)} per {base:,} residents)"
    if word == SIMILAR:
        shown, average = round_half_up(rate, 1), round_half_up(group_rate, 1)
        if shown == average:
            return f"It was similar to {group.average} {figure}."
        side = "above" if rate > group_rate else "below"
        return f"It was {side} {group.average} but not significantly {figure}."
    if word in (BETTER, WORSE, HIGHER, LOWER):
        return f"It was significantly {word} than {group.average} {figure}."
    return ""


def headline(
    row: Mapping,
    *,
    category: object,
    window_label: str,
    group: GroupWords,
    rows: Sequence[Mapping] | None = None,
    district_name: str | None = None,
    change: ChangeSignificance | None = None,
    vs_group: str | None = None,
    group_rate: float | None = None,
    confidence: float = 0.95,
    rank_by: str = "rate",
) -> GeneratedText:
    """The headline box sentence for one district and category.

    - row: a ``Comparison.rows`` record (dict), optionally with the columns of
      assessments.comparison.significance.add_significance and assessments.comparison.suppression.
    - category: anything with slug, name, polarity, rate_base and unit (CategoryInfo).
    - window_label: ``Window.label`` ("12 months to September 2016").
    - group: GroupWords for the comparison group.
    - rows: every row of the comparison (records), for positions; without it
      no position is given.
    - change / vs_group / group_rate: override what the row carries
      (a ChangeSignificance, a Fingertips word, the group rate).

    Example: "Tunbridge Wells recorded 5,285 crimes in the 12 months to
    September 2016, 245 more than the year before (+4.9%), a statistically
    significant rise. At 45.5 crimes per 1,000 residents it had the lowest
    rate of the 12 Kent districts."
    """
    district = district_name or row.get("name")
    slug, name, polarity = category.slug, category.name, category.polarity
    base = int(getattr(category, "rate_base", 1000))
    _, plural = category_nouns(slug, name)
    when = window_phrase(window_label)
    word = _significance_word(row, change, confidence)
    vs_group = vs_group if vs_group is not None else _get(row, "vs_group")
    group_rate = group_rate if group_rate is not None else _get(row, "group_rate")
    records = list(rows) if rows is not None else []
    inputs = {
        "district": district, "category": slug, "window": window_label, "group": group.area,
        "count": _get(row, "count"), "previous": _get(row, "previous_count"), "rate": _get(row, "rate"),
        "count_display": _get(row, "count_display"), "previous_display": _get(row, "previous_count_display"),
        "status": _get(row, "status"), "significance": word, "vs_group": vs_group, "group_rate": group_rate,
        "ranks": [(r.get("district"), _get(r, "rank"), _get(r, "change_pct")) for r in records],
        "confidence": confidence,
    }

    hidden = _get(row, "count_display")
    if hidden is not None:
        if str(hidden).startswith("<"):
            text = (
                f"{district} recorded fewer than {str(hidden)[1:]} {plural} {when}. Small numbers are not "
                "published, so no rate or change is given."
            )
        else:
            text = (
                f"The number of {plural} in {district} {when} is not published, because it would let a small "
                "number elsewhere in the table be worked out."
            )
        return _generated(text, inputs)

    count = _get(row, "count")
    if count is None:
        return _generated(f"There is no figure for {plural} in {district} {when} (no data).", inputs)

    sentences = [f"{district} recorded {_counted(count, slug, name)} {when}{_change_clause(row, word, confidence)}."]
    position = change_position_phrase(records, row.get("district"), group) if records else None
    if position and _get(row, "previous_count_display") is None:
        sentences.append(f"That was {position}.")

    rate = _get(row, "rate")
    if getattr(category, "unit", "count") != "percentage":
        if rate is None:
            sentences.append(f"No rate can be given: there is no population estimate for {district}.")
        else:
            places = _positions(records, row.get("district"), "rank", polarity) if rank_by == "rate" else None
            at = f"At {format_rate(rate)} {plural} per {base:,} residents"
            if places is None:
                sentences.append(f"Its rate was {format_rate(rate)} {plural} per {base:,} residents.")
            else:
                low, high, tied, n = places
                sentences.append(f"{at} it had {position_phrase(low, high, tied)} of the {n} {group.members}.")
            sentences.append(_vs_group_sentence(vs_group, float(rate), group_rate, group, base))

    if _get(row, "status") == "provisional":
        sentences.append("These figures include provisional data and may change.")
    return _generated(" ".join(s for s in sentences if s), inputs)


# --- Crime-type table --------------------------------------------------------------------------------


def _listing(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _pct_text(value: float) -> str:
    # Signed by the change itself, so a rise of 0.04% still reads "+0.0%", never "0.0%".
    return f"{'+' if value > 0 else MINUS}{_size_pct(value)}"


def crime_type_summary(
    rows: Iterable[Mapping],
    *,
    district_name: str,
    window_label: str,
    confidence: float = 0.95,
    noun: str = "crime types",
) -> GeneratedText:
    """A paragraph summing up a district's crime-type table.

    rows: one mapping per category with name, count, previous_count, change,
    change_pct and either change_significance (from add_significance) or a
    ChangeSignificance under "change_test"; optionally status,
    count_display / previous_count_display (disclosure).

    Example: "In the 12 months to October 2016, 9 of the 12 crime types in
    Maidstone rose and 3 fell compared with the year before. The rises in
    violence against the person (+27.2%) and public order offences (+77.1%)
    were statistically significant. ..."
    """
    records = [dict(r) for r in rows]
    hidden = [
        r for r in records
        if _get(r, "count_display") is not None or _get(r, "previous_count_display") is not None
    ]
    missing = [
        r for r in records
        if r not in hidden and (_get(r, "count") is None or _get(r, "previous_count") is None)
    ]
    compared = [r for r in records if r not in hidden and r not in missing]
    for r in compared:
        r["_change"] = float(_get(r, "change") if _get(r, "change") is not None
                             else measures.change(r["count"], r["previous_count"]))
        r["_word"] = _significance_word(r, r.get("change_test"), confidence)
    rises = [r for r in compared if r["_change"] > 0]
    falls = [r for r in compared if r["_change"] < 0]
    same = [r for r in compared if r["_change"] == 0]
    when = window_phrase(window_label)
    sentences = []
    if compared:
        counts = f"{len(rises)} of the {len(compared)} {noun} in {district_name} rose and {len(falls)} fell"
        if same:
            counts += f", and {len(same)} stayed the same"
        sentences.append(f"{when[0].upper()}{when[1:]}, {counts} compared with the year before.")
    for group, word, verb in ((rises, SIGNIFICANT_RISE, "rise"), (falls, SIGNIFICANT_FALL, "fall")):
        significant = [r for r in group if r["_word"] == word]
        significant.sort(key=lambda r: -abs(_get(r, "change_pct") or 0))
        if significant:
            names = [
                _lower_first(r["name"])
                + (f" ({_pct_text(r['change_pct'])})" if _get(r, "change_pct") is not None else "")
                for r in significant
            ]
            plural = len(names) > 1
            sentences.append(
                f"The {verb}{'s' if plural else ''} in {_listing(names)} {'were' if plural else 'was'} "
                "statistically significant."
            )
    tested = [r for r in compared if r["_word"] is not None and r["_change"] != 0]
    if tested and all(r["_word"] == NO_SIGNIFICANT_CHANGE for r in tested):
        sentences.append(
            f"None of the changes was statistically significant: no significant change in any of the {noun}."
        )
    elif tested and any(r["_word"] == NO_SIGNIFICANT_CHANGE for r in tested):
        sentences.append("The other changes were not statistically significant.")
    if rises:
        largest = max(rises, key=lambda r: r["_change"])
        sentences.append(
            f"The largest rise in number was in {_lower_first(largest['name'])} "
            f"(+{format_count(largest['_change'])})."
        )
    if missing:
        sentences.append(f"There are no figures to compare for {_listing([_lower_first(r['name']) for r in missing])}.")
    if hidden:
        sentences.append(
            f"Figures for {_listing([_lower_first(r['name']) for r in hidden])} are not published because the "
            "numbers are small."
        )
    if any(_get(r, "status") == "provisional" for r in records):
        sentences.append("Some figures are provisional and may change.")
    if not records:
        sentences.append(f"There are no figures for {district_name} {when}.")
    inputs = {
        "district": district_name, "window": window_label, "confidence": confidence,
        "rows": [
            (r.get("name"), _get(r, "count"), _get(r, "previous_count"), _get(r, "count_display"),
             _get(r, "previous_count_display"), _get(r, "status"),
             _significance_word(r, r.get("change_test"), confidence))
            for r in records
        ],
    }
    return _generated(" ".join(sentences), inputs)


# --- Scrutiny priority --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """One piece of evidence for a priority: a category's comparison row and its tests."""

    category: object  # slug, name, polarity, rate_base, unit (CategoryInfo)
    row: Mapping
    change: ChangeSignificance | None = None
    vs_group: str | None = None
    group_rate: float | None = None


def _measure_clause(measure: Measure, group: GroupWords, confidence: float) -> str:
    row, category = measure.row, measure.category
    name = _lower_first(category.name)
    hidden = _get(row, "count_display")
    if hidden is not None:
        small = f"fewer than {str(hidden)[1:]}" if str(hidden).startswith("<") else "not published"
        return f"{name}: {small} (small numbers are not published)"
    count = _get(row, "count")
    if count is None:
        return f"{name}: no data"
    word = _significance_word(row, measure.change, confidence)
    clause = f"{name}: {format_count(count)}"
    previous = _get(row, "previous_count")
    if _get(row, "previous_count_display") is not None:
        clause += " (last year's figure is not published)"
    elif previous is None:
        clause += " (no figure for the year before)"
    else:
        change = measures.change(count, previous)
        pct = _get(row, "change_pct")
        if change == 0:
            clause += ", unchanged on the year before"
        else:
            direction = "up" if change > 0 else "down"
            percent = f" ({_pct_text(pct)})" if pct is not None else ""
            clause += f", {direction} {format_count(abs(change))}{percent} on the year before"
            if word == NO_SIGNIFICANT_CHANGE:
                clause += ", no significant change"
            elif word in (SIGNIFICANT_RISE, SIGNIFICANT_FALL):
                clause += f", a statistically significant {'rise' if word == SIGNIFICANT_RISE else 'fall'}"
    vs_group = measure.vs_group if measure.vs_group is not None else _get(row, "vs_group")
    rate = _get(row, "rate")
    group_rate = measure.group_rate if measure.group_rate is not None else _get(row, "group_rate")
    if vs_group is not None and rate is not None and group_rate is not None:
        if vs_group == SIMILAR:
            if round_half_up(rate, 1) == round_half_up(group_rate, 1):
                clause += f"; similar to {group.average}"
            else:
                side = "above" if rate > group_rate else "below"
                clause += f"; {side} {group.average} but not significantly"
        else:
            clause += f"; significantly {vs_group} than {group.average}"
    return clause


def priority_paragraph(
    priority: str,
    measures: Sequence[Measure],
    *,
    district_name: str,
    window_label: str,
    group: GroupWords,
    confidence: float = 0.95,
) -> GeneratedText:
    """A paragraph of evidence for one scrutiny priority, one clause per measure.

    Example: "Evidence for the priority “Domestic abuse” in Tunbridge Wells,
    in the 12 months to September 2016: domestic abuse incidents: 1,234, up 56
    (+4.8%) on the year before, no significant change; above the Kent average
    but not significantly."
    """
    when = window_phrase(window_label)
    if not measures:
        text = f"There are no measures recorded for the priority \u201c{priority}\u201d in {district_name}."
    else:
        clauses = [_measure_clause(m, group, confidence) for m in measures]
        text = f"Evidence for the priority \u201c{priority}\u201d in {district_name}, {when}: " + ". ".join(
            c[0].upper() + c[1:] if i else c for i, c in enumerate(clauses)
        ) + "."
        if any(_get(m.row, "status") == "provisional" for m in measures):
            text += " Some figures are provisional and may change."
    inputs = {
        "priority": priority, "district": district_name, "window": window_label, "group": group.area,
        "measures": [
            (m.category.slug, _get(m.row, "count"), _get(m.row, "previous_count"), _get(m.row, "rate"),
             _get(m.row, "count_display"), _get(m.row, "previous_count_display"), _get(m.row, "status"),
             _significance_word(m.row, m.change, confidence),
             m.vs_group if m.vs_group is not None else _get(m.row, "vs_group"),
             m.group_rate if m.group_rate is not None else _get(m.row, "group_rate"))
            for m in measures
        ],
    }
    return _generated(text, inputs)


# --- SPC chart --------------------------------------------------------------------------------------------

_VARIATION_WORDS = {
    COMMON_CAUSE: "common cause variation",
    IMPROVEMENT: "special cause variation showing an improvement",
    CONCERN: "special cause variation showing a concern",
    NEUTRAL_HIGH: "special cause variation, higher than usual",
    NEUTRAL_LOW: "special cause variation, lower than usual",
}


def spc_summary(
    *,
    district_name: str,
    category: object,
    grain: str,
    latest_label: str | None,
    latest_value: float | None,
    variation: str | None,
    rule_text: str | None,
    mean: float | None,
    upper_limit: float | None,
    lower_limit: float | None,
    baseline_from_label: str | None,
    points: int,
    trial_limits: bool,
    suggested_step_change_label: str | None = None,
    provisional: bool = False,
) -> GeneratedText:
    """What an SPC chart shows, in words, for its latest point.

    variation is the MDC point type of the latest point (assessments.statistics.spc);
    rule_text the special-cause rule in words; limits as displayed (lower
    limit clamped at 0). Categories with no judgement never read as an
    improvement or a concern: their special causes are "higher/lower than usual".

    Example: "In March 2024 Maidstone recorded 812 violent crimes. That is
    common cause variation: within the control limits of 640 to 980 around an
    average of 810 a month since April 2021, so it does not signal a change."
    """
    slug, name = category.slug, category.name
    period = "a month" if grain == "month" else "a quarter"
    inputs = {
        "district": district_name, "category": slug, "grain": grain, "latest": latest_label,
        "value": latest_value, "variation": variation, "rule": rule_text, "mean": mean, "upl": upper_limit,
        "lpl": lower_limit, "from": baseline_from_label, "points": points, "trial": trial_limits,
        "suggested": suggested_step_change_label, "provisional": provisional,
    }
    _, plural = category_nouns(slug, name)
    if latest_value is None or latest_label is None or variation in (None, MISSING):
        return _generated(f"There are no figures for {plural} in {district_name} to chart.", inputs)
    sentences = [f"In {latest_label} {district_name} recorded {_counted(latest_value, slug, name)}."]
    limits = ""
    if mean is not None and upper_limit is not None and lower_limit is not None:
        since = f" since {baseline_from_label}" if baseline_from_label else ""
        limits = (
            f"the control limits of {format_count(lower_limit)} to {format_count(upper_limit)} around an average "
            f"of {format_count(mean)} {period}{since}"
        )
    if variation == COMMON_CAUSE:
        if limits:
            sentences.append(f"That is common cause variation: within {limits}, so it does not signal a change.")
        else:
            sentences.append("That is common cause variation, so it does not signal a change.")
    else:
        words = _VARIATION_WORDS.get(variation, "special cause variation")
        because = f": {rule_text[0].lower()}{rule_text[1:]}" if rule_text else ""
        sentences.append(f"That is {words}{because}.")
        if limits:
            sentences.append(f"For comparison, {limits}.")
    if trial_limits:
        sentences.append(
            f"The limits are trial limits: they rest on {points} {'points' if points != 1 else 'point'}, "
            "and need at least 13 to be reliable."
        )
    if suggested_step_change_label:
        sentences.append(
            f"A sustained run starts in {suggested_step_change_label}: a step change from there may describe "
            "the process better, if something changed at that time."
        )
    if provisional:
        sentences.append("The latest figures are provisional and may change.")
    return _generated(" ".join(sentences), inputs)
