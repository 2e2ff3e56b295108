"""Headline figures behind a priority: level, change, county position and a 3-year trend.

Built from one ``assessments.comparison.ComparisonContext`` for the assessment's
data window (so a page makes one comparison, however many priorities it has).
Everything here is pure: the context and the populations frame are passed in.

For a category measured as a share of another (domestic abuse repeat victims
as a percentage of incidents) the headline is the share, and the county
position ranks the shares; for every other category it is the count, with the
county position by rate per residents, as the strategic assessments print it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from assessments.statistics.ranking import competition_ranks, rank_labels
from assessments.statistics.rounding import is_missing, ordinal, round_half_up
from crimedata.aggregation import population_for
from crimedata.periods import Window

LOWER_IS_BETTER = "lower"
HIGHER_IS_BETTER = "higher"


@dataclass(frozen=True)
class TrendPoint:
    window: Window
    value: float | None  # rate per residents, or share in %, for the window; None when missing
    provisional: bool


@dataclass
class Headline:
    """One linked category's headline figures for a district and window."""

    slug: str
    name: str
    unit: str
    polarity: str
    rate_base: int
    count: int | None = None
    previous_count: int | None = None
    change: int | None = None
    change_pct: float | None = None
    direction: str | None = None  # "up", "down", "same" or None when unknown
    rate: float | None = None
    previous_rate: float | None = None
    share: float | None = None  # percentage categories only
    previous_share: float | None = None
    rank: int | None = None
    rank_label: str | None = None
    ranked_of: int = 0
    in_group: bool = True
    provisional: bool = False
    trend: list[TrendPoint] = field(default_factory=list)

    share_of: str | None = None  # the category it is a share of (repeat victims of incidents)

    @property
    def is_share(self) -> bool:
        return self.share_of is not None

    @property
    def missing(self) -> bool:
        return self.count is None

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
    def sparkline(self) -> "Sparkline":
        return sparkline([point.value for point in self.trend])

    @property
    def judgement(self) -> str:
        """'better', 'worse', 'neutral' or 'none': how the change reads given the polarity."""
        if self.direction in (None, "same"):
            return "none" if self.direction is None else "neutral"
        if self.polarity == LOWER_IS_BETTER:
            return "better" if self.direction == "down" else "worse"
        if self.polarity == HIGHER_IS_BETTER:
            return "better" if self.direction == "up" else "worse"
        return "neutral"


def _int(value) -> int | None:
    return None if is_missing(value) else int(value)


def _float(value) -> float | None:
    return None if is_missing(value) else float(value)


def _values(aggregation_values: pd.DataFrame, slug: str, window: int) -> pd.DataFrame:
    frame = aggregation_values
    frame = frame[(frame["category"] == slug) & (frame["window"] == window)]
    return frame.set_index("district")[["value", "provisional"]]


def _share(numerator: pd.DataFrame, denominator: pd.DataFrame, codes: list[str]) -> pd.Series:
    top = numerator["value"].reindex(codes).astype("Float64")
    bottom = denominator["value"].reindex(codes).astype("Float64")
    share = (top / bottom.where(bottom > 0)) * 100
    return share.astype("float64")


