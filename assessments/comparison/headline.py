"""Headline figures: one district's level, change, county position and trend for a category.

The one headline builder: the district profile's boxes ("All recorded crime
and key themes") and the evidence behind each priority of a strategic
assessment both come from ``headlines``, built from the comparison context
the page already has (so a page makes one comparison, however many headlines
it shows). Pure: no queries.

- The figures are the district's row of the comparison (or, given a
  ``published`` comparison, the row as this reader may see it: hidden counts
  and everything built from them withheld, positions among published rows).
- A district outside the comparison group (Medway among the 12 Kent
  districts) gets its own figures, with no position.
- A category measured as a share of another (domestic abuse repeat victims
  as a percentage of incidents) is headlined, and ranked, as the share.
- With ``populations`` the headline also carries a trend: the same window in
  each of ``trend_years`` years (``assessments.comparison.trend.earlier_years``
  gives the windows the context must hold).

The profile prints a headline in sentences (``level``, ``peer``,
``change_text``); the plan evidence table in figures (``position_text``,
``sparkline``). Both read the same fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from assessments.charts import Sparkline, sparkline
from assessments.comparison.compute import records
from assessments.comparison.context import ComparisonContext
from assessments.comparison.suppression import PublishedComparison, published_row
from assessments.statistics.ranking import competition_ranks, rank_labels
from assessments.wording import change_sentence, count_with_noun, format_rate, judgement, peer_sentence
from crimedata import measures
from crimedata.aggregation import population_for
from crimedata.numbers import is_missing, ordinal
from crimedata.periods import Window
from crimedata.reference import HIGHER_IS_BETTER, LOWER_IS_BETTER
from crimedata.selectors import CategoryInfo

HIDDEN_PEER = "No position: small numbers are not published"
HIDDEN_CHANGE = "Not published: small numbers"


@dataclass(frozen=True)
class TrendPoint:
    window: Window
    value: float | None  # rate per residents, or share in %, for the window; None when missing
    provisional: bool


@dataclass
class Headline:
    """One category's headline figures for a district and window."""

    category: CategoryInfo
    group_name: str
    count: int | None = None
    previous_count: int | None = None
    change: int | None = None
    change_pct: float | None = None
    direction: str | None = None  # "up", "down", "same" or None when unknown
    rate: float | None = None
    previous_rate: float | None = None
    share: float | None = None  # percentage categories only
    previous_share: float | None = None
    share_of: str | None = None  # the category it is a share of (repeat victims of incidents)
    rank: int | None = None  # county position by rate (by share for a share)
    rank_label: str | None = None
    ranked_of: int = 0
    count_rank: int | None = None
    count_rank_label: str | None = None
    previous_rank: int | None = None
    previous_rank_label: str | None = None
    in_group: bool = True
    provisional: bool = False
    trend: list[TrendPoint] = field(default_factory=list)
    # Small-number suppression (assessments.comparison.suppression): "<5" or "*" where a count is hidden.
    count_display: str | None = None
    previous_count_display: str | None = None
    suppressed_in_public: bool = False
    hidden_windows: list[Window] = field(default_factory=list)  # trend windows whose value is withheld
    # assessments.comparison.significance: "significant rise" / "no significant change"; "Similar to Kent".
    significance: str | None = None
    vs_group_text: str | None = None
    vs_group: str | None = None
    commentary: object = None  # the generated (or edited) sentence, set by the page
    edit_url: str | None = None  # where the reader may edit it, when they may

    @property
    def slug(self) -> str:
        return self.category.slug

    @property
    def name(self) -> str:
        return self.category.name

    @property
    def unit(self) -> str:
        return self.category.unit

    @property
    def polarity(self) -> str:
        return self.category.polarity

    @property
    def rate_base(self) -> int:
        return self.category.rate_base

    @property
    def is_share(self) -> bool:
        return self.share_of is not None

    @property
    def missing(self) -> bool:
        return self.count is None

    # --- In sentences (the district profile) ---

    @property
    def level(self) -> str | None:
        """'5,285 crimes'."""
        return count_with_noun(self.count, self.slug, self.category.family)

    @property
    def previous_level(self) -> str | None:
        return count_with_noun(self.previous_count, self.slug, self.category.family)

    @property
    def rate_text(self) -> str | None:
        return format_rate(self.rate)

    @property
    def previous_rate_text(self) -> str | None:
        return format_rate(self.previous_rate)

    @property
    def peer(self) -> str:
        """'Best out of 12 Kent areas (lowest by volume; previously 2nd)'."""
        if self.count_display:
            return HIDDEN_PEER
        return peer_sentence(
            rank=self.rank, rank_label=self.rank_label, ranked=self.ranked_of, group_name=self.group_name,
            polarity=self.polarity, count_rank=self.count_rank, count_rank_label=self.count_rank_label,
            previous_rank=self.previous_rank, previous_rank_label=self.previous_rank_label,
        )

    @property
    def change_text(self) -> str:
        """'An increase of 245 crimes (4.9%)'."""
        if (self.count_display or self.previous_count_display) and self.change is None:
            return HIDDEN_CHANGE
        return change_sentence(self.change, self.change_pct, slug=self.slug, family=self.category.family)

    # --- In figures (the plan evidence table) ---

    @property
    def value_label(self) -> str:
        """What the trend and position are measured by."""
        return "share (%)" if self.is_share else f"rate per {self.rate_base:,} residents"

    @property
    def position_text(self) -> str | None:
        """'3rd of 12 (1st = lowest rate)'; 'not ranked' wording is left to templates."""
        if self.rank is None:
            return None
        place = ordinal(self.rank) + ("=" if self.rank_label and self.rank_label.endswith("=") else "")
        measure = "share" if self.is_share else "rate"
        if self.polarity == HIGHER_IS_BETTER:
            return f"{place} of {self.ranked_of} (1st = highest {measure}, the best)"
        if self.polarity == LOWER_IS_BETTER:
            return f"{place} of {self.ranked_of} (1st = lowest {measure}, the best)"
        # No judgement: an ordering only (a rise in reported domestic abuse is not "worse").
        lowest = "Lowest" if place == "1st" else f"{place} lowest"
        return f"{lowest} {measure} of {self.ranked_of} (neither higher nor lower is judged better)"

    @property
    def sparkline(self) -> Sparkline:
        return sparkline([point.value for point in self.trend])

    @property
    def judgement(self) -> str:
        """'better', 'worse', 'neutral' or 'none': how the change reads given the polarity."""
        if self.direction in (None, "same"):
            return "none" if self.direction is None else "neutral"
        return judgement(self.direction, self.polarity) or "neutral"


