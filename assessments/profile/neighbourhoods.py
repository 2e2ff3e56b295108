"""Top neighbourhoods (LSOAs) and top wards in a district, from police.uk street-level counts.

``neighbourhood_report`` is the selector (three small queries, each bounded
by the number of neighbourhoods in one district, whatever the months stored);
the ranking and shares are pure functions over DataFrames. The district
profile's "Top neighbourhoods" section and the district's neighbourhoods page
(``neighbourhoods_page``) include ``templates/crimedata/policeuk/_top_neighbourhoods.html``
with the report this returns.

police.uk moves every crime to the nearest of its anonymous map points
(docs/methods.md §4), so counts are only presented for whole neighbourhoods,
wards and districts, never for points. Wards come from the loaded LSOA
lookup (whole neighbourhoods, best fit); a neighbourhood missing from it is
shown as having no ward, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.db.models import Max, Sum

from assessments.statistics.ranking import competition_ranks, rank_labels
from crimedata import reference
from crimedata.models import Figure, LsoaFigure, LsoaLookup
from crimedata.numbers import round_half_up
from crimedata.periods import MAX_MONTHS, Window, month_label, month_start
from crimedata.reference import HIGHER_IS_BETTER
from crimedata.selectors import CategoryInfo, DistrictInfo, ReferenceData

DEFAULT_TOP = 10
POLICEUK_FAMILY = "policeuk"

# How far the lookup takes the district's neighbourhoods to wards.
WARDS_OK = "ok"
WARDS_NO_LOOKUP = "no-lookup"  # none of the neighbourhoods is in a loaded lookup
WARDS_NOT_IN_LOOKUP = "no-wards"  # the lookup gives districts only (such as the 2011 file)


@dataclass(frozen=True)
class RankedRow:
    """One neighbourhood or ward: its place (1 = most records), count and share of the district."""

    rank: int
    rank_label: str
    code: str
    name: str
    count: int
    share: float | None  # percentage of the district's total, 1 d.p.; None when the total is 0
    ward: str = ""  # a neighbourhood's ward, when the lookup gives one
    neighbourhoods: int = 0  # for a ward: how many of its neighbourhoods had records


@dataclass(frozen=True)
class Remainder:
    """Everything below the top rows, so the table still adds up to the district.

    ``sharing`` of these areas share ``shared_place`` with the last row shown:
    the cut falls inside a shared place, and the page says so.
    """

    areas: int
    count: int
    share: float | None
    shared_place: str | None = None
    sharing: int = 0


@dataclass
class NeighbourhoodReport:
    district: DistrictInfo
    category: CategoryInfo
    window: Window | None
    loaded_months: list[int]
    missing_months: list[int] = field(default_factory=list)
    total: int | None = None
    neighbourhoods: list[RankedRow] = field(default_factory=list)
    other_neighbourhoods: Remainder | None = None
    neighbourhoods_with_records: int = 0
    wards: list[RankedRow] = field(default_factory=list)
    other_wards: Remainder | None = None
    ward_status: str = WARDS_NO_LOOKUP
    no_ward: Remainder | None = None  # neighbourhoods the lookup does not place in a ward
    top: int = DEFAULT_TOP

    @property
    def wards_available(self) -> bool:
        return self.ward_status == WARDS_OK

    @property
    def lookup_has_no_wards(self) -> bool:
        return self.ward_status == WARDS_NOT_IN_LOOKUP

    @property
    def missing_text(self) -> str:
        return describe_months(self.missing_months)

    @property
    def loaded_text(self) -> str:
        return describe_months(self.loaded_months)

    @property
    def available(self) -> bool:
        """True when every month of the window is loaded: a partial window is never summed."""
        return self.window is not None and not self.missing_months and self.total is not None


# --- Pure computations -------------------------------------------------------------------------


def describe_months(months) -> str:
    """'January 2024 to April 2024, June 2024': runs of months, gaps shown as separate runs."""
    runs: list[list[int]] = []
    for m in sorted(set(months)):
        if runs and m == runs[-1][1] + 1:
            runs[-1][1] = m
        else:
            runs.append([m, m])
    if not runs:
        return "none"
    return ", ".join(month_label(a) if a == b else f"{month_label(a)} to {month_label(b)}" for a, b in runs)


def missing_months(window: Window, loaded: list[int]) -> list[int]:
    have = set(loaded)
    return [m for m in range(window.start, window.end + 1) if m not in have]


def default_window(loaded: list[int], end: int | None = None, months: int | None = None) -> Window | None:
    """The window a page opens on: ending at the latest loaded month (or ``end``), 12 months long
    when all 12 are loaded, otherwise the unbroken run of loaded months ending there."""
    if not loaded:
        return None
    end = loaded[-1] if end is None else end
    if months is None:
        have = set(loaded)
        months = 0
        while months < MAX_MONTHS and end - months in have:
            months += 1
        months = max(months, 1)
    return Window.ending(end, months)


def _share(count: int, total: int) -> float | None:
    return round_half_up(count / total * 100, 1) if total else None


def rank_areas(frame: pd.DataFrame, total: int, top: int) -> tuple[list[RankedRow], Remainder | None]:
    """Rank areas by count, most first, ties sharing a place ("3="); keep the first ``top``.

    ``frame`` has columns code, name, count (and optionally ward, neighbourhoods).
    Tied areas are listed by name. The rest are summed into a remainder row,
    which also says how many of them share the last place shown: with small
    counts dozens of neighbourhoods can tie, and listing them all would not be
    a "top 10".
    """
    if frame.empty:
        return [], None
    frame = frame.sort_values(["count", "name"], ascending=[False, True]).reset_index(drop=True)
    # "higher" only orders the places (most records first); it is not a judgement.
    ranks = competition_ranks(frame["count"].tolist(), polarity=HIGHER_IS_BETTER, decimals=None)
    labels = rank_labels(ranks)
    rows = []
    for position, record in enumerate(frame.itertuples(index=False)):
        if position == top:
            break
        rows.append(RankedRow(
            rank=ranks[position], rank_label=labels[position], code=record.code, name=record.name,
            count=int(record.count), share=_share(int(record.count), total),
            ward=getattr(record, "ward", "") or "", neighbourhoods=int(getattr(record, "neighbourhoods", 0) or 0),
        ))
    rest = frame.iloc[len(rows):]
    remainder = None
    if not rest.empty:
        rest_count = int(rest["count"].sum())
        sharing = sum(1 for r in ranks[len(rows):] if r == rows[-1].rank)
        remainder = Remainder(
            areas=len(rest), count=rest_count, share=_share(rest_count, total),
            shared_place=rows[-1].rank_label if sharing else None, sharing=sharing,
        )
    return rows, remainder


def ward_frame(per_lsoa: pd.DataFrame, lookup: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sum neighbourhoods into wards. Returns (wards: code, name, count, neighbourhoods;
    neighbourhoods with no ward in the lookup: code, name, count)."""
    merged = per_lsoa.merge(lookup, how="left", left_on="code", right_on="lsoa_code")
    has_ward = merged["ward_code"].fillna("") != ""
    wards = (
        merged[has_ward].groupby("ward_code")
        .agg(name=("ward_name", "first"), count=("count", "sum"), neighbourhoods=("code", "nunique"))
        .reset_index().rename(columns={"ward_code": "code"})
    )
    return wards, merged.loc[~has_ward, ["code", "name", "count"]]


