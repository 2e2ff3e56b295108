"""Every published figure the demo data was checked against: the targets table.

Each record is one figure as a document printed it: the area (one district or a
group of them), the category slug, the months it covers (inclusive month
indexes, ``year * 12 + month - 1`` as in ``crimedata.periods``), the value, the
document and section, and a status:

* ``reproduced``: the demo figures, summed over the window for the category's
  additive leaves (``reference.additive_leaves``) and the record's districts,
  give exactly this value (or, for a ``low``/``high`` range, a value inside it).
* ``skipped``: not reproduced, with the reason (before April 2012, a rate whose
  denominator we do not have, a conflict with another figure we kept, no such
  category, and so on).

Sources (the five seed documents; see DOCUMENTS):

* 000: Tunbridge Wells CSP Strategic Assessment 2016/17 (October 2015 to
  September 2016 against a year earlier).
* 001: Tunbridge Wells CSP Plan 2021/22 and summary Strategic Assessment 2020-21
  (calendar 2020 against 2019).
* 002: Safer Maidstone Partnership Strategic Assessment 2017-18 (November 2015 to
  October 2016 against a year earlier; Kent tables).
* 003: Ashford Overview and Scrutiny report of 28 February 2017, with the
  Ashford CSP 2015/16 Strategic Assessment attached.
* 004: Tonbridge and Malling CSP Partnership Plan 2014-2015.

Percentages and "number change" columns are derived from the counts listed
here, so they are not records of their own (a slip in one, such as Tunbridge
Wells' "4.7%" for 245 / 5,040 = 4.9%, is noted on the count it comes from).
Money, MoRiLE scores, unemployment, deprivation ranks, call handling and IOM
costs are not figures of any category and are not listed. Ward figures are
listed as skipped: the demo has district figures only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crimedata import reference
from crimedata.periods import Window, format_month, month_end, month_start

REPRODUCED = "reproduced"
SKIPPED = "skipped"

COUNT = "count"
RATE_1000 = "rate per 1,000 residents"
RATE_10000 = "rate per 10,000 residents"
POPULATION = "population"


def mi(year: int, month: int) -> int:
    """Month index of a calendar month."""
    return year * 12 + month - 1


# The demo series run from April 2012 to March 2024.
DATA_START = mi(2012, 4)
DATA_END = mi(2024, 3)
# Police figures for the latest quarter are provisional until ONS publishes them.
PROVISIONAL_FROM = mi(2024, 1)

DOCUMENTS = {
    "000": "Tunbridge Wells CSP Strategic Assessment 2016/17 (signed off 9 February 2017)",
    "001": "Tunbridge Wells CSP Plan 2021/22 and Summary Strategic Assessment 2020-21 (signed off 4 February 2021)",
    "002": "Safer Maidstone Partnership Strategic Assessment 2017-18 (V2, 27 January 2017)",
    "003": "Ashford Overview and Scrutiny Committee report, 28 February 2017, with the Ashford CSP "
           "2015/16 Strategic Assessment",
    "004": "Tonbridge and Malling CSP Partnership Plan 2014-2015",
    "census": "ONS Census 2011 and Census 2021 usual-resident counts by local authority (2021 counts "
              "rounded to the nearest 100), typed from ../shared/data/population/census2011_2021_lad_population_ew.csv",
}

_C = reference.DISTRICT_CODE_BY_NAME
ASH, CAN, DAR, DOV = _C["Ashford"], _C["Canterbury"], _C["Dartford"], _C["Dover"]
GRA, MAI, SEV, FOL = _C["Gravesham"], _C["Maidstone"], _C["Sevenoaks"], _C["Folkestone and Hythe"]
SWA, THA, TMA, TUN = _C["Swale"], _C["Thanet"], _C["Tonbridge and Malling"], _C["Tunbridge Wells"]
MED = _C["Medway"]

KCC12 = tuple(d.code for d in reference.DISTRICTS if d.in_kcc_area)
ALL13 = tuple(d.code for d in reference.DISTRICTS)
NORTH = (DAR, GRA, MED, SWA)
EAST = (ASH, CAN, DOV, FOL, THA)
WEST = (TUN, TMA, SEV, MAI)

# Census counts (published facts, typed here so the product never reads ../shared/data):
# district code -> (Census 2011, Census 2021 rounded to the nearest 100).
CENSUS: dict[str, tuple[int, int]] = {
    ASH: (117956, 132600),
    CAN: (151145, 157800),
    DAR: (97365, 116600),
    DOV: (111674, 116300),
    GRA: (101720, 106700),
    MAI: (155143, 175500),
    SEV: (114893, 120400),
    FOL: (107969, 109200),
    SWA: (135835, 151600),
    THA: (134186, 148000),
    TMA: (120805, 132100),
    TUN: (115049, 115200),
    MED: (263925, 279900),
}


@dataclass(frozen=True)
class Target:
    """One published figure and what the demo does with it."""

    ref: str
    area: str  # as the document names it
    districts: tuple[str, ...]  # ONS codes whose figures add up to it
    category: str | None  # slug, "population", or None when no category matches
    label: str  # what the document calls the figure
    start: int  # month index, inclusive
    end: int  # month index, inclusive
    value: int | float
    source: str  # key of DOCUMENTS
    section: str
    status: str
    reason: str = ""  # why skipped; for reproduced figures, how it was read
    measure: str = COUNT
    low: int | None = None  # a range the figure implies (reproduced as lying inside it)
    high: int | None = None
    change_from: tuple[int, int] | None = None  # value is sum(window) - sum(change_from)

    @property
    def district(self) -> str | None:
        """The ONS code when the figure is for one district, else None."""
        return self.districts[0] if len(self.districts) == 1 else None

    @property
    def window(self) -> Window:
        return Window(self.start, self.end)

    @property
    def start_date(self) -> dt.date:
        return month_start(self.start)

    @property
    def end_date(self) -> dt.date:
        return month_end(self.end)

    @property
    def reproduced(self) -> bool:
        return self.status == REPRODUCED

    @property
    def is_range(self) -> bool:
        return self.low is not None

    @property
    def leaves(self) -> list[str]:
        return reference.additive_leaves(self.category) if self.category else []


TARGETS: list[Target] = []
_REFS: set[str] = set()


def _whole_quarters(start: int, end: int) -> bool:
    # Financial-year quarters start in January, April, July or October (month index % 3 == 0).
    return start % 3 == 0 and end % 3 == 2


def _add(area, districts, category, label, window, value, source, section, *, skip="", note="",
         measure=COUNT, low=None, high=None, change_from=None) -> Target:
    """Append one record, deciding its status: an explicit skip reason wins, then the
    rules every figure must pass to be reproducible."""
    start, end = window
    districts = (districts,) if isinstance(districts, str) else tuple(districts)
    reason = skip
    if not reason:
        if category is None:
            raise ValueError(f"{label}: a figure with no category needs a skip reason")
        if measure != COUNT:
            raise ValueError(f"{label}: only counts are reproducible")
        first = min(start, change_from[0]) if change_from else start
        if first < DATA_START:
            reason = "Before April 2012: the demo series start in April 2012."
        elif end > DATA_END:
            reason = "After March 2024: the demo series end in March 2024."
        elif any(
            reference.CATEGORY_BY_SLUG[leaf].grain == reference.GRAIN_QUARTER
            for leaf in reference.additive_leaves(category)
        ) and not _whole_quarters(start, end):
            reason = ("Quarterly-grain category: the window is not made of whole financial-year quarters, "
                      "so no sum of the quarterly figures can match it.")
    status = SKIPPED if reason else REPRODUCED
    base = f"{source}:{area}:{category or label}:{format_month(start)}:{format_month(end)}"
    ref, n = base, 1
    while ref in _REFS:
        n += 1
        ref = f"{base}#{n}"
    _REFS.add(ref)
    target = Target(ref, area, districts, category, label, start, end, value, source, section, status,
                    reason or note, measure, low, high, change_from)
    TARGETS.append(target)
    return target


# --- window helpers ------------------------------------------------------------------------

def fy(year: int) -> tuple[int, int]:
    """Financial year April ``year`` to March ``year + 1``."""
    return mi(year, 4), mi(year + 1, 3)


def cal(year: int) -> tuple[int, int]:
    return mi(year, 1), mi(year, 12)


def span(y1: int, m1: int, y2: int, m2: int) -> tuple[int, int]:
    return mi(y1, m1), mi(y2, m2)


def one(year: int, month: int) -> tuple[int, int]:
    return mi(year, month), mi(year, month)


def jul_jun(year: int) -> tuple[int, int]:
    """The One Stop Shop year, July ``year`` to June ``year + 1``."""
    return mi(year, 7), mi(year + 1, 6)


def oct_sep(year: int) -> tuple[int, int]:
    return mi(year, 10), mi(year + 1, 9)


def _area_name(code: str) -> str:
    return reference.DISTRICT_BY_CODE[code].name


# Reasons used more than once.
WARD = "Ward-level figure: the demo data holds district totals only."
RATE = ("A rate: it depends on the population the document divided by (ONS mid-year estimates or KCC "
        "projections), while the demo's populations are interpolated Census counts; the count behind it is "
        "reproduced where it was published.")
NO_CATEGORY = "No such category in crimedata/reference.py, so there is nothing to reproduce it in."
MAIDSTONE_VIOLENT_2015 = (
    "Conflict: the same table's violence against the person 2,665 + sexual offences 222 + robbery 79 = 2,966, "
    "and victim-based crime 8,488 and all crime 9,189 only add up with 2,966. The leaves and totals were kept; "
    "the printed 2,964 is a slip (the Force total 34,712 also only adds up with 2,966)."
)

# ============================================================================================
# Populations (category "population"; checked against generate_populations, not figures)
# ============================================================================================
def _population(area, code, year, value, source, section, *, skip="", note=""):
    start, end = cal(year)
    reason = skip
    status = SKIPPED if reason else REPRODUCED
    ref = f"{source}:{area}:population:{year}:{value}"
    _REFS.add(ref)
    TARGETS.append(Target(ref, area, (code,), POPULATION, "Population", start, end, value, source, section,
                          status, reason or note, POPULATION))


for _code, (_p11, _p21) in CENSUS.items():
    _population(_area_name(_code), _code, 2011, _p11, "census", "POP11 (Census 2011)",
                note="generate_populations() gives exactly this for 2011.")
    _population(_area_name(_code), _code, 2021, _p21, "census", "POP21 (Census 2021, rounded to 100)",
                note="generate_populations() gives exactly this for 2021.")

_MYE = ("An ONS mid-year estimate (or KCC estimate/projection); the demo's populations are the Census 2011 and "
        "2021 counts interpolated in a straight line, so they differ slightly by design.")
_population("Tunbridge Wells", TUN, 2015, 116200, "000", "Part 3 Population profile (2015 mid-year estimate)",
            skip=_MYE)
_population("Maidstone", MAI, 2015, 164500, "002", "§1.6 Population profile (2015 mid-year estimate)",
            skip=_MYE)
_population("Ashford", ASH, 2015, 122000, "003", "2015/16 SA, The Borough of Ashford context ('estimated "
            "population ... in 2015 is 122,000')", skip=_MYE)
_population("Ashford", ASH, 2021, 129900, "003", "2015/16 SA, Borough context (projection for 2021)",
            skip="A projection made in 2016; the demo uses the Census 2021 count (132,600) for 2021.")
_population("Ashford", ASH, 2031, 149200, "003", "2015/16 SA, Borough context (projection for 2031)",
            skip="A projection for 2031, outside the demo's 2011-2023 populations.")

# ============================================================================================
# 002 Maidstone SA 2017-18 §2.3: Maidstone crime tree, October 2016 month,
# 12 months to October 2016, 12 months to October 2015.
# ============================================================================================
_MAID_CUR = span(2015, 11, 2016, 10)
_MAID_PREV = span(2014, 11, 2015, 10)
_OCT16 = one(2016, 10)
_S23 = "§2.3 table (Month October 2016 / RY ending October 2016 / RY ending October 2015)"
for _cat, _label, _month, _cur, _prev in [
    ("all-crime", "All crime", 860, 10271, 9189),
    ("victim-based-crime", "Victim based crime", 791, 9245, 8488),
    ("violent-crime", "Violent Crime", 312, 3743, 2964),
    ("violence-against-the-person", "Violence Against The Person", 280, 3390, 2665),
    ("sexual-offences", "Sexual Offences", 26, 284, 222),
    ("robbery", "Robbery", 6, 69, 79),
    ("burglary-dwelling", "Burglary Dwelling", 28, 286, 357),
    ("burglary-other", "Burglary Other than Dwelling", 32, 532, 495),
    ("vehicle-crime", "Vehicle Crime", 68, 686, 583),
    ("theft-of-motor-vehicle", "Theft Of Motor Vehicle", 20, 182, 132),
    ("theft-from-motor-vehicle", "Theft From Motor Vehicle", 48, 504, 451),
    ("vehicle-interference", "Vehicle Interference", 9, 110, 82),
    ("theft-and-handling", "Theft and Handling", 199, 2422, 2633),
    ("shoplifting", "Shoplifting", 61, 804, 1077),
    ("theft-of-pedal-cycle", "Theft of Pedal cycle", 13, 136, 111),
    ("other-theft", "Other Theft", 125, 1482, 1445),
    ("criminal-damage", "Criminal Damage", 143, 1466, 1372),
    ("crimes-against-society", "Crimes against society", 69, 1026, 701),
    ("drug-offences", "Drug Offences", 24, 345, 282),
    ("possession-of-weapons", "Possession of weapons", 4, 50, 45),
    ("public-order-offences", "Public order offences", 23, 402, 227),
    ("other-crimes-against-society", "Other crimes", 18, 229, 147),
]:
    _sec = _S23
    if _cat == "violent-crime":
        _sec += "; also §3.1 Kent violent crime table (Maidstone row) and §3.1 text"
    if _cat == "all-crime":
        _sec += "; also §2.1 text ('from a total of 9,189 crimes to 10,271 crimes')"
    if _cat == "drug-offences":
        _sec += "; also §5.1 text"
    if _cat == "violence-against-the-person":
        _sec += "; also §3.1 text ('3390 VATP offences ... up from 2665')"
    _add("Maidstone", MAI, _cat, _label, _OCT16, _month, "002", _sec)
    _add("Maidstone", MAI, _cat, _label, _MAID_CUR, _cur, "002", _sec)
    _add("Maidstone", MAI, _cat, _label, _MAID_PREV, _prev, "002", _sec,
         skip=MAIDSTONE_VIOLENT_2015 if _cat == "violent-crime" else "")

# ============================================================================================
# 002 §3.1 Kent violent crime table: 13 areas, divisions and Force.
# ============================================================================================
_S31 = "§3.1 Violent Crime table (Month October 2016 / RY ending October 2016 / RY ending October 2015)"
for _name, _code, _month, _cur, _prev in [
    ("Dartford", DAR, 267, 2956, 2220),
    ("Gravesham", GRA, 308, 3116, 2284),
    ("Medway", MED, 703, 8252, 6397),
    ("Swale", SWA, 275, 3701, 2827),
    ("Thanet", THA, 431, 5262, 4008),
    ("Shepway", FOL, 286, 2960, 2283),
    ("Dover", DOV, 296, 2799, 2338),
    ("Canterbury", CAN, 361, 3874, 2938),
    ("Ashford", ASH, 214, 2378, 1902),
    ("Tunbridge Wells", TUN, 184, 1962, 1625),
    ("Tonbridge and Malling", TMA, 180, 2117, 1623),
    ("Sevenoaks", SEV, 158, 1702, 1301),
]:
    for _window, _value in ((_OCT16, _month), (_MAID_CUR, _cur), (_MAID_PREV, _prev)):
        _add(_name, _code, "violent-crime", "Violent Crime", _window, _value, "002", _S31)

for _name, _codes, _month, _cur, _prev in [
    ("North Division", NORTH, 1553, 18025, 13728),
    ("East Division", EAST, 1588, 17273, 13469),
    ("West Division", WEST, 834, 9524, 7513),
]:
    _add(_name, _codes, "violent-crime", "Violent Crime", _OCT16, _month, "002", _S31)
    _add(_name, _codes, "violent-crime", "Violent Crime", _MAID_CUR, _cur, "002", _S31)
    _add(_name, _codes, "violent-crime", "Violent Crime", _MAID_PREV, _prev, "002", _S31,
         skip=("Equals its rows only with Maidstone's printed 2,964, which conflicts with Maidstone's leaves "
               "(see the Maidstone record); with the kept 2,966 the division is 7,515.")
         if _name == "West Division" else "")

_FORCE = ("The Force total is not a sum of the 13 areas (44,823 against the rows' 44,822, and 3,976 against "
          "3,975 for October 2016): it includes crimes not placed in any area, which the demo does not model.")
_add("Force", ALL13, "violent-crime", "Violent Crime", _OCT16, 3976, "002", _S31, skip=_FORCE)
_add("Force", ALL13, "violent-crime", "Violent Crime", _MAID_CUR, 44823, "002", _S31, skip=_FORCE)
_add("Force", ALL13, "violent-crime", "Violent Crime", _MAID_PREV, 34712, "002", _S31, skip=_FORCE)

# ============================================================================================
# 002 §4.1 Kent ASB table, November to October.
# ============================================================================================
_S41 = "§4.1 ASB table (November 15 - October 16 / November 14 - October 15)"
for _name, _code, _cur, _prev in [
    ("Canterbury", CAN, 3852, 4231),
    ("Dover", DOV, 3380, 3701),
    ("Tonbridge & Malling", TMA, 2326, 2469),
    ("Medway", MED, 8747, 8983),
    ("Swale", SWA, 3904, 3991),
    ("Gravesham", GRA, 3274, 3337),
    ("Thanet", THA, 5368, 5337),
    ("Shepway", FOL, 2948, 2890),
    ("Sevenoaks", SEV, 2012, 1970),
    ("Maidstone", MAI, 3697, 3588),
    ("Tunbridge Wells", TUN, 2287, 2200),
    ("Dartford", DAR, 2990, 2620),
    ("Ashford", ASH, 1856, 1582),
]:
    _sec = _S41 + ("; also §4.1 text (3697 cases compared to 3588)" if _code == MAI else "")
    _add(_name, _code, "asb-incidents", "ASB", _MAID_CUR, _cur, "002", _sec)
    _add(_name, _code, "asb-incidents", "ASB", _MAID_PREV, _prev, "002", _sec)
_add("Kent district (13 areas)", ALL13, "asb-incidents", "ASB", _MAID_CUR, 46641, "002", _S41,
     note="The 13 rows (12 KCC districts and Medway) add up to the printed total.")
_add("Kent district (13 areas)", ALL13, "asb-incidents", "ASB", _MAID_PREV, 46897, "002", _S41,
     skip="The printed total is 2 less than its 13 rows (46,899); the rows were kept.")

# ============================================================================================
# 002 §2.2 All recorded crime, year ending March 2016, with rates for three years.
# ============================================================================================
_S22 = "§2.2 Total recorded crime per 1,000 population in Kent - year ending March 2016"
_DG_SPLIT = ("The document prints Dartford and Gravesham as one combined row; the demo splits it between the "
             "two districts in proportion to their synthetic series and the two add up to it exactly.")
for _name, _codes, _count, _r16, _r15, _r14 in [
    ("Tunbridge Wells", (TUN,), 5140, 44, 43.4, 43.2),
    ("Tonbridge & Malling", (TMA,), 5961, 48, 45.3, 45.7),
    ("Sevenoaks", (SEV,), 5894, 50, 47.5, 48.2),
    ("Ashford", (ASH,), 6551, 53, 51.6, 57.5),
    ("Maidstone", (MAI,), 9332, 58, 56.7, 59),
    ("Dover", (DOV,), 6581, 58, 57.8, 59.1),
    ("Canterbury", (CAN,), 9557, 61, 57.1, 58.7),
    ("Shepway", (FOL,), 6671, 61, 56.6, 59.6),
    ("Swale", (SWA,), 10059, 71, 67.7, 73.9),
    ("Dartford & Gravesham", (DAR, GRA), 15650, 75, 68.8, 74.2),
    ("Thanet", (THA,), 11980, 87, 82, 91),
    ("KCC Total", KCC12, 89643, 59, 59.4, 62.7),
    ("Medway", (MED,), 20285, 74, 70.3, 67),
    ("Kent", ALL13, 113651, 64, 61, 63.4),
]:
    _skip = ""
    if _name == "KCC Total":
        _skip = ("The printed KCC total does not equal its rows (they add up to 93,376); the rows were kept, "
                 "not the wrong total.")
    elif _name == "Kent":
        _skip = ("Does not equal the rows it should add up to (93,376 + Medway 20,285 = 113,661); may include "
                 "crimes not placed in any area. The rows were kept.")
    _sec = _S22 + ("; also §2.1 text" if _name == "Maidstone" else "")
    _add(_name, _codes, "all-crime", "Number of offences", fy(2015), _count, "002", _sec, skip=_skip,
         note=_DG_SPLIT if len(_codes) == 2 else "")
    for _year, _rate in ((2015, _r16), (2014, _r15), (2013, _r14)):
        _add(_name, _codes, "all-crime", f"{_year + 1} rate per 1,000 pop.", fy(_year), _rate, "002", _S22,
             skip=RATE, measure=RATE_1000)

_SMSG = "§2.3 iQuanta MSG bar chart, crimes per 1,000 residents, 1 Nov 2015 - 31 Oct 2016"
for _name, _code, _rate in (("Maidstone", MAI, 62.450), ("Tonbridge and Malling", TMA, 50.281),
                            ("Canterbury", CAN, 65.339)):
    _add(_name, _code, "all-crime", "Crimes / 1000 Pop", _MAID_CUR, _rate, "002", _SMSG, skip=RATE,
         measure=RATE_1000)

# ============================================================================================
# 002 other sections: road safety, domestic abuse, MARAC, wards, service figures.
# ============================================================================================
for _year, _ksi in ((2013, 63), (2014, 74), (2015, 50)):
    _add("Maidstone", MAI, "ksi", "KSI", cal(_year), _ksi, "002",
         "§1.2 headline and §7.1 Road Safety" + ("; also 003 ¶22 casualties table" if _year == 2015 else ""))

_add("Maidstone", MAI, "domestic-abuse-incidents", "Recorded incidents of domestic abuse", span(2015, 9, 2016, 8),
     2683, "002", "§3.4 Recorded Incidents of Domestic Abuse and Repeat Victims")
_add("Maidstone", MAI, "domestic-abuse-incidents", "Recorded incidents of domestic abuse", span(2014, 9, 2015, 8),
     2258, "002", "§3.4 Recorded Incidents of Domestic Abuse and Repeat Victims",
     note="The document calls 2,258 to 2,683 a '34% increase' (and §1.2 '34.8%'); it is 18.8%.")
for _window, _pct in ((span(2015, 9, 2016, 8), 26.4), (span(2014, 9, 2015, 8), 26.2)):
    _add("Maidstone", MAI, "domestic-abuse-repeat-victims", "Average repeat victims (%)", _window, _pct, "002",
         "§3.4 text", skip="An average of monthly repeat-victim percentages, not a count.", measure="percentage")

_add("Maidstone", MAI, "marac-cases", "MARAC cases", _MAID_CUR, 179, "002", "§3.4 MARACs")
_add("Maidstone", MAI, "marac-cases", "MARAC cases", _MAID_PREV, 147, "002", "§3.4 MARACs")
_add("Maidstone", MAI, None, "MARAC repeat cases", _MAID_CUR, 35, "002", "§3.4 MARACs", skip=NO_CATEGORY)

for _ward, _cur, _prev in (("High Street", 607, 452), ("Fant", 178, 108), ("Shepway North", 171, 95),
                           ("Parkwood", 164, 100), ("Downswood & Otham", 10, None),
                           ("Boughton Monchelsea & Chart Sutton", 14, None), ("Barming", 16, None),
                           ("Leeds", 17, None)):
    _add(f"Maidstone: {_ward} ward", MAI, "violent-crime", "Violent crimes", span(2016, 4, 2016, 10), _cur, "002",
         "§3.2 Levels of Violence in the Borough Wards April 2016 - October 2016", skip=WARD)
    if _prev is not None:
        _add(f"Maidstone: {_ward} ward", MAI, "violent-crime", "Violent crimes", span(2015, 4, 2015, 10), _prev,
             "002", "§3.2 Levels of Violence in the Borough Wards", skip=WARD)

_add("Maidstone", MAI, None, "Hospital admissions, mental and behavioural disorders due to psychoactive "
     "substances", span(2015, 7, 2016, 6), 637, "002", "§5.1", skip=NO_CATEGORY)
_add("Maidstone", MAI, None, "Hospital admissions, mental and behavioural disorders due to psychoactive "
     "substances", span(2014, 9, 2015, 8), 734, "002", "§5.1", skip=NO_CATEGORY)
_add("Maidstone", MAI, None, "Clients on needle exchange programme", cal(2016), 422, "002", "§5.4", skip=NO_CATEGORY)
_add("Maidstone", MAI, None, "Clients on needle exchange programme", cal(2015), 538, "002", "§5.4", skip=NO_CATEGORY)
_add("Maidstone", MAI, None, "Clients in treatment", cal(2016), 313, "002", "§5.4", skip=NO_CATEGORY)
_add("Maidstone", MAI, None, "Clients in treatment", cal(2015), 316, "002", "§5.4", skip=NO_CATEGORY)
_add("Maidstone", MAI, None, "Youth justice first time entrants", fy(2012), 1903, "002", "§6.1", skip=NO_CATEGORY)
_add("Maidstone", MAI, None, "Youth justice first time entrants", fy(2015), 1205, "002", "§6.1", skip=NO_CATEGORY)
_add("Maidstone", MAI, None, "Section 136 uses", fy(2015), 66, "002", "§10 Mental Health ('last year')",
     skip=NO_CATEGORY)
_add("Maidstone", MAI, None, "Unlawful encampments on council land", _MAID_CUR, 9, "002", "§11 ('last 12 months')",
     skip=NO_CATEGORY)
_add("Maidstone", MAI, None, "ASB reports direct to MBC CSU", span(2015, 12, 2016, 11), 113, "002", "§4.1",
     skip=NO_CATEGORY)

# ============================================================================================
# 002 §3.4 Table 1 One Stop Shop visitors (July to June years), with 003 ¶35 and the 2015/16 SA.
# ============================================================================================
_SOSS = ("§3.4 Table 1 One Stop Shop visitors (Kent and Medway Domestic Abuse Strategy Group, July to June)")
_OSS_YEARS = (2010, 2011, 2012, 2013, 2014, 2015)
_OSS_ROWS = [
    ("Ashford", ASH, (75, 169, 239, 316, 317, 362)),
    ("Dartford", DAR, (60, 46, 52, 74, 116, 138)),
    ("Dover", DOV, (102, 54, 83, 81, 86, 188)),
    ("Gravesend", GRA, (52, 31, 52, 64, 134, 135)),
    ("Maidstone", MAI, (None, 20, 65, 97, 156, 222)),
    ("Medway", MED, (128, 146, 147, 287, 508, 638)),
    ("Shepway", FOL, (143, 120, 91, 165, 183, 260)),
    ("Sevenoaks", SEV, (6, 12, 16, 25, 16, 13)),
    ("Thanet", THA, (49, 71, 117, 215, 223, 281)),
    ("Tonbridge", TMA, (None, None, None, 8, 55, 70)),
    ("Tunbridge Wells", TUN, (None, None, None, None, 2, None)),
]
_OSS_LOCATIONS = [
    ("Canterbury", CAN, (169, 262, 214, 232, 253, 328)),
    ("Herne Bay", CAN, (None, None, 43, 125, 147, 163)),
    ("Sittingbourne", SWA, (107, 123, 140, 146, 200, 208)),
    ("Sheerness", SWA, (None, None, None, None, 14, 167)),
]
for _name, _code, _values in _OSS_ROWS:
    for _year, _value in zip(_OSS_YEARS, _values):
        if _value is None:
            continue
        _sec = _SOSS
        if _year >= 2014 and _code != TUN:
            _sec += "; also 003 ¶35 (July to June)"
        if _code == ASH:
            _sec += "; also 003 2015/16 SA §3 (July to June)" if _year <= 2014 else ""
        _note = ""
        if _code == TUN:
            _note = ("Service opened November 2014 and closed April 2015 (footnote 5): the demo has figures for "
                     "October-December 2014 and January-March 2015 only, and no row in any other quarter.")
        if _code == SEV and _year == 2015:
            _note = ("Closed in April 2016 (footnote 3), taken as the start of April: the last figure is for "
                     "January-March 2016, so all 13 visitors of the year came before it.")
        if _code == TMA and _year == 2013:
            _note = "Opened in April 2014 (footnote 4): the first figure is for April-June 2014."
        _add("Tonbridge and Malling" if _code == TMA else _name, _code, "one-stop-shop-visitors",
             f"No of visitors ({_name})", jul_jun(_year), _value, "002", _sec, note=_note)

for _name, _code, _values in _OSS_LOCATIONS:
    for _year, _value in zip(_OSS_YEARS, _values):
        if _value is None:
            continue
        _add(f"{_name} One Stop Shop", _code, "one-stop-shop-visitors", f"No of visitors ({_name})", jul_jun(_year),
             _value, "002", _SOSS + ("; also 003 ¶35" if _year >= 2014 else ""),
             skip=("One of two One Stop Shops in the district; the footnotes combine them into the local "
                   "authority figure, which is the record reproduced."))

for _name, _code, _parts in (("Canterbury", CAN, ("Canterbury", "Herne Bay")),
                             ("Swale", SWA, ("Sittingbourne", "Sheerness"))):
    _rows = [v for n, _, v in _OSS_LOCATIONS if n in _parts]
    for _i, _year in enumerate(_OSS_YEARS):
        _total = sum(v[_i] or 0 for v in _rows)
        _add(_name, _code, "one-stop-shop-visitors", f"No of visitors ({' + '.join(_parts)})", jul_jun(_year),
             _total, "002", _SOSS + " - footnotes 6 and 7 combine the two shops in the local authority area",
             note=f"Sum of the {_parts[0]} and {_parts[1]} rows, as the footnotes direct.")

for _year, _total in zip(_OSS_YEARS, (891, 1054, 1259, 1835, 2410, 3173)):
    _add("Kent and Medway (all One Stop Shops)", ALL13, "one-stop-shop-visitors", "Total", jul_jun(_year), _total,
         "002", _SOSS + (" and §3.4 text ('3,173 people were assisted')" if _year == 2015 else ""))

for _name, _code, _rate in (("Ashford", ASH, 28.2), ("Canterbury", CAN, 31.1), ("Dartford", DAR, 13.0),
                            ("Dover", DOV, 16.4), ("Gravesend", GRA, 12.7), ("Maidstone", MAI, 13.4),
                            ("Medway", MED, 22.9), ("Shepway", FOL, 23.5), ("Swale", SWA, 26.2),
                            ("Sevenoaks", SEV, 1.1), ("Thanet", THA, 20.0), ("Tonbridge", TMA, 5.5)):
    _add(_name, _code, "one-stop-shop-visitors", "Visitors per 10,000 LA population (KCC 2016 projection)",
         jul_jun(2015), _rate, "002", _SOSS + "; also 003 ¶35",
         skip=RATE, measure=RATE_10000)
_add("Canterbury", CAN, "one-stop-shop-visitors", "Visitors per 10,000 LA population", jul_jun(2015), 31.6, "003",
     "¶35 (prints 31.6 where 002 Table 1 prints 31.1)", skip=RATE, measure=RATE_10000)

# ============================================================================================
# 000 Tunbridge Wells SA 2016/17: October 2015 - September 2016 against a year earlier.
# ============================================================================================
_TW_CUR = span(2015, 10, 2016, 9)
_TW_PREV = span(2014, 10, 2015, 9)
_STAB = "Part 1 crime-type table (This year / Last year)"
for _cat, _label, _cur, _prev, _extra in [
    ("all-crime", "All crime", 5285, 5040,
     "; also the headline box (Level of Crime 5,285, previous period 5,040)"),
    ("victim-based-crime", "Victim-based crime", 4797, 4626, ""),
    ("asb-incidents", "ASB Incidents", 2253, 2236, "; also Proportionality (ASB 2253)"),
    ("burglary-dwelling", "Burglary dwelling", 155, 240, "; also Proportionality (155)"),
    ("burglary-other", "Burglary other", 311, 358, "; also Proportionality (BOTD 311)"),
    ("criminal-damage", "Criminal damage", 826, 748, "; also Proportionality (826)"),
    ("drug-offences", "Drug offences", 189, 212, "; also Priority 4 box (189, last year 212)"),
    ("sexual-offences", "Sexual offences", 165, 125, "; also Proportionality (165) and Part 2 text"),
    ("shoplifting", "Shoplifting", 436, 527, "; also Proportionality (436)"),
    ("theft-from-motor-vehicle", "Theft from a motor vehicle", 177, 202, "; also Proportionality (TFMV 177)"),
    ("theft-of-motor-vehicle", "Theft of motor vehicle", 93, 90, ""),
    ("theft-of-pedal-cycle", "Theft of pedal cycle", 37, 56, ""),
]:
    _note = "The document prints the change as 4.7%; 245 / 5,040 is 4.9%." if _cat == "all-crime" else ""
    _add("Tunbridge Wells", TUN, _cat, _label, _TW_CUR, _cur, "000", _STAB + _extra, note=_note)
    _add("Tunbridge Wells", TUN, _cat, _label, _TW_PREV, _prev, "000", _STAB + _extra)

_add("Tunbridge Wells", TUN, "robbery", "Robbery", _TW_CUR, 26, "000", _STAB,
     note=("Kept over the headline box's 25: with violence against the person 1,723 and sexual offences 165 it "
           "makes the published violent crime total 1,914 (25 would break one of them)."))
_add("Tunbridge Wells", TUN, "robbery", "Robbery (Level of Crime)", _TW_CUR, 25, "000",
     "Priority 3 robbery headline box ('25 crimes (last year 53)'), and the personal 19 + business 6 split",
     skip=("Conflicts with the crime-type table's 26, which was kept because 1,723 + 165 + 26 = 1,914, the "
           "published violent crime total."))
_add("Tunbridge Wells", TUN, "robbery", "Robbery", _TW_PREV, 53, "000",
     _STAB + "; also the robbery headline box (last year 53)")
for _label, _cur, _prev in (("Robbery of personal property", 19, 43), ("Robbery of business property", 6, 10)):
    _add("Tunbridge Wells", TUN, None, _label, _TW_CUR, _cur, "000", "Priority 3 robbery text", skip=NO_CATEGORY)
    _add("Tunbridge Wells", TUN, None, _label, _TW_PREV, _prev, "000", "Priority 3 robbery text", skip=NO_CATEGORY)

for _cat, _label, _value in (("violence-against-the-person", "VAP", 1723), ("other-theft", "Other Theft", 801),
                             ("public-order-offences", "Public Order offences", 201)):
    _add("Tunbridge Wells", TUN, _cat, _label, _TW_CUR, _value, "000", "Part 1 Proportionality box")

_add("Tunbridge Wells", TUN, "violent-crime", "Violent crime (Level of Crime)", _TW_CUR, 1914, "000",
     "Priority 3 headline box ('1,914 crimes (last year 1,605)')")
_add("Tunbridge Wells", TUN, "violent-crime", "Violent crime (Level of Crime)", _TW_PREV, 1605, "000",
     "Priority 3 headline box")
_add("Tunbridge Wells", TUN, "violent-crime", "Recorded violent crimes", _TW_CUR, 1696, "000",
     "Priority 3 text ('This represents 1,696 recorded crimes', 14.6 per 1,000, up 195)",
     skip=("Conflicts with the headline box's 1,914 for the same months, which was kept (it adds up with the "
           "crime-type table); the text's 1,696 and 'increase of 195' come from a different extract."))
_add("Tunbridge Wells", TUN, "violent-crime", "Violent crimes per 1,000", _TW_CUR, 14.6, "000", "Priority 3 text",
     skip=RATE, measure=RATE_1000)

_add("Tunbridge Wells", TUN, "drug-possession", "Possession of drugs offences", _TW_CUR, 162, "000",
     "Priority 4 text ('down by just 3 to 162')")
_add("Tunbridge Wells", TUN, "drug-possession", "Possession of drugs offences", _TW_PREV, 165, "000",
     "Priority 4 text (implied: 'down by just 3 to 162')")
_add("Tunbridge Wells", TUN, "drug-trafficking", "Drug trafficking offences", _TW_CUR, 27, "000",
     "Priority 4 text ('down from 47 to 27')")
_add("Tunbridge Wells", TUN, "drug-trafficking", "Drug trafficking offences", _TW_PREV, 47, "000",
     "Priority 4 text ('down from 47 to 27')")
_add("Tunbridge Wells", TUN, "drug-offences", "Drug offences per 1,000", _TW_CUR, 1.6, "000", "Priority 4 text",
     skip=RATE, measure=RATE_1000)

_add("Tunbridge Wells", TUN, "domestic-abuse-incidents", "Domestic abuse (Level of Crime)", _TW_CUR, 1403, "000",
     "Priority 1 headline box and text ('1,403 recorded incidents')")
_add("Tunbridge Wells", TUN, "domestic-abuse-incidents", "Domestic abuse (Level of Crime)", _TW_PREV, 1319, "000",
     "Priority 1 headline box")
_add("Tunbridge Wells", TUN, "domestic-abuse-repeat-victims", "Recorded repeat victims", _TW_CUR, 589, "000",
     "Priority 1 text ('589 recorded repeat victims')")
_SDA = "Part 1 crime-type table, rows marked * ('Comparing Apr-Nov 2015 to Apr-Nov 2016')"
_SWAP = ("Read with the printed columns swapped: 'This year' 916 / 'Last year' 983 only agrees with the printed "
         "change (+7.3%) and repeat rates (37% in 2015, 41% in 2016, as the Priority 1 text says) the other way round.")
_add("Tunbridge Wells", TUN, "domestic-abuse-incidents", "Domestic abuse incidents *", span(2015, 4, 2015, 11),
     916, "000", _SDA, note=_SWAP)
_add("Tunbridge Wells", TUN, "domestic-abuse-incidents", "Domestic abuse incidents *", span(2016, 4, 2016, 11),
     983, "000", _SDA, note=_SWAP)
_add("Tunbridge Wells", TUN, "domestic-abuse-repeat-victims", "DA repeat victims *", span(2015, 4, 2015, 11), 337,
     "000", _SDA, note=_SWAP)
_add("Tunbridge Wells", TUN, "domestic-abuse-repeat-victims", "DA repeat victims *", span(2016, 4, 2016, 11), 403,
     "000", _SDA, note=_SWAP)
_PRINTED = "The columns as printed; the swapped reading was kept (see the Apr-Nov records)."
_add("Tunbridge Wells", TUN, "domestic-abuse-incidents", "Domestic abuse incidents * (as printed)",
     span(2016, 4, 2016, 11), 916, "000", _SDA, skip=_PRINTED)
_add("Tunbridge Wells", TUN, "domestic-abuse-incidents", "Domestic abuse incidents * (as printed)",
     span(2015, 4, 2015, 11), 983, "000", _SDA, skip=_PRINTED)
_add("Tunbridge Wells", TUN, "domestic-abuse-repeat-victims", "DA repeat victims * (as printed)",
     span(2016, 4, 2016, 11), 337, "000", _SDA, skip=_PRINTED)
_add("Tunbridge Wells", TUN, "domestic-abuse-repeat-victims", "DA repeat victims * (as printed)",
     span(2015, 4, 2015, 11), 403, "000", _SDA, skip=_PRINTED)

_SSEX = ("Part 2 Summary ('September 2016 saw 26 recorded sexual offences over 13, 16 and 15 for the preceding "
         "three months')")
for _month, _value in ((9, 26), (6, 13), (7, 16), (8, 15)):
    _add("Tunbridge Wells", TUN, "sexual-offences", "Recorded sexual offences", one(2016, _month), _value, "000",
         _SSEX, note="The three preceding months read in calendar order: June 13, July 16, August 15."
         if _month != 9 else "")
_add("Tunbridge Wells", TUN, "sexual-offences", "Average for the 12 months prior to September (x12)",
     span(2015, 9, 2016, 8), 138, "000", "Part 2 Summary ('The average ... is 11.5 offences')",
     skip=("Conflicts: with 165 for October 2015 - September 2016 and 26 in September 2016, the 11 months "
           "October 2015 - August 2016 already hold 139, so September 2015 would be -1. A rounded average, "
           "not a count."))

_SHATE = ("Priority 3 Hate Crime ('In August of last year police recorded 12 offences (10 in July), the highest "
          "monthly figure in six years')")
_add("Tunbridge Wells", TUN, "hate-crime", "Hate crime reports", one(2016, 8), 12, "000", _SHATE,
     note="'Last year' is 2016 (the assessment was written in early 2017). No other month from April 2012 to "
          "October 2016 exceeds 11 (see MONTHLY_CEILINGS).")
_add("Tunbridge Wells", TUN, "hate-crime", "Hate crime reports", one(2016, 7), 10, "000", _SHATE)
_add("Tunbridge Wells", TUN, "hate-crime", "Race-based hate crime, four weeks either side of 23 June 2016",
     one(2016, 6),
     9, "000", "Priority 3 Hate Crime", skip="Four-week periods and a sub-category: not whole months.")

_SROAD = "Priority 2 Road safety (calendar years)"
_add("Tunbridge Wells", TUN, "road-casualties", "Casualties", cal(2015), 423, "000",
     _SROAD + " headline box ('423 Casualties (last year 482)') and MoRiLE text")
_add("Tunbridge Wells", TUN, "road-casualties", "Casualties", cal(2014), 482, "000", _SROAD + " headline box and text")
_add("Tunbridge Wells", TUN, "road-casualties", "Casualties", cal(2013), 441, "000",
     _SROAD + " text ('following an increase of 41 during the previous period')",
     note="Derived: 2014's 482 was 'an increase of 41', so 2013 had 441.")
_add("Tunbridge Wells", TUN, "ksi", "KSI casualties", cal(2015), 54, "000", _SROAD + " text ('fell to 54')")
_add("Tunbridge Wells", TUN, "slight", "Slight casualties", cal(2015), 369, "000",
     "Overview of MoRiLE themes, Road safety ('Of the 423 recorded casualties 369 were graded slight')")
_add("Tunbridge Wells", TUN, "child-ksi", "Child KSI", cal(2015), 3, "000",
     _SROAD + " text ('reductions in child KSI and slight injuries to 3 and 23')")
_add("Tunbridge Wells", TUN, None, "Child slight casualties", cal(2015), 23, "000", _SROAD + " text",
     skip=NO_CATEGORY + " (there is child-ksi, but no child slight or child casualty category)")
for _label, _value in (("All casualties, 2004-2008 average", 463), ("KSI, 2004-2008 average", 70),
                       ("Child KSI, 2004-2008 average", 3), ("Child slight, 2004-2008 average", 35)):
    _add("Tunbridge Wells", TUN, "road-casualties" if _label.startswith("All") else None, _label,
         span(2004, 1, 2008, 12),
         _value, "000", _SROAD + " text", skip="A 2004-2008 baseline average: before April 2012.")

_SALC = "Priority 4 Hospital admissions for toxic effects of alcohol (ward table totals)"
for _window, _value in ((span(2015, 10, 2015, 12), 16), (span(2016, 1, 2016, 3), 17), (span(2016, 4, 2016, 6), 17),
                        (span(2016, 7, 2016, 9), 16)):
    _add("Tunbridge Wells", TUN, "alcohol-hospital-admissions", "Admissions (quarter total)", _window, _value, "000",
         _SALC, note="Toxic effects of alcohol, the assessment's alcohol measure, held in the alcohol-specific "
                     "category.")
_add("Tunbridge Wells", TUN, "alcohol-hospital-admissions", "Admissions", _TW_CUR, 66, "000",
     "Priority 4 text ('down from 93 to 66')")
_add("Tunbridge Wells", TUN, "alcohol-hospital-admissions", "Admissions", _TW_PREV, 93, "000",
     "Priority 4 text ('down from 93 to 66')",
     note="Read as October-September years, like the rest of the assessment and its quarterly table.")
for _window, _value in ((span(2015, 10, 2015, 12), 73), (span(2016, 1, 2016, 3), 64), (span(2016, 4, 2016, 6), 68),
                        (span(2016, 7, 2016, 9), 86)):
    _add("Tunbridge Wells", TUN, None, "Hospital admissions due to psychoactive substance misuse", _window, _value,
         "000", "Priority 4 (ward table totals)", skip=NO_CATEGORY)

for _name, _code, _rate in (("Tunbridge Wells", TUN, 45.466), ("Tonbridge", TMA, 50.233), ("Sevenoaks", SEV, 51.863)):
    _add(_name, _code, "all-crime", "Crimes per 1000 residents", _TW_CUR, _rate, "000", "Part 1 table of rates",
         skip=RATE, measure=RATE_1000)

for _ward, _value in (("Park", 653), ("Sherwood", 466), ("Culverden", 410)):
    _add(f"Tunbridge Wells: {_ward} ward", TUN, None, "Crime and ASB", span(2016, 4, 2016, 11), _value, "000",
         "Part 1 Top 3 wards (April-November 2016)", skip=WARD)
for _ward, _value in (("Culverden", 127), ("Park", 220), ("Southborough & High Brooms", 118), ("Sherwood", 117)):
    _add(f"Tunbridge Wells: {_ward} ward", TUN, "violent-crime", "Violent crime", span(2016, 4, 2016, 11), _value,
         "000", "Priority 3 Ward comparison (April to November 2016)", skip=WARD)

_add("Tunbridge Wells", TUN, None, "DAVSS referrals (Q1-Q3 2016/17)", span(2016, 4, 2016, 12), 195, "000",
     "Priority 1 Funded outcomes", skip=NO_CATEGORY)
_add("Tunbridge Wells", TUN, "marac-cases", "Cases referred to MARAC by DAVSS", span(2016, 4, 2016, 12), 74, "000",
     "Priority 1 Funded outcomes ('74 cases were referred to MARAC of which 19 were repeat cases')",
     skip=("DAVSS's own referrals to MARAC, a subset of the cases MARAC heard for the district (police and "
           "other agencies refer too), so it is not the marac-cases total."))
_add("Tunbridge Wells", TUN, None, "Arrests for drunkenness", cal(2016), 56, "000", "Priority 4", skip=NO_CATEGORY)
_add("Tunbridge Wells", TUN, None, "Arrests for drunkenness", cal(2015), 119, "000", "Priority 4", skip=NO_CATEGORY)

# ============================================================================================
# 001 Tunbridge Wells plan 2021/22: calendar 2020 against 2019.
# ============================================================================================
_S001 = "Part 1 crime-type table (This Year 2020 / Last Year 2019)"
for _cat, _label, _cur, _prev, _extra in [
    ("all-crime", "All crime", 7830, 8608, "; also the Level of Crime box"),
    ("victim-based-crime", "Victim-based crime", 6652, 7466, ""),
    ("violent-crime", "Violent Crime", 3662, 3571, ""),
    ("sexual-offences", "Sexual offences", 272, 284, ""),
    ("hate-crime", "Hate Crime", 191, 185, ""),
    ("asb-incidents", "ASB Incidents", 2354, 1490, ""),
    ("burglary-dwelling", "Burglary Residential", 281, 361, " ('Burglary Residential' is burglary-dwelling)"),
    ("criminal-damage", "Criminal damage", 948, 1055, ""),
    ("domestic-abuse-incidents", "Domestic abuse incidents", 2391, 2296, ""),
    ("drug-offences", "Drug offences", 219, 206, ""),
    ("drug-trafficking", "(Drug Trafficking)", 66, 80, ""),
    ("drug-possession", "(Drug Possession)", 153, 126, ""),
    ("robbery", "Robbery", 39, 67, ""),
    ("shoplifting", "Shoplifting", 564, 759, ""),
    ("theft-from-motor-vehicle", "Theft from a motor vehicle", 229, 301, ""),
    ("theft-of-motor-vehicle", "Theft of motor vehicle", 123, 138, ""),
]:
    _add("Tunbridge Wells", TUN, _cat, _label, cal(2020), _cur, "001", _S001 + _extra)
    _add("Tunbridge Wells", TUN, _cat, _label, cal(2019), _prev, "001", _S001 + _extra)
_add("Tunbridge Wells", TUN, "all-crime", "All crime", cal(2018), 8953, "001",
     "Part 1 text ('builds on the reduction of 345 crimes during the previous calendar year (2019)')",
     note="Derived: 2019's 8,608 was a reduction of 345, so 2018 had 8,953.")
_add("Tunbridge Wells", TUN, "violent-crime", "Violent crime 2018 (implied by 'a reduction of 7.5% in 2019')",
     cal(2018), 3861, "001", "Part 1 text",
     skip="Implied only by a rounded percentage (any count from 3,859 to 3,862 fits), not a printed count.")
_add("Tunbridge Wells", TUN, None, "ASB: rowdy or nuisance gathering, increase in 2020", cal(2020), 429, "001",
     "Anti-social Behaviour text", skip=NO_CATEGORY + " (an ASB sub-category, printed as a change)")

# ============================================================================================
# 003 Ashford scrutiny report (2017) and the attached 2015/16 Strategic Assessment.
# ============================================================================================
_S20 = "¶20 Crashes - All Ages"
_CRASH = ("Counts collisions (crashes), not people: the road categories count casualties. The casualties table "
          "(¶22) is reproduced instead.")
for _name, _code, _year, _vals in (("Ashford", ASH, 2014, (6, 58, 288, 352, 64)),
                                   ("Ashford", ASH, 2015, (5, 48, 288, 341, 53)),
                                   ("Canterbury", CAN, 2015, (7, 42, 322, 371, 49)),
                                   ("Dover", DOV, 2015, (3, 29, 216, 248, 32)),
                                   ("Shepway", FOL, 2015, (4, 38, 242, 284, 42)),
                                   ("Maidstone", MAI, 2015, (5, 42, 396, 442, 47))):
    for _label, _value in zip(("Fatal crashes", "Serious crashes", "Slight crashes", "Total crashes", "KSI crashes"),
                              _vals):
        _add(_name, _code, None, _label, cal(_year), _value, "003", _S20, skip=_CRASH)
for _label, _value in zip(("Fatal crashes", "Serious crashes", "Slight crashes", "Total crashes", "KSI crashes"),
                          (0, 13, 71, 84, 13)):
    _add("Ashford", ASH, None, _label, span(2016, 1, 2016, 3), _value, "003", "¶21 (January - March 2016)",
         skip=_CRASH)

_S22C = "¶22 Casualties - All Ages"
for _name, _code, _window, _vals, _extra in (
    ("Ashford", ASH, cal(2014), (6, 67, 419, 492, 73), "; also the 2015/16 SA §4 (KSI 73)"),
    ("Ashford", ASH, cal(2015), (5, 55, 439, 499, 60), ""),
    ("Canterbury", CAN, cal(2015), (8, 49, 453, 510, 57), ""),
    ("Dover", DOV, cal(2015), (3, 34, 294, 331, 37), ""),
    ("Shepway", FOL, cal(2015), (6, 39, 336, 381, 45), ""),
    ("Maidstone", MAI, cal(2015), (5, 45, 585, 634, 50), ""),
    ("Ashford", ASH, span(2016, 1, 2016, 3), (0, 13, 92, 105, 13), " (¶23, January - March 2016)"),
):
    for _cat, _label, _value in zip(("fatal", "serious", "slight", "road-casualties", "ksi"),
                                    ("Fatal", "Serious", "Slight", "Total", "KSI"), _vals):
        if _code == MAI and _cat == "ksi":
            continue  # Maidstone's 2015 KSI of 50 is the record from 002 §1.2, which cites this table too.
        _skip = ""
        if _code == MAI and _cat == "road-casualties":
            _skip = ("The printed total is one less than its parts (5 + 45 + 585 = 635); the parts were kept "
                     "(KSI 50 also agrees with 002).")
        _add(_name, _code, _cat, _label, _window, _value, "003", _S22C + _extra, skip=_skip)

_add("Kent (12 KCC districts)", KCC12, "ksi", "Fatal and serious road casualties in the county", cal(2015), 632,
     "003", "¶17 ('the 12-month total of fatal and serious road casualties in the county was 632')",
     note=("Read as the KCC area (Kent County Council is the highway authority; 000 also describes Kent's "
           "figures as excluding Medway roads). The districts without a published 2015 KSI share the remainder."))
_add("Kent (12 KCC districts)", KCC12, "ksi", "KSI 2014 (implied by 'fell by 4%')", cal(2014), 658, "003", "¶17",
     skip="Implied only by a rounded percentage (655 to 661 fit), not a printed count.")

_add("Ashford", ASH, "child-ksi", "KSI for the under 16 age group", cal(2014), 11, "003",
     "2015/16 SA §4 Road Safety ('the highest in the county at eleven'); also its Review of Performance")
_add("Ashford", ASH, "road-casualties", "Road Traffic Collisions 2014 ('from 535 ... to 490')", cal(2014), 490,
     "003", "2015/16 SA §4 Road Safety",
     skip=("Called collisions but close to the casualty count; conflicts with both the ¶20 crashes (352) and the "
           "¶22 casualties (492) for 2014, which were kept."))
_add("Ashford", ASH, "road-casualties", "Road Traffic Collisions 2013 ('from 535')", cal(2013), 535, "003",
     "2015/16 SA §4 Road Safety",
     skip="Same source as the 490 for 2014, which conflicts with the ¶22 casualties; not used for 2013 either.")
_add("Ashford", ASH, None, "Casualties under the age of 16", cal(2014), 48, "003", "2015/16 SA §4 Road Safety",
     skip=NO_CATEGORY + " (only child-ksi exists)")

_S34 = "¶34 Ashford OSS visitors ('The data relates to the period 1 October to 30 September each year')"
for _year, _value in ((2011, 169), (2012, 239), (2013, 239), (2014, 316), (2015, 386)):
    _skip = ""
    if _year == 2013:
        _skip = ("Conflicts with the July-June series (002 Table 1, 003 ¶35 and the 2015/16 SA: 239, 316, 317, "
                 "362). Keeping it as well would need July-September 2014 to be 77 visitors below July-September "
                 "2013 (a near-empty quarter in a year of 317); it repeats the previous column's 239 and looks like "
                 "a copying slip. The other October-September years are reproduced with the July-June series.")
    _add("Ashford", ASH, "one-stop-shop-visitors", "No of visitors (October to September)", oct_sep(_year), _value,
         "003", _S34, skip=_skip)
_add("Ashford", ASH, "one-stop-shop-visitors", "Busiest month June 2015 (45 visitors), quietest April 2015 (14)",
     span(2015, 4, 2015, 6), 88, "003",
     "2015/16 SA §3 ('The busiest month this year for Ashford was June with 45 visitors and the quietest was April "
     "with 14 visitors')", low=74, high=103,
     note=("Derived bound: monthly figures cannot be stored for a quarterly category, but with April the quietest "
           "month (14) and June the busiest (45), May had 15 to 44, so April-June 2015 had 74 to 103; the demo's "
           "quarter lies in that range."))
for _month, _value in ((6, 45), (4, 14)):
    _add("Ashford", ASH, "one-stop-shop-visitors", "Visitors in one month", one(2015, _month), _value, "003",
         "2015/16 SA §3", skip="A monthly figure for a quarterly-grain category; kept as the April-June 2015 range.")

_SASB = "¶61 ASB table (source police.uk)"
_SPACK = "2015/16 SA §2 ASB table (Kent Police Partnership Pack)"
_add("Ashford", ASH, "asb-incidents", "ASB incidents", fy(2012), 3191, "003", _SASB)
_add("Ashford", ASH, "asb-incidents", "ASB incidents", fy(2013), 1850, "003", _SASB + "; also " + _SPACK)
_add("Ashford", ASH, "asb-incidents", "ASB incidents", fy(2014), 1207, "003", _SPACK + " and its text ('there were "
     "still 1,207 reported incidents')",
     note=("Kept over police.uk's 1,250: the Kent Police figure, the source of the asb-incidents category and of "
           "002's Kent ASB table."))
_add("Ashford", ASH, "asb-incidents", "ASB incidents", fy(2014), 1250, "003", _SASB,
     skip="Conflicts with the Kent Police Partnership Pack's 1,207 for the same year, which was kept.")
_add("Ashford", ASH, "asb-incidents", "ASB incidents", fy(2015), 1706, "003", _SASB)
_add("Kent (12 KCC districts)", KCC12, "asb-incidents", "ASB incidents (Kent)", fy(2013), 40540, "003", _SPACK,
     note=("Read as the 12 KCC districts (a partnership pack for Kent CSPs): its 2014/15 total 36,979 is in line "
           "with the 12 districts' 37,916 for November 2014 - October 2015 in 002, while the 13 areas had 46,899."))
_add("Kent (12 KCC districts)", KCC12, "asb-incidents", "ASB incidents (Kent)", fy(2014), 36979, "003", _SPACK)
_add("Kent Police area (13 areas)", ALL13, "asb-incidents", "ASB incidents (Kent)", fy(2012), 44210, "003", _SASB,
     note="police.uk covers the whole Kent Police area, Medway included.")
_add("Kent Police area (13 areas)", ALL13, "asb-incidents", "ASB incidents (Kent)", fy(2013), 40540, "003", _SASB,
     skip=("The same number as the partnership pack's 2013/14 Kent total (kept, for the 12 KCC districts); as a "
           "13-area total it would leave Medway with no ASB that year. Probably copied from the pack."))
_add("Kent Police area (13 areas)", ALL13, "asb-incidents", "ASB incidents (Kent)", fy(2014), 49646, "003", _SASB,
     skip=("Conflicts with the Kent Police Partnership Pack's 36,979 for 2014/15 (kept) and with 002's 46,899 for "
           "November 2014 - October 2015: no realistic Medway figure reconciles them."))
_add("Kent Police area (13 areas)", ALL13, "asb-incidents", "ASB incidents (Kent)", fy(2015), 47066, "003", _SASB)
_add("Ashford", ASH, "asb-incidents", "ASB per 1,000", fy(2014), 15.40, "003", _SPACK, skip=RATE, measure=RATE_1000)
_add("Kent", KCC12, "asb-incidents", "ASB per 1,000", fy(2014), 27.39, "003", _SPACK, skip=RATE, measure=RATE_1000)
for _ward, _prev, _cur in (("Victoria", 191, 298), ("Stanhope", 147, 182), ("Beaver", 94, 159), ("Singleton", 26, 86),
                           ("Aylesford Green", 57, 75)):
    _add(f"Ashford: {_ward} ward", ASH, "asb-incidents", "ASB", fy(2014), _prev, "003", "¶64 Ward based ASB", skip=WARD)
    _add(f"Ashford: {_ward} ward", ASH, "asb-incidents", "ASB", fy(2015), _cur, "003", "¶64 Ward based ASB", skip=WARD)

_SACQ = "2015/16 SA §1 Acquisitive Crime table (January to December)"
for _cat, _label, _values in [
    ("robbery", "Robbery", (59, 39, 54)),
    ("shoplifting", "Shoplifting", (688, 746, 815)),
    ("theft-and-handling", "Theft & Handling Stolen Goods", (1921, 2019, 1933)),
    ("theft-from-motor-vehicle", "Theft from Motor Vehicle", (440, 361, 317)),
    ("theft-of-motor-vehicle", "Theft of Motor Vehicle", (114, 117, 117)),
    ("theft-of-pedal-cycle", "Theft of Pedal Cycle", (138, 219, 165)),
    ("other-theft", "Theft Other", (1095, 1054, 953)),
    ("burglary-dwelling", "Burglary Dwelling", (390, 335, 312)),
    ("burglary-other", "Burglary Other", (471, 592, 403)),
]:
    for _year, _value in zip((2013, 2014, 2015), _values):
        _add("Ashford", ASH, _cat, _label, cal(_year), _value, "003", _SACQ)

_SVIO = "2015/16 SA §6 Violent Crime table (financial years 12/13, 13/14, 14/15)"
for _cat, _label, _values in [
    ("sexual-offences", "Sexual Offences", (113, 154, 185)),
    ("violence-against-the-person", "Violence Against the Person", (1327, 1661, 1654)),
    ("violent-crime", "Violent Crime", (1489, 1858, 1893)),
]:
    for _year, _value in zip((2012, 2013, 2014), _values):
        _add("Ashford", ASH, _cat, _label, fy(_year), _value, "003", _SVIO,
             note="Robbery is what is left: 49, 43 and 54." if _cat == "violent-crime" else "")
for _year, _value in zip((2012, 2013, 2014), (20, 23, 23)):
    _add("Ashford", ASH, None, "Assaults (hospital data)", fy(_year), _value, "003", _SVIO,
         skip=NO_CATEGORY + " (supplied by the NHS, not part of the police violent crime sum)")

_add("Ashford", ASH, "criminal-damage", "Criminal damage, change 13/14 to 14/15", fy(2014), -30, "003",
     "2015/16 SA Review of Performance and §2 Criminal Damage ('a reduction of 30 criminal damage crimes recorded in "
     "14/15 when compared with 13/14')", change_from=fy(2013),
     note="Printed only as a change, so the demo reproduces the change: 2014/15 minus 2013/14 is -30.")

_add("Ashford", ASH, "drug-offences", "Drug offences", span(2014, 10, 2015, 9), 149, "003",
     "2015/16 SA §5 Drugs ('decreased from 214 to 149')")
_add("Ashford", ASH, "drug-offences", "Drug offences", span(2013, 10, 2014, 9), 214, "003", "2015/16 SA §5 Drugs")

_SDA3 = "2015/16 SA §3 Domestic Abuse (January to December 2015)"
_add("Ashford", ASH, "domestic-abuse-repeat-victims", "Repeat victims", cal(2015), 455, "003", _SDA3)
_add("Ashford", ASH, "domestic-abuse-incidents", "Incidents implied by '455 repeat victims equating to 25.6%'",
     cal(2015), 1777, "003", _SDA3, low=1774, high=1780,
     note=("Derived: 455 is 25.6% (to one decimal) of any incident count from 1,774 to 1,780; the demo's 2015 "
           "incidents lie in that range."))
_add("Ashford", ASH, None, "Notifiable domestic abuse offences", cal(2015), 799, "003", _SDA3,
     skip=NO_CATEGORY + " (domestic abuse crimes; the category counts incidents)")
_add("Ashford", ASH, None, "Medium risk / high risk (799 offences)", cal(2015), 457, "003", _SDA3, skip=NO_CATEGORY)

_add("Ashford", ASH, "marac-cases", "Cases presented to MARAC", fy(2013), 92, "003",
     "2015/16 SA §3 ('April 2013 to March 2014 ... 92 cases were presented to MARAC')")
_add("Ashford", ASH, None, "MARAC repeat cases", fy(2013), 19, "003", "2015/16 SA §3", skip=NO_CATEGORY)

_add("Ashford", ASH, "alcohol-hospital-admissions", "Hospital admissions where alcohol is evident",
     span(2014, 9, 2015, 8), 61, "003", "2015/16 SA §5 Alcohol",
     skip=("September-August is not made of whole financial-year quarters, and 'alcohol is evident' is wider than "
           "alcohol-specific admissions."))
_add("Ashford", ASH, "alcohol-hospital-admissions", "Hospital admissions where alcohol is evident",
     span(2013, 9, 2014, 8), 50, "003", "2015/16 SA §5 Alcohol",
     skip="September-August is not made of whole financial-year quarters (and a wider definition).")
_add("Ashford", ASH, None, "Admissions for psychoactive substance use", fy(2014), 239, "003",
     "2015/16 SA Psychoactive Substance Use", skip=NO_CATEGORY)
_add("Ashford", ASH, None, "Admissions for psychoactive substance use", fy(2013), 204, "003",
     "2015/16 SA Psychoactive Substance Use", skip=NO_CATEGORY)
for _year, _ash, _kent in ((2010, 876, 11208), (2011, 874, 11611), (2012, 946, 12135), (2013, 1124, 15134),
                           (2014, 940, 15211)):
    _add("Ashford", ASH, None, "Fly-tipping incidents", fy(_year), _ash, "003", "2015/16 SA §2 Fly-tipping",
         skip=NO_CATEGORY)
    _add("Kent", KCC12, None, "Fly-tipping incidents", fy(_year), _kent, "003", "2015/16 SA §2 Fly-tipping",
         skip=NO_CATEGORY)

# ============================================================================================
# 004 Tonbridge and Malling plan 2014-15: its crime and ASB counts are "XXX" placeholders.
# ============================================================================================
_add("Tonbridge and Malling", TMA, None, "Youth justice first time entrants", fy(2011), 93, "004",
     "Review of projects ('from 93 in 2011/12 to 73 in 2012/13')", skip=NO_CATEGORY)
_add("Tonbridge and Malling", TMA, None, "Youth justice first time entrants", fy(2012), 73, "004",
     "Review of projects", skip=NO_CATEGORY)
_add("Tonbridge and Malling", TMA, None, "Referrals to mediation (baseline 2012/13)", fy(2012), 33, "004",
     "Review of actions table (target 40)", skip=NO_CATEGORY)
_add("Tonbridge and Malling", TMA, None, "Low/medium risk DA victims supported (baseline 2012/13)", fy(2012), 39,
     "004", "Review of actions table (target 50)", skip=NO_CATEGORY)


@dataclass(frozen=True)
class MonthlyCeiling:
    """A published statement that no month in a span exceeded ``maximum`` (except the listed months)."""

    district: str
    category: str
    start: int
    end: int
    maximum: int
    except_months: tuple[int, ...]
    source: str
    section: str


MONTHLY_CEILINGS: list[MonthlyCeiling] = [
    # August 2016's 12 was "the highest monthly figure in six years" on a graph from January 2010 to October 2016.
    MonthlyCeiling(TUN, "hate-crime", DATA_START, mi(2016, 10), 11, (mi(2016, 8),), "000", _SHATE),
]


@dataclass(frozen=True)
class ServicePeriod:
    """The months (inclusive month indexes) in which a district's One Stop Shop ran."""

    district: str
    start: int
    end: int
    source: str
    section: str


