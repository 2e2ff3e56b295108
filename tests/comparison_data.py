"""Test data for the comparison pages: small hand-made figures and the Kent demo numbers.

``load_demo`` writes every figure through the audited service (history rows
and all), which is right for a real load and too slow for tests. These helpers
bulk-insert the same rows straight into the tables; the demo frames are
generated once per test session (they are pure and deterministic).
"""

from __future__ import annotations

import datetime as dt
import functools

from crimedata.models import Category, District, Figure, Population
from crimedata.periods import month_end, parse_month
from crimedata.services import bump_data_generation

MAIDSTONE = "E07000110"
TUNBRIDGE_WELLS = "E07000116"
ASHFORD = "E07000105"
CANTERBURY = "E07000106"
MEDWAY = "E06000035"


@functools.lru_cache(maxsize=1)
def demo_frames():
    """(figures, populations) of the Kent demo dataset, generated once per session."""
    from demo.generate import generate_figures, generate_populations

    return generate_figures(), generate_populations()


def _ids():
    return (
        dict(District.objects.values_list("code", "id")),
        dict(Category.objects.values_list("slug", "id")),
    )


def load_demo_subset(first: str = "2012-04", last: str = "2024-03", categories=None) -> int:
    """Bulk-insert the demo figures starting from ``first`` to ``last`` (YYYY-MM) and every population.

    Returns the number of figures written.
    """
    figures, populations = demo_frames()
    districts, slugs = _ids()
    start, end = parse_month(first), parse_month(last)
    Population.objects.bulk_create(
        Population(district_id=districts[r.district], year=int(r.year), population=int(r.population), source=r.source)
        for r in populations.itertuples(index=False)
    )
    rows = []
    for r in figures.itertuples(index=False):
        s = r.period_start.year * 12 + r.period_start.month - 1
        e = r.period_end.year * 12 + r.period_end.month - 1
        if s < start or e > end or (categories is not None and r.category not in categories):
            continue
        rows.append(
            Figure(
                district_id=districts[r.district], category_id=slugs[r.category], period_start=r.period_start,
                period_end=r.period_end, value=int(r.value), status=r.status, source=Figure.SOURCE_DEMO,
            )
        )
    Figure.objects.bulk_create(rows, batch_size=2000)
    bump_data_generation()
    return len(rows)


def add_populations(year_from: int = 2010, year_to: int = 2024, codes=None, base: int = 100_000) -> None:
    districts, _ = _ids()
    codes = codes or list(districts)
    Population.objects.bulk_create(
        Population(district_id=districts[code], year=year, population=base + 1000 * i, source="Test estimate")
        for i, code in enumerate(sorted(codes))
        for year in range(year_from, year_to + 1)
    )


def add_monthly(codes, slugs, first: str, last: str, value=lambda code, slug, month: 10, status="final") -> None:
    """Monthly figures for every (district, category, month) from ``first`` to ``last`` (YYYY-MM)."""
    districts, categories = _ids()
    rows = []
    for month in range(parse_month(first), parse_month(last) + 1):
        start = dt.date(month // 12, month % 12 + 1, 1)
        for code in codes:
            for slug in slugs:
                number = value(code, slug, month)
                if number is None:
                    continue
                rows.append(
                    Figure(
                        district_id=districts[code], category_id=categories[slug], period_start=start,
                        period_end=month_end(month), value=number,
                        status=status(code, slug, month) if callable(status) else status,
                        source=Figure.SOURCE_COMMAND,
                    )
                )
    Figure.objects.bulk_create(rows, batch_size=2000)
    bump_data_generation()


def add_twelve_months(code: str, slug: str, end: str, value: int, status: str = "final") -> None:
    """One figure covering the 12 months ending ``end``."""
    districts, categories = _ids()
    last = parse_month(end)
    first = last - 11
    Figure.objects.create(
        district_id=districts[code], category_id=categories[slug],
        period_start=dt.date(first // 12, first % 12 + 1, 1), period_end=month_end(last), value=value, status=status,
        source=Figure.SOURCE_COMMAND,
    )
    bump_data_generation()


def reference_snapshot():
    """ReferenceData built from crimedata.reference, without a database (for unit tests)."""
    from crimedata import reference
    from crimedata.selectors import CategoryInfo, DistrictInfo, GroupInfo, ReferenceData

    districts = tuple(
        DistrictInfo(id=i, code=d.code, name=d.name, slug=d.slug, former_names=d.former_names,
                     police_division=d.police_division, in_kcc_area=d.in_kcc_area)
        for i, d in enumerate(sorted(reference.DISTRICTS, key=lambda d: d.name), start=1)
    )
    categories = tuple(
        CategoryInfo(id=i, slug=c.slug, name=c.name, short_name=c.short_name, parent=c.parent, family=c.family,
                     unit=c.unit, rate_base=c.rate_base, polarity=c.polarity, adds_to_parent=c.adds_to_parent,
                     suppress_below=c.suppress_below, source=c.source, definition=c.definition, entry=c.entry,
                     grain=c.grain, proportion_of=c.proportion_of, display_order=i)
        for i, c in enumerate(reference.CATEGORIES, start=1)
    )
    groups = tuple(
        GroupInfo(id=i, slug=g.slug, name=g.name, description=g.description,
                  district_codes=tuple(sorted(g.district_codes)))
        for i, g in enumerate(reference.GROUPS, start=1)
    )
    return ReferenceData(districts=districts, categories=categories, groups=groups)