def _int(value) -> int | None:
    return None if is_missing(value) else int(value)


def _float(value) -> float | None:
    return None if is_missing(value) else float(value)


def headlines(
    context: ComparisonContext,
    district_code: str,
    slugs: Iterable[str],
    *,
    published: Mapping[str, PublishedComparison] | None = None,
    populations: pd.DataFrame | None = None,
    trend_years: int = 3,
) -> dict[str, Headline]:
    """Headline figures for each category slug, in the order given (unknown slugs are skipped).

    ``published`` maps a slug to its published comparison for this reader
    (assessments.comparison.suppression.published_for): its district row,
    suppressed and with the change test, replaces the comparison's, and
    positions are among the districts with published figures.
    ``populations`` (the district/year/population frame,
    assessments.comparison.context.cached_populations) adds each headline's
    trend over ``trend_years`` years; the context's aggregation must then hold
    windows [window, year before, two years before, ...].
    """
    out: dict[str, Headline] = {}
    table = context.table()
    codes = [code for code, _ in context.districts]
    in_group = district_code in codes
    values = context.aggregation.values
    rows = {row["category"]: row for row in records(table.district_rows(district_code))}
    # The district's own values, looked up once rather than per category.
    own = {
        (row.category, int(row.window)): (_int(row.value), bool(row.provisional))
        for row in values[values["district"] == district_code].itertuples(index=False)
    }
    windows = [context.window.shifted(-12 * back) for back in range(trend_years)]
    denominators = None
    if populations is not None:
        denominators = [
            population_for(populations, w, [district_code])["population"].get(district_code) for w in windows
        ]
    for slug in dict.fromkeys(slugs):
        category = context.ref.category(slug)
        if category is None:
            continue
        headline = Headline(category=category, group_name=context.group.name, in_group=in_group)
        chosen = (published or {}).get(slug)
        if slug in rows and in_group:
            _fill_from_row(headline, published_row(rows[slug], chosen, district_code), table, chosen)
        else:
            _fill_own(headline, own, slug)
        if category.proportion_of:
            # A share of another category (repeat victims of all incidents) is compared as a share.
            headline.share_of = category.proportion_of
            _fill_share(headline, values, slug, category.proportion_of, codes, district_code)
            if denominators is not None:
                headline.trend = _share_trend(own, slug, category.proportion_of, windows)
        elif denominators is not None:
            headline.trend = _rate_trend(own, slug, windows, denominators, category.rate_base)
        out[slug] = headline
    return out


