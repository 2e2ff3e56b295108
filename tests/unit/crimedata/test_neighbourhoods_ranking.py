"""Pure parts of the top-neighbourhoods selector: places, shares, wards, windows. No database."""

import pandas as pd

from assessments.profile.neighbourhoods import default_window, describe_months, missing_months, rank_areas, ward_frame
from crimedata.periods import Window, parse_month

JAN, FEB, MAR, APR = (parse_month(f"2024-0{m}") for m in range(1, 5))


def frame(rows):
    return pd.DataFrame(rows, columns=["code", "name", "count"])


def test_places_put_the_most_first_and_ties_share_a_place():
    rows, rest = rank_areas(
        frame([("a", "Maidstone 003A", 5), ("b", "Maidstone 003B", 9), ("c", "Maidstone 004H", 5),
               ("d", "Maidstone 001A", 1)]),
        total=20, top=10,
    )
    assert [(r.rank_label, r.name, r.count, r.share) for r in rows] == [
        ("1", "Maidstone 003B", 9, 45.0), ("2=", "Maidstone 003A", 5, 25.0), ("2=", "Maidstone 004H", 5, 25.0),
        ("4", "Maidstone 001A", 1, 5.0),
    ]
    assert rest is None


def test_the_top_is_cut_at_its_length_and_a_place_shared_across_the_cut_is_declared():
    rows, rest = rank_areas(
        frame([("a", "A", 7), ("b", "B", 4), ("c", "C", 4), ("f", "F", 4), ("d", "D", 2), ("e", "E", 1)]),
        total=22, top=2,
    )
    assert [(r.rank_label, r.name) for r in rows] == [("1", "A"), ("2=", "B")]
    assert (rest.areas, rest.count, rest.share, rest.shared_place, rest.sharing) == (4, 11, 50.0, "2=", 2)
    assert sum(r.count for r in rows) + rest.count == 22
    rows, rest = rank_areas(frame([("a", "A", 7), ("b", "B", 4), ("c", "C", 3)]), total=14, top=2)
    assert (rest.areas, rest.shared_place, rest.sharing) == (1, None, 0)


def test_shares_round_half_up_and_a_zero_total_gives_no_share():
    rows, _ = rank_areas(frame([("a", "A", 1)]), total=8, top=10)
    assert rows[0].share == 12.5
    rows, _ = rank_areas(frame([("a", "A", 1), ("b", "B", 1), ("c", "C", 1), ("d", "D", 5)]), total=8, top=10)
    assert [r.share for r in rows] == [62.5, 12.5, 12.5, 12.5]
    rows, _ = rank_areas(frame([("a", "A", 0)]), total=0, top=10)
    assert rows[0].share is None


def test_wards_sum_whole_neighbourhoods_and_unmatched_ones_stay_apart():
    per_lsoa = frame([("E01024320", "Maidstone 003A", 4), ("E01024321", "Maidstone 003B", 2),
                      ("E01034991", "Maidstone 004H", 3), ("E01099999", "Maidstone 099Z", 1)])
    lookup = pd.DataFrame(
        [("E01024320", "E05015845", "High Street"), ("E01024321", "E05015845", "High Street"),
         ("E01099999", "", "")],
        columns=["lsoa_code", "ward_code", "ward_name"],
    )
    wards, no_ward = ward_frame(per_lsoa, lookup)
    assert wards.to_dict("records") == [{"code": "E05015845", "name": "High Street", "count": 6, "neighbourhoods": 2}]
    assert sorted(no_ward["code"]) == ["E01034991", "E01099999"]


def test_the_default_window_is_twelve_months_or_the_unbroken_run_loaded():
    assert default_window([]) is None
    assert default_window([JAN, FEB, MAR, APR]) == Window(JAN, APR)
    assert default_window([JAN, MAR, APR]) == Window(MAR, APR)  # February is missing
    assert default_window(list(range(APR - 20, APR + 1))) == Window.ending(APR, 12)
    assert default_window([JAN, FEB, MAR, APR], end=MAR) == Window(JAN, MAR)
    assert default_window([JAN, FEB, MAR, APR], months=12) == Window.ending(APR, 12)  # asked for: may be incomplete


def test_missing_months_and_their_description():
    assert missing_months(Window.ending(APR, 6), [JAN, FEB, MAR, APR]) == [APR - 5, APR - 4]
    assert describe_months([JAN, FEB, APR]) == "January 2024 to February 2024, April 2024"
    assert describe_months([]) == "none"