# One Stop Shops that did not run for the whole demo span. A quarter has a figure when the shop ran in any
# of its months; outside that the district has no figure at all (no row, not 0). A shop that "closed in
# April" is taken to have closed at the start of April. Every other district's shop ran throughout.
OSS_SERVICE: dict[str, ServicePeriod] = {
    TUN: ServicePeriod(TUN, mi(2014, 11), mi(2015, 3), "002",
                       "Table 1 footnote 5 ('Opened in November 2014, closed in April 2015'); 000 Priority 1 "
                       "('There is no OSS at present in Tunbridge Wells'); 001 plans to 'implement' one in 2021/22"),
    SEV: ServicePeriod(SEV, DATA_START, mi(2016, 3), "002",
                       "Table 1 footnote 3 (Swanley, moved to Sevenoaks November 2014, closed in April 2016)"),
    TMA: ServicePeriod(TMA, mi(2014, 4), DATA_END, "002", "Table 1 footnote 4 (Tonbridge, opened in April 2014)"),
}


def in_service(district: str, category: str, start: int, end: int) -> bool:
    """Whether a figure exists for the period: always, except One Stop Shop quarters with no shop."""
    if category != "one-stop-shop-visitors" or district not in OSS_SERVICE:
        return True
    service = OSS_SERVICE[district]
    return start <= service.end and end >= service.start


def reproduced() -> list[Target]:
    return [t for t in TARGETS if t.reproduced and t.category != POPULATION]


def skipped() -> list[Target]:
    return [t for t in TARGETS if not t.reproduced]