def _fill_from_row(headline: Headline, row: dict, table, published: PublishedComparison | None) -> None:
    headline.count = _int(row["count"])
    headline.previous_count = _int(row["previous_count"])
    headline.change = _int(row["change"])
    headline.change_pct = _float(row["change_pct"])
    headline.direction = row["direction"]
    headline.rate = _float(row["rate"])
    headline.previous_rate = _float(row["previous_rate"])
    headline.provisional = bool(row["provisional"] or row["previous_provisional"])
    headline.rank, headline.rank_label = _int(row["rank_rate"]), row["rank_label_rate"]
    headline.previous_rank, headline.previous_rank_label = _int(row["previous_rank"]), row["previous_rank_label"]
    category_rows = table.category_rows(headline.slug)
    headline.ranked_of = int(category_rows["rank_rate"].notna().sum())
    if published is not None and published.row(row["district"]) is not None:
        headline.ranked_of = published.ranked
        headline.count_display = row.get("count_display")
        headline.previous_count_display = row.get("previous_count_display")
        headline.suppressed_in_public = bool(row.get("suppressed_in_public"))
        headline.significance = row.get("change_significance")
        mine = published.row(row["district"])
        headline.vs_group_text, headline.vs_group = mine.get("vs_group_text"), mine.get("vs_group")
        if published.disclosure.any_suppressed:
            # The position by number would be among every district, hidden ones included.
            return
    headline.count_rank, headline.count_rank_label = _int(row["rank_count"]), row["rank_label_count"]


def _fill_own(headline: Headline, own: dict, slug: str) -> None:
    """Outside the comparison group (Medway in "kent"): the district's own values only, with no position."""
    headline.count, provisional = own.get((slug, 0), (None, False))
    headline.previous_count, previous_provisional = own.get((slug, 1), (None, False))
    headline.provisional = (provisional and headline.count is not None) or (
        previous_provisional and headline.previous_count is not None)
    if headline.count is not None and headline.previous_count is not None:
        headline.change = int(measures.change(headline.count, headline.previous_count))
        headline.change_pct = _float(measures.change_pct(headline.count, headline.previous_count))
        headline.direction = measures.direction(headline.change)


def _values(aggregation_values: pd.DataFrame, slug: str, window: int) -> pd.DataFrame:
    frame = aggregation_values
    frame = frame[(frame["category"] == slug) & (frame["window"] == window)]
    return frame.set_index("district")[["value", "provisional"]]


def _share(numerator: pd.DataFrame, denominator: pd.DataFrame, codes: list[str]) -> pd.Series:
    top = numerator["value"].reindex(codes).astype("Float64")
    bottom = denominator["value"].reindex(codes).astype("Float64")
    share = (top / bottom.where(bottom > 0)) * 100
    return share.astype("float64")


def _fill_share(headline: Headline, values, slug, base_slug, codes, district_code) -> None:
    pool = list(dict.fromkeys([*codes, district_code]))
    now = _share(_values(values, slug, 0), _values(values, base_slug, 0), pool)
    before = _share(_values(values, slug, 1), _values(values, base_slug, 1), pool)
    headline.share = _float(now.get(district_code))
    headline.previous_share = _float(before.get(district_code))
    headline.rate = headline.previous_rate = None
    headline.count_rank = headline.count_rank_label = headline.previous_rank = headline.previous_rank_label = None
    if headline.in_group:
        group = now.reindex(codes)
        ranks = competition_ranks(group.tolist(), polarity=headline.polarity, decimals=1)
        labels = rank_labels(ranks)
        position = codes.index(district_code)
        headline.rank, headline.rank_label = ranks[position], labels[position]
        headline.ranked_of = sum(1 for r in ranks if r is not None)
    else:
        headline.rank, headline.rank_label, headline.ranked_of = None, None, 0


def _rate_trend(own, slug, windows, denominators, base) -> list[TrendPoint]:
    """Oldest first: the rate per residents in each window (None where the count or population is missing)."""
    points = []
    for index in reversed(range(len(windows))):
        count, provisional = own.get((slug, index), (None, False))
        population = denominators[index]
        rate = None
        if count is not None and not is_missing(population):
            rate = _float(measures.rate(count, float(population), base))
        points.append(TrendPoint(window=windows[index], value=rate, provisional=provisional and count is not None))
    return points


def _share_trend(own, slug, base_slug, windows) -> list[TrendPoint]:
    points = []
    for index in reversed(range(len(windows))):
        count, provisional = own.get((slug, index), (None, False))
        base, base_provisional = own.get((base_slug, index), (None, False))
        value = None if count is None or not base else count / base * 100
        points.append(TrendPoint(window=windows[index], value=value,
                                 provisional=value is not None and (provisional or base_provisional)))
    return points
