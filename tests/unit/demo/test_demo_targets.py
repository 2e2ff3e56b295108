"""Every reproduced published figure comes out exactly; every skipped one says why."""

from __future__ import annotations

import numpy as np
import pytest

from crimedata import reference
from demo import generate, published
from demo.published import (ASH, DATA_END, DATA_START, DOCUMENTS, MAI, POPULATION, REPRODUCED,
                                      SKIPPED, TARGETS, TUN, cal, fy, span)

FIGURES = published.reproduced()


def test_the_table_is_substantial():
    # 5 documents, several hundred figures: a shrinking table means figures were dropped.
    assert len(FIGURES) >= 380
    assert len(published.skipped()) >= 250
    assert {t.source for t in TARGETS} == set(DOCUMENTS)


@pytest.mark.parametrize("target", FIGURES, ids=[t.ref for t in FIGURES])
def test_reproduced_figure_holds(demo, target):
    value = demo.total(target.districts, target.category, target.start, target.end)
    if target.change_from:
        value -= demo.total(target.districts, target.category, *target.change_from)
    if target.is_range:
        assert target.low <= value <= target.high
    else:
        assert value == target.value


def test_every_record_is_well_formed():
    refs = [t.ref for t in TARGETS]
    assert len(refs) == len(set(refs))
    for t in TARGETS:
        assert t.status in (REPRODUCED, SKIPPED)
        assert t.source in DOCUMENTS and t.section, t.ref
        assert t.districts and all(d in reference.DISTRICT_BY_CODE for d in t.districts), t.ref
        assert t.category is None or t.category == POPULATION or t.category in reference.CATEGORY_BY_SLUG, t.ref
        assert t.start <= t.end
        if t.status == SKIPPED:
            assert len(t.reason) > 20, f"{t.ref} is skipped without a reason"


def test_reproduced_figures_are_reproducible_in_principle():
    for t in FIGURES:
        assert DATA_START <= t.start and t.end <= DATA_END, t.ref
        assert isinstance(t.value, int), t.ref
        grains = {reference.CATEGORY_BY_SLUG[leaf].grain for leaf in t.leaves}
        if reference.GRAIN_QUARTER in grains:
            assert t.start % 3 == 0 and t.end % 3 == 2, f"{t.ref}: not whole financial-year quarters"


def test_figures_before_april_2012_are_skipped_with_that_reason():
    early = [t for t in TARGETS if t.start < DATA_START and t.category != POPULATION]
    assert early
    for t in early:
        assert t.status == SKIPPED
    assert any("April 2012" in t.reason for t in early)


def _find(**kw):
    return [t for t in TARGETS if all(getattr(t, k) == v for k, v in kw.items())]


def test_conflicts_are_resolved_one_way_and_recorded():
    tw_year = span(2015, 10, 2016, 9)
    # Tunbridge Wells robbery: table 26 kept (it makes violent crime 1,914), headline 25 recorded as skipped.
    (robbery26,) = _find(district=TUN, category="robbery", start=tw_year[0], value=26)
    (robbery25,) = _find(district=TUN, category="robbery", start=tw_year[0], value=25)
    assert robbery26.reproduced and not robbery25.reproduced and "1,914" in robbery25.reason
    # Tunbridge Wells domestic abuse April-November: printed columns swapped.
    for start, value, status in ((span(2015, 4, 2015, 11), 916, REPRODUCED), (span(2016, 4, 2016, 11), 983, REPRODUCED),
                                 (span(2016, 4, 2016, 11), 916, SKIPPED), (span(2015, 4, 2015, 11), 983, SKIPPED)):
        (t,) = _find(district=TUN, category="domestic-abuse-incidents", start=start[0], end=start[1], value=value)
        assert t.status == status
    # Ashford ASB 2014/15: Kent Police 1,207 kept, police.uk 1,250 skipped.
    assert _find(district=ASH, category="asb-incidents", start=fy(2014)[0], value=1207)[0].reproduced
    assert not _find(district=ASH, category="asb-incidents", start=fy(2014)[0], value=1250)[0].reproduced
    # Maidstone violent crime 2015: the printed 2,964 does not add up with its leaves.
    (maid,) = _find(district=MAI, category="violent-crime", start=span(2014, 11, 2015, 10)[0], value=2964)
    assert not maid.reproduced and "2,966" in maid.reason
    # The KCC total that is not the sum of its rows is skipped; the rows are reproduced.
    (kcc,) = _find(area="KCC Total", category="all-crime", measure=published.COUNT)
    assert not kcc.reproduced
    (dg,) = _find(area="Dartford & Gravesham", category="all-crime", measure=published.COUNT)
    assert dg.reproduced and len(dg.districts) == 2


def test_published_headlines(demo):
    """A few figures spelled out, so a reader sees the point of the table."""
    tw = span(2015, 10, 2016, 9)
    assert demo.total(TUN, "all-crime", *tw) == 5285
    assert demo.total(TUN, "all-crime", *span(2014, 10, 2015, 9)) == 5040
    assert demo.total(MAI, "all-crime", *span(2015, 11, 2016, 10)) == 10271
    assert demo.total(MAI, "violent-crime", *span(2014, 11, 2015, 10)) == 2966  # 2,665 + 222 + 79
    assert demo.total(TUN, "all-crime", *cal(2018)) == 8953
    assert demo.total((published.DAR, published.GRA), "all-crime", *fy(2015)) == 15650
    assert demo.total(ASH, "robbery", *fy(2012)) == 1489 - 1327 - 113
    assert demo.total(published.ALL13, "one-stop-shop-visitors", *published.jul_jun(2015)) == 3173


def test_monthly_ceilings_hold(demo):
    for c in published.MONTHLY_CEILINGS:
        starts, _, values = demo.series[(c.district, c.category)]
        inside = (starts >= c.start) & (starts <= c.end) & ~np.isin(starts, c.except_months)
        assert values[inside].max() <= c.maximum
        for month in c.except_months:
            assert values[starts == month].max() > c.maximum


def test_demo_anchors_hold_and_are_explained(demo):
    for a in generate.DEMO_ANCHORS:
        assert demo.total(a.district, a.category, *a.window) == a.value
        assert len(a.why) > 30


def test_group_figures_are_shared_out_only_where_needed(demo):
    shares = demo.result.shares
    dg = [s for s in shares if s.category == "all-crime" and s.start == fy(2015)[0]]
    assert {s.district for s in dg} == {published.DAR, published.GRA}
    assert sum(s.low for s in dg) == 15650
    # Every district share is positive and realistic (no district is given almost nothing).
    for s in shares:
        assert s.low > 0
