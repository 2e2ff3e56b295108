"""Statements in the documents that rank districts, made true by the demo data (soft goals)."""

from __future__ import annotations

from demo.published import ALL13, ASH, KCC12, MAI, SEV, TUN, cal, fy, span

TW_YEAR = span(2015, 10, 2016, 9)
TW_PREVIOUS = span(2014, 10, 2015, 9)


def _rank(demo, category, window, districts=KCC12, by="rate", reverse=False):
    if by == "rate":
        score = {d: demo.rate(d, category, *window) for d in districts}
    else:
        score = {d: demo.total(d, category, *window) for d in districts}
    return sorted(districts, key=lambda d: score[d], reverse=reverse)


def test_tunbridge_wells_lowest_crime_and_smallest_increase(demo):
    # 000: "Best out of 12 Kent areas (lowest by volume)", lowest rate, "The smallest increase in 12 Kent areas".
    assert _rank(demo, "all-crime", TW_YEAR, by="count")[0] == TUN
    assert _rank(demo, "all-crime", TW_YEAR, by="rate")[0] == TUN
    increase = {d: demo.total(d, "all-crime", *TW_YEAR) - demo.total(d, "all-crime", *TW_PREVIOUS) for d in KCC12}
    assert min(increase, key=increase.get) == TUN and increase[TUN] == 245


def test_sevenoaks_lowest_violent_crime_rate_then_tunbridge_wells(demo):
    # 000: "Tunbridge Wells has the second lowest rate of violent crime in the county (after Sevenoaks)".
    assert _rank(demo, "violent-crime", TW_YEAR)[:2] == [SEV, TUN]


def test_tunbridge_wells_lowest_crime_in_2019_and_2020(demo):
    # 001: county position 1 in both years, "Best out of 12 Kent areas by population and volume".
    for year in (2019, 2020):
        assert _rank(demo, "all-crime", cal(year), by="rate")[0] == TUN
        assert _rank(demo, "all-crime", cal(year), by="count")[0] == TUN


def test_tunbridge_wells_lowest_domestic_abuse(demo):
    # 000: "Lowest out of 12 Kent areas", "the lowest recorded crimes per-1000 residents".
    assert _rank(demo, "domestic-abuse-incidents", TW_YEAR, by="count")[0] == TUN
    assert _rank(demo, "domestic-abuse-incidents", TW_YEAR)[0] == TUN


def test_tunbridge_wells_second_lowest_robbery_rate(demo):
    # 000: "Tunbridge Wells has the second lowest rate of robberies in the county".
    assert _rank(demo, "robbery", TW_YEAR)[1] == TUN


def test_ashford_lowest_asb_volume(demo):
    # 003: rank 1 (lowest volume) in 2013/14 and 2014/15; 002: lowest of 13 for November 2015 - October 2016.
    for window in (fy(2013), fy(2014)):
        assert _rank(demo, "asb-incidents", window, by="count")[0] == ASH
    assert _rank(demo, "asb-incidents", span(2015, 11, 2016, 10), ALL13, by="count")[0] == ASH


def test_road_safety_rankings(demo):
    # 003: Ashford "still has the 3rd highest KSI figures ... within the county" (2015).
    assert _rank(demo, "ksi", cal(2015), by="count", reverse=True)[2] == ASH
    # 003 (2015/16 SA): 2014 KSI of 73 "the 2nd highest overall in the county" (after Maidstone's 74),
    # and child KSI "the highest in the county at eleven".
    assert _rank(demo, "ksi", cal(2014), by="count", reverse=True)[:2] == [MAI, ASH]
    child = {d: demo.total(d, "child-ksi", *cal(2014)) for d in KCC12}
    assert max(child, key=child.get) == ASH and sorted(child.values())[-2] < 11
    # 000: Tunbridge Wells' 423 casualties in 2015 were "4th best out of 12 Kent areas".
    assert _rank(demo, "road-casualties", cal(2015), by="count").index(TUN) == 3


def test_maidstone_violent_rise_fourth_lowest_of_13(demo):
    # 002: the 26.3% rise was "the 4th lowest increase out of 13 areas".
    cur, prev = span(2015, 11, 2016, 10), span(2014, 11, 2015, 10)
    change = {d: demo.total(d, "violent-crime", *cur) / demo.total(d, "violent-crime", *prev) for d in ALL13}
    assert sorted(ALL13, key=change.get).index(MAI) == 3