def headlines(
    context,
    district_code: str,
    slugs: Iterable[str],
    *,
    populations: pd.DataFrame,
    trend_years: int = 3,
) -> dict[str, Headline]:
    """Headline figures for each category slug (unknown slugs are skipped).

    ``context`` is an assessments.comparison.ComparisonContext whose
    aggregation holds windows [window, year before, two years before, ...]
    (ask for ``trend_windows(window)`` as its extra windows). ``populations``
    is the district/year/population frame (assessments.comparison.cached_populations).
    Returns {slug: Headline}.
    """
    out: dict[str, Headline] = {}
    window = context.window
    codes = [code for code, _ in context.districts]
    in_group = district_code in codes
    values = context.aggregation.values
    windows = [window.shifted(-12 * back) for back in range(trend_years)]
    # The district's own values and denominators, looked up once rather than per category.
    own_rows = values[values["district"] == district_code]
    own = {
        (row.category, int(row.window)): (_int(row.value), bool(row.provisional))
        for row in own_rows.itertuples(index=False)
    }
    denominators = [
        population_for(populations, w, [district_code])["population"].get(district_code) for w in windows
    ]
    for slug in dict.fromkeys(slugs):
        category = context.ref.category(slug)
        if category is None:
            continue
        headline = Headline(
            slug=slug, name=category.name, unit=category.unit, polarity=category.polarity,
            rate_base=category.rate_base, in_group=in_group,
        )
        comparison = context.compare(slug)
        row = comparison.row(district_code)
        if row is None:
            # Outside the comparison group (Medway in "kent"): the district's own values only.
            headline.count, headline.provisional = own.get((slug, 0), (None, False))
            headline.previous_count = own.get((slug, 1), (None, False))[0]
            if headline.count is not None and headline.previous_count is not None:
                headline.change = headline.count - headline.previous_count
                if headline.previous_count > 0:
                    headline.change_pct = headline.change / headline.previous_count * 100
                headline.direction = "up" if headline.change > 0 else "down" if headline.change < 0 else "same"
        else:
            headline.count = _int(row["count"])
            headline.previous_count = _int(row["previous_count"])
            headline.change = _int(row["change"])
            headline.change_pct = _float(row["change_pct"])
            headline.direction = row["direction"]
            headline.rate = _float(row["rate"])
            headline.previous_rate = _float(row["previous_rate"])
            headline.provisional = row["status"] == "provisional"
            headline.rank = _int(row["rank"])
            headline.rank_label = row["rank_label"]
            headline.ranked_of = int(comparison.rows["rank"].notna().sum())

        if category.proportion_of:
            # A share of another category (repeat victims of all incidents) is compared as a share.
            headline.share_of = category.proportion_of
            _fill_share(headline, values, slug, category.proportion_of, codes, district_code)
            headline.trend = _share_trend(own, slug, category.proportion_of, windows)
        else:
            headline.trend = _rate_trend(own, slug, windows, denominators, category.rate_base)
        out[slug] = headline
    return out


def _fill_share(headline: Headline, values, slug, base_slug, codes, district_code) -> None:
    pool = list(dict.fromkeys([*codes, district_code]))
    now = _share(_values(values, slug, 0), _values(values, base_slug, 0), pool)
    before = _share(_values(values, slug, 1), _values(values, base_slug, 1), pool)
    headline.share = _float(now.get(district_code))
    headline.previous_share = _float(before.get(district_code))
    headline.rate = headline.previous_rate = None
    if headline.in_group:
        group = now.reindex(codes)
        ranks = competition_ranks(group.tolist(), polarity=headline.polarity, decimals=1)
        labels = rank_labels(ranks)
        position = codes.index(district_code)
        headline.rank, headline.rank_label = ranks[position], labels[position]
        headline.ranked_of = sum(1 for r in ranks if r is not None)
    else:
        headline.rank, headline.rank_label, headline.ranked_of = None, None, 0


def trend_windows(window: Window, trend_years: int = 3) -> list[Window]:
    """The extra windows a comparison context needs for the trend (beyond the year before)."""
    return [window.shifted(-12 * back) for back in range(2, trend_years)]


def _rate_trend(own, slug, windows, denominators, base) -> list[TrendPoint]:
    """Oldest first: the rate per residents in each window (None where the count or population is missing)."""
    points = []
    for index in reversed(range(len(windows))):
        count, provisional = own.get((slug, index), (None, False))
        population = denominators[index]
        rate = None
        if count is not None and not is_missing(population) and population > 0:
            rate = count / float(population) * base
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


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    segments: list[str]  # SVG polyline "x,y x,y" runs; a missing value breaks the line
    dots: list[tuple[float, float]]


def sparkline(values: list[float | None], width: int = 120, height: int = 32, pad: int = 4) -> Sparkline:
    """Coordinates for a small trend line drawn in SVG (no script, so it prints).

    The y axis spans the values' own range (a sparkline shows shape, not level);
    a flat series is drawn across the middle. The exact values are always
    printed beside it, so nothing is read from the picture alone.
    """
    present = [v for v in values if v is not None]
    segments: list[list[str]] = [[]]
    dots: list[tuple[float, float]] = []
    if present:
        low, high = min(present), max(present)
        span = high - low
        step = (width - 2 * pad) / max(len(values) - 1, 1)
        for i, v in enumerate(values):
            if v is None:
                if segments[-1]:
                    segments.append([])
                continue
            x = round_half_up(pad + i * step, 1)
            y = round_half_up(height / 2 if span == 0 else pad + (high - v) / span * (height - 2 * pad), 1)
            segments[-1].append(f"{x:g},{y:g}")
            dots.append((x, y))
    return Sparkline(width=width, height=height, segments=[" ".join(s) for s in segments if len(s) > 1], dots=dots)
