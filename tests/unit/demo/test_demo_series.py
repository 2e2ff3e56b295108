"""Shape, completeness, determinism and realism of generate_figures()."""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
import pandas as pd

from crimedata import reference
from demo.generate import generate_figures
from demo.published import (ALL13, DATA_END, DATA_START, DAR, GRA, KCC12, MED, OSS_SERVICE, SEV,
                                      SWA, THA, TMA, TUN, fy, mi)
from crimedata.periods import month_index

COLUMNS = ["district", "category", "period_start", "period_end", "value", "status"]
QUARTERLY = {c.slug for c in reference.CATEGORIES if c.grain == reference.GRAIN_QUARTER}


def test_columns_and_types(demo):
    f = demo.frame
    assert list(f.columns) == COLUMNS
    assert f["value"].dtype == np.int64
    assert (f["value"] >= 0).all()
    assert all(type(d) is dt.date for d in f["period_start"].head(50))
    assert all(type(d) is dt.date for d in f["period_end"].head(50))
    assert set(f["district"]) == {d.code for d in reference.DISTRICTS}
    assert set(f["category"]) == set(reference.leaf_slugs())
    assert not f.duplicated(["district", "category", "period_start"]).any()


def test_periods_are_months_or_financial_year_quarters(demo):
    f = demo.frame
    assert all(d.day == 1 for d in f["period_start"])
    assert all(d.day == calendar.monthrange(d.year, d.month)[1] for d in f["period_end"])
    start = f["period_start"].map(month_index)
    end = f["period_end"].map(month_index)
    quarterly = f["category"].isin(QUARTERLY)
    assert ((end - start)[~quarterly] == 0).all()
    assert ((end - start)[quarterly] == 2).all()
    assert (start[quarterly] % 3 == 0).all()  # April, July, October, January
    assert start.min() == DATA_START and end.max() == DATA_END


def test_status_final_until_december_2023(demo):
    f = demo.frame
    provisional = f["period_end"] >= dt.date(2024, 1, 1)
    assert (f.loc[provisional, "status"] == "provisional").all()
    assert (f.loc[~provisional, "status"] == "final").all()
    assert provisional.any()


def _expected_periods(district: str, category: str) -> list[int]:
    if category in QUARTERLY:
        periods = list(range(DATA_START, DATA_END + 1, 3))
    else:
        periods = list(range(DATA_START, DATA_END + 1))
    if category == "one-stop-shop-visitors" and district in OSS_SERVICE:
        s = OSS_SERVICE[district]
        periods = [p for p in periods if p <= s.end and p + 2 >= s.start]
    return periods


def test_every_series_is_complete_except_the_documented_gaps(demo):
    for d in reference.DISTRICTS:
        for c in reference.leaf_slugs():
            starts, _, _ = demo.series[(d.code, c)]
            assert list(starts) == _expected_periods(d.code, c), (d.name, c)


def test_one_stop_shop_gaps_are_absent_not_zero(demo):
    # Tunbridge Wells: November 2014 to April 2015 only; Sevenoaks closed April 2016; Tonbridge opened April 2014.
    starts, _, values = demo.series[(TUN, "one-stop-shop-visitors")]
    assert list(starts) == [mi(2014, 10), mi(2015, 1)] and values.sum() == 2
    starts, _, _ = demo.series[(SEV, "one-stop-shop-visitors")]
    assert starts.max() == mi(2016, 1)
    starts, _, _ = demo.series[(TMA, "one-stop-shop-visitors")]
    assert starts.min() == mi(2014, 4)
    full = demo.frame[(demo.frame["category"] == "one-stop-shop-visitors") & ~demo.frame["district"].isin(OSS_SERVICE)]
    assert len(full) == 10 * 48


def test_row_count(demo):
    monthly = len(reference.leaf_slugs()) - len(QUARTERLY)
    gaps = sum(48 - len(_expected_periods(d, "one-stop-shop-visitors")) for d in OSS_SERVICE)
    assert len(demo.frame) == 13 * (monthly * 144 + len(QUARTERLY) * 48) - gaps


def test_generation_is_deterministic(demo):
    again = generate_figures()
    pd.testing.assert_frame_equal(again, demo.frame)


def test_generation_is_fast(demo):
    assert demo.seconds < 30


def test_child_ksi_never_exceeds_ksi(demo):
    for d in reference.DISTRICTS:
        child = demo.series[(d.code, "child-ksi")][2]
        ksi = demo.series[(d.code, "fatal")][2] + demo.series[(d.code, "serious")][2]
        assert (child <= ksi).all(), d.name


