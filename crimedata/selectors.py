"""Reads: reference data and figures as DataFrames, in as few queries as possible.

Every page fetches what it needs through these functions. Figures come back in
one query as a DataFrame (columns in crimedata.aggregation.FIGURE_COLUMNS) so
that computations run in pandas, not in per-row ORM calls.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db.models import Q

from crimedata.aggregation import CategoryTree, empty_figures
from crimedata.models import Category, ComparisonGroup, DataGeneration, District, Figure, Population


def data_generation() -> int:
    """The current data generation number (one query); part of every cache key."""
    row = DataGeneration.objects.filter(pk=1).values_list("number", flat=True).first()
    return int(row or 0)


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    slug: str
    name: str
    short_name: str
    parent: str | None
    family: str
    unit: str
    rate_base: int
    polarity: str
    adds_to_parent: bool
    suppress_below: int | None
    source: str
    definition: str
    entry: str
    grain: str
    proportion_of: str | None
    display_order: int

    @property
    def label(self) -> str:
        return self.name


@dataclass(frozen=True)
class DistrictInfo:
    id: int
    code: str
    name: str
    slug: str
    former_names: tuple[str, ...]
    police_division: str
    in_kcc_area: bool


@dataclass(frozen=True)
class GroupInfo:
    id: int
    slug: str
    name: str
    description: str
    district_codes: tuple[str, ...]


@dataclass(frozen=True)
class ReferenceData:
    """Districts, categories and groups: a snapshot read in three queries.

    Cached per data generation, so pages rarely read it from the database.
    """

    districts: tuple[DistrictInfo, ...]
    categories: tuple[CategoryInfo, ...]
    groups: tuple[GroupInfo, ...]
    _by_code: dict = field(init=False, repr=False, compare=False)
    _by_slug: dict = field(init=False, repr=False, compare=False)
    _groups_by_slug: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {d.code: d for d in self.districts})
        object.__setattr__(self, "_by_slug", {c.slug: c for c in self.categories})
        object.__setattr__(self, "_groups_by_slug", {g.slug: g for g in self.groups})

    def district(self, code: str) -> DistrictInfo | None:
        return self._by_code.get(code)

    def category(self, slug: str) -> CategoryInfo | None:
        return self._by_slug.get(slug)

    def group(self, slug: str) -> GroupInfo | None:
        return self._groups_by_slug.get(slug)

    def children(self, slug: str) -> list[CategoryInfo]:
        return [c for c in self.categories if c.parent == slug]

    def tree(self) -> CategoryTree:
        return CategoryTree.from_records((c.slug, c.parent, c.adds_to_parent) for c in self.categories)

    def family(self, family: str) -> list[CategoryInfo]:
        return [c for c in self.categories if c.family == family]

    def in_tree_order(self, slugs: Iterable[str] | None = None) -> list[CategoryInfo]:
        """Categories ordered as the published crime-type tables list them: parent, then children."""
        wanted = set(slugs) if slugs is not None else None
        ordered: list[CategoryInfo] = []

        def visit(node: CategoryInfo) -> None:
            if wanted is None or node.slug in wanted:
                ordered.append(node)
            for child in sorted(self.children(node.slug), key=lambda c: c.display_order):
                visit(child)

        for root in sorted((c for c in self.categories if c.parent is None), key=lambda c: c.display_order):
            visit(root)
        return ordered

    def depth(self, slug: str) -> int:
        depth, node = 0, self.category(slug)
        while node is not None and node.parent is not None:
            depth, node = depth + 1, self.category(node.parent)
        return depth


def _load_reference() -> ReferenceData:
    category_rows = list(
        Category.objects.values(
            "id", "slug", "name", "short_name", "parent__slug", "family", "unit", "rate_base", "polarity",
            "adds_to_parent", "suppress_below", "source", "definition", "entry", "grain", "proportion_of__slug",
            "display_order",
        )
    )
    categories = tuple(
        CategoryInfo(
            id=r["id"], slug=r["slug"], name=r["name"], short_name=r["short_name"], parent=r["parent__slug"],
            family=r["family"], unit=r["unit"], rate_base=r["rate_base"], polarity=r["polarity"],
            adds_to_parent=r["adds_to_parent"], suppress_below=r["suppress_below"], source=r["source"],
            definition=r["definition"], entry=r["entry"], grain=r["grain"], proportion_of=r["proportion_of__slug"],
            display_order=r["display_order"],
        )
        for r in sorted(category_rows, key=lambda r: (r["display_order"], r["name"]))
    )
    districts = tuple(
        DistrictInfo(
            id=d.id, code=d.code, name=d.name, slug=d.slug, former_names=tuple(d.former_name_list),
            police_division=d.police_division, in_kcc_area=d.in_kcc_area,
        )
        for d in District.objects.order_by("name")
    )
    # Groups and their members in one LEFT JOIN: a group with no districts yet
    # still comes back, once, with a NULL code.
    groups_by_id: dict[int, dict] = {}
    for row in ComparisonGroup.objects.order_by("-built_in", "name").values(
        "id", "slug", "name", "description", "districts__code"
    ):
        group = groups_by_id.setdefault(row["id"], {**row, "codes": []})
        if row["districts__code"]:
            group["codes"].append(row["districts__code"])
    groups = tuple(
        GroupInfo(id=g["id"], slug=g["slug"], name=g["name"], description=g["description"],
                  district_codes=tuple(sorted(g["codes"])))
        for g in groups_by_id.values()
    )
    return ReferenceData(districts=districts, categories=categories, groups=groups)


def reference_data(generation: int | None = None) -> ReferenceData:
    """The reference snapshot for this data generation (cached; 0 queries when warm)."""
    if generation is None:
        generation = data_generation()
    key = f"reference:v1:{generation}"
    ref = cache.get(key)
    if ref is None:
        ref = _load_reference()
        cache.set(key, ref, 60 * 60)
    return ref


def _month_indexes(dates: Iterable[dt.date]) -> np.ndarray:
    return np.fromiter((d.year * 12 + d.month - 1 for d in dates), dtype=np.int64)


def figures_frame(
    ref: ReferenceData,
    *,
    categories: Iterable[str] | None = None,
    districts: Iterable[str] | None = None,
    first_month: int | None = None,
    last_month: int | None = None,
    include_provisional: bool = True,
    history_for: str | None = None,
) -> pd.DataFrame:
    """Stored figures in one query, as a frame with FIGURE_COLUMNS.

    ``first_month``/``last_month`` (month indexes) keep only figures lying
    wholly inside that range. With ``include_provisional=False`` provisional
    figures are left out entirely, so nothing derived from them can reach the
    public (a window depending on one is then missing, not understated).
    ``history_for`` (a district code) also reads that district's figures from
    before ``first_month``, in the same query: the district profile's SPC
    charts need its whole history, the rest of the page only recent months.
    """
    qs = Figure.objects.all()
    if categories is not None:
        ids = [ref.category(s).id for s in categories if ref.category(s)]
        qs = qs.filter(category_id__in=ids)
    if districts is not None:
        ids = [ref.district(c).id for c in districts if ref.district(c)]
        qs = qs.filter(district_id__in=ids)
    if first_month is not None:
        span = Q(period_start__gte=dt.date(first_month // 12, first_month % 12 + 1, 1))
        history = ref.district(history_for) if history_for is not None else None
        qs = qs.filter(span | Q(district_id=history.id) if history is not None else span)
    if last_month is not None:
        qs = qs.filter(period_start__lte=dt.date(last_month // 12, last_month % 12 + 1, 1))
    if not include_provisional:
        qs = qs.filter(status=Figure.STATUS_FINAL)
    rows = list(qs.values_list("district_id", "category_id", "period_start", "period_end", "value", "status"))
    if not rows:
        return empty_figures()
    district_ids, category_ids, starts, ends, values, statuses = zip(*rows)
    code_of = {d.id: d.code for d in ref.districts}
    slug_of = {c.id: c.slug for c in ref.categories}
    frame = pd.DataFrame(
        {
            "district": [code_of[i] for i in district_ids],
            "category": [slug_of[i] for i in category_ids],
            "start": _month_indexes(starts),
            "end": _month_indexes(ends),
            "value": np.asarray(values, dtype=np.int64),
            "provisional": np.asarray(statuses) == Figure.STATUS_PROVISIONAL,
        }
    )
    if last_month is not None:
        frame = frame[frame["end"] <= last_month].reset_index(drop=True)
    return frame


def populations_frame(ref: ReferenceData) -> pd.DataFrame:
    """Every population estimate (one query): columns district (code), year, population, source."""
    code_of = {d.id: d.code for d in ref.districts}
    rows = list(Population.objects.values_list("district_id", "year", "population", "source"))
    return pd.DataFrame(
        [(code_of[d], y, p, s) for d, y, p, s in rows], columns=["district", "year", "population", "source"]
    ).astype({"year": "int64", "population": "int64"})


def months_with_data(*, include_provisional: bool = True) -> tuple[int | None, int | None]:
    """The first and last month any figure covers (one query), as month indexes."""
    from django.db.models import Max, Min

    qs = Figure.objects.all()
    if not include_provisional:
        qs = qs.filter(status=Figure.STATUS_FINAL)
    bounds = qs.aggregate(first=Min("period_start"), last=Max("period_end"))
    if bounds["first"] is None:
        return None, None
    return (
        bounds["first"].year * 12 + bounds["first"].month - 1,
        bounds["last"].year * 12 + bounds["last"].month - 1,
    )