# --- Selector ------------------------------------------------------------------------------------


def policeuk_categories(ref: ReferenceData) -> list[CategoryInfo]:
    """The police.uk family in the order pages list it: the total, its crime types, then ASB."""
    return ref.in_tree_order([c.slug for c in ref.family(POLICEUK_FAMILY)])


def leaf_ids(ref: ReferenceData, slug: str) -> list[int]:
    """The stored categories that add up to ``slug`` (itself when it has no parts)."""
    tree = ref.tree()
    slugs = [s for s in [slug, *tree.descendants(slug)] if not tree.additive_children(s)]
    return [ref.category(s).id for s in slugs]


def loaded_months(ref: ReferenceData, district: DistrictInfo) -> list[int]:
    """Months whose police.uk extract has been imported for the district (one indexed query).

    Every import stores a figure (0 or more) for every district and crime
    type, so one crime type's figures say which months are loaded.
    """
    marker = ref.category(reference.POLICEUK_TYPES[0][1])
    if marker is None:
        return []
    days = (
        Figure.objects.filter(category_id=marker.id, district_id=district.id, source=Figure.SOURCE_POLICEUK)
        .values_list("period_start", flat=True).order_by("period_start")
    )
    return sorted({d.year * 12 + d.month - 1 for d in days})


def neighbourhood_report(
    ref: ReferenceData,
    district: DistrictInfo,
    category: CategoryInfo,
    window: Window | None,
    *,
    top: int = DEFAULT_TOP,
    loaded: list[int] | None = None,
) -> NeighbourhoodReport:
    """Top neighbourhoods and wards for a district, police.uk category and window.

    At most three queries: the loaded months (unless given), the counts per
    neighbourhood (one row per LSOA in the district) and the lookup rows for
    those neighbourhoods.
    """
    if loaded is None:
        loaded = loaded_months(ref, district)
    report = NeighbourhoodReport(district=district, category=category, window=window, loaded_months=loaded, top=top)
    if window is None:
        return report
    report.missing_months = missing_months(window, loaded)
    if report.missing_months:
        return report
    rows = list(
        LsoaFigure.objects.filter(
            district_id=district.id, category_id__in=leaf_ids(ref, category.slug),
            month__gte=month_start(window.start), month__lte=month_start(window.end),
        ).values("lsoa_code").annotate(count=Sum("value"), name=Max("lsoa_name")).order_by()
    )
    per_lsoa = pd.DataFrame(
        {"code": [r["lsoa_code"] for r in rows], "name": [r["name"] for r in rows],
         "count": pd.array([r["count"] for r in rows], dtype="int64")}
    )
    per_lsoa = per_lsoa[per_lsoa["count"] > 0]
    report.total = int(per_lsoa["count"].sum())
    report.neighbourhoods_with_records = len(per_lsoa)
    lookup = pd.DataFrame(
        list(LsoaLookup.objects.filter(lsoa_code__in=per_lsoa["code"].tolist())
             .values_list("lsoa_code", "ward_code", "ward_name")) if len(per_lsoa) else [],
        columns=["lsoa_code", "ward_code", "ward_name"],
    )
    wards_of = dict(zip(lookup["lsoa_code"], lookup["ward_name"]))
    report.neighbourhoods, report.other_neighbourhoods = rank_areas(
        per_lsoa.assign(ward=[wards_of.get(code, "") for code in per_lsoa["code"]]), report.total, top
    )
    if lookup.empty:
        report.ward_status = WARDS_NO_LOOKUP
    elif (lookup["ward_code"] == "").all():
        report.ward_status = WARDS_NOT_IN_LOOKUP
    else:
        report.ward_status = WARDS_OK
        wards, no_ward = ward_frame(per_lsoa, lookup)
        report.wards, report.other_wards = rank_areas(wards, report.total, top)
        if not no_ward.empty:
            count = int(no_ward["count"].sum())
            report.no_ward = Remainder(areas=len(no_ward), count=count, share=_share(count, report.total))
    return report