def test_repeat_victims_are_fewer_than_incidents(demo):
    for d in reference.DISTRICTS:
        assert (demo.series[(d.code, "domestic-abuse-repeat-victims")][2]
                < demo.series[(d.code, "domestic-abuse-incidents")][2]).all(), d.name


def test_busy_series_never_show_an_empty_month(demo):
    for (d, c), (_, _, values) in demo.series.items():
        if values.mean() >= 10:
            assert values.min() > 0, (d, c)


def test_no_wild_spikes(demo):
    """Each value stays within a few Poisson standard deviations of the smooth series it was drawn
    around, apart from the few months a published figure pins (the noise is trimmed at 3.5)."""
    outliers = 0
    for key, (_, _, values) in demo.series.items():
        mu = demo.result.calibrated[key]
        z = (values - mu) / np.sqrt(np.maximum(mu, 1.0))
        assert np.abs(z).max() < 6, key
        outliers += int((np.abs(z) > 4).sum())
    assert outliers <= 5


def test_the_synthetic_shape_survives_calibration(demo):
    """Calibration bends each series smoothly; it does not replace it. Most series stay within a factor
    of two of the synthetic base over all twelve years."""
    bent = 0
    for (d, c), mu in demo.result.calibrated.items():
        base = demo.result.expected[d][c]
        if c in QUARTERLY:
            base = base.reshape(-1, 3).sum(axis=1)[(demo.series[(d, c)][0] - DATA_START) // 3]
        if base.mean() < 5 or c in ("child-ksi", "fatal"):
            continue
        ratio = mu / base
        if ratio.max() / ratio.min() > 2.5:
            bent += 1
    assert bent <= 6


def _kent_monthly(demo, category, districts=KCC12):
    total = np.zeros(DATA_END - DATA_START + 1)
    for d in districts:
        for leaf in reference.additive_leaves(category):
            starts, _, values = demo.series[(d, leaf)]
            total[starts - DATA_START] += values
    return total


def _fy_total(monthly, year):
    s, e = fy(year)
    return monthly[s - DATA_START: e - DATA_START + 1].sum()


def test_kent_trends(demo):
    crime = _kent_monthly(demo, "all-crime", ALL13)
    # Recorded crime rose from 2013 to 2019 with recording changes, dipped in the 2020 lockdowns, rose after.
    assert _fy_total(crime, 2019) > 1.4 * _fy_total(crime, 2013)
    assert _fy_total(crime, 2020) < 0.95 * _fy_total(crime, 2019)
    assert _fy_total(crime, 2021) > _fy_total(crime, 2020)
    april_2020 = crime[mi(2020, 4) - DATA_START]
    assert april_2020 < 0.85 * crime[mi(2019, 4) - DATA_START]
    # Road casualties fell.
    roads = _kent_monthly(demo, "road-casualties")
    assert _fy_total(roads, 2023) < 0.8 * _fy_total(roads, 2012)
    # ASB spiked with COVID-19 reports in spring 2020.
    asb = _kent_monthly(demo, "asb-incidents")
    assert asb[mi(2020, 4) - DATA_START] > 1.5 * asb[mi(2019, 4) - DATA_START]


def test_violence_and_asb_peak_in_summer(demo):
    for category in ("violent-crime", "asb-incidents"):
        monthly = _kent_monthly(demo, category)
        months = (np.arange(DATA_START, DATA_END + 1) % 12) + 1
        normal = np.arange(DATA_START, DATA_END + 1) < mi(2020, 1)
        summer = monthly[normal & np.isin(months, [6, 7, 8])].mean()
        winter = monthly[normal & np.isin(months, [12, 1, 2])].mean()
        assert summer > 1.05 * winter, category


def test_district_differences(demo):
    """Thanet, Swale, Medway, Dartford and Gravesham high; Tunbridge Wells, Sevenoaks, Tonbridge and Malling low."""
    def rate(code):
        crimes = demo.total(code, "all-crime", DATA_START, DATA_END)
        pop = demo.populations
        return crimes / pop.loc[(pop.district == code) & (pop.year == 2018), "population"].iloc[0]
    high = [rate(c) for c in (THA, SWA, MED, DAR, GRA)]
    low = [rate(c) for c in (TUN, SEV, TMA)]
    assert min(high) > max(low)
