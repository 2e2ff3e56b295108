"""Kent reference data: districts, comparison groups and the category tree.

This module is plain data so that migrations (which install it into every fresh
database), the demo-data generator and database-free tests all read one source.
Administrators edit the installed copies in the Django admin; changing this file
later does not rewrite a live database.

Sources: docs/methods.md §12 (districts, ONS codes, 2016 police divisions) and §10
(Kent Police recorded-crime grouping, which adds up exactly in the published
Maidstone table for the 12 months to October 2016).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Polarity: which direction of change is an improvement.
LOWER_IS_BETTER = "lower"
HIGHER_IS_BETTER = "higher"
NO_JUDGEMENT = "none"

# Units: how the stored whole-number count is presented as a headline.
UNIT_COUNT = "count"  # a count of events, also shown as a rate per residents
UNIT_PERCENTAGE = "percentage"  # a count shown as a share of another category
UNIT_RATE = "rate"  # a count whose headline is its rate per residents

# Who supplies the figures: county analysts load police extracts; officers enter
# the rest for their own district in the quarterly grid.
ENTRY_COUNTY = "county"
ENTRY_DISTRICT = "district"

GRAIN_MONTH = "month"
GRAIN_QUARTER = "quarter"


@dataclass(frozen=True)
class DistrictRef:
    code: str
    name: str
    police_division: str
    in_kcc_area: bool = True
    former_names: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return self.name.lower().replace(" ", "-")


DISTRICTS: tuple[DistrictRef, ...] = (
    DistrictRef("E07000105", "Ashford", "east"),
    DistrictRef("E07000106", "Canterbury", "east"),
    DistrictRef("E07000107", "Dartford", "north"),
    DistrictRef("E07000108", "Dover", "east"),
    DistrictRef("E07000109", "Gravesham", "north"),
    DistrictRef("E07000110", "Maidstone", "west"),
    DistrictRef("E07000111", "Sevenoaks", "west"),
    DistrictRef("E07000112", "Folkestone and Hythe", "east", former_names=("Shepway",)),
    DistrictRef("E07000113", "Swale", "north"),
    DistrictRef("E07000114", "Thanet", "east"),
    DistrictRef("E07000115", "Tonbridge and Malling", "west"),
    DistrictRef("E07000116", "Tunbridge Wells", "west"),
    DistrictRef("E06000035", "Medway", "north", in_kcc_area=False),
)

DISTRICT_BY_CODE = {d.code: d for d in DISTRICTS}
DISTRICT_CODE_BY_NAME = {d.name: d.code for d in DISTRICTS}


@dataclass(frozen=True)
class GroupRef:
    slug: str
    name: str
    description: str
    district_codes: tuple[str, ...]


def _codes(*names: str) -> tuple[str, ...]:
    return tuple(DISTRICT_CODE_BY_NAME[n] for n in names)


GROUPS: tuple[GroupRef, ...] = (
    GroupRef(
        "kent",
        "Kent (12 KCC districts)",
        "The 12 districts of the Kent County Council area. 'Best out of 12 Kent areas' "
        "in the strategic assessments means this group.",
        tuple(d.code for d in DISTRICTS if d.in_kcc_area),
    ),
    GroupRef(
        "kent-and-medway",
        "Kent and Medway (13 areas)",
        "The 12 KCC districts and Medway unitary authority, all policed by Kent Police.",
        tuple(d.code for d in DISTRICTS),
    ),
    GroupRef(
        "north-division",
        "Kent Police North Division",
        "Dartford, Gravesham, Swale and Medway (police divisions as in 2016).",
        _codes("Dartford", "Gravesham", "Swale", "Medway"),
    ),
    GroupRef(
        "east-division",
        "Kent Police East Division",
        "Ashford, Canterbury, Dover, Folkestone and Hythe and Thanet (police divisions as in 2016).",
        _codes("Ashford", "Canterbury", "Dover", "Folkestone and Hythe", "Thanet"),
    ),
    GroupRef(
        "west-division",
        "Kent Police West Division",
        "Maidstone, Sevenoaks, Tonbridge and Malling and Tunbridge Wells (police divisions as in 2016).",
        _codes("Maidstone", "Sevenoaks", "Tonbridge and Malling", "Tunbridge Wells"),
    ),
    GroupRef(
        "west-kent",
        "West Kent",
        "Tunbridge Wells, Tonbridge and Malling and Sevenoaks, which share services and a "
        "domestic abuse forum.",
        _codes("Tunbridge Wells", "Tonbridge and Malling", "Sevenoaks"),
    ),
)


@dataclass(frozen=True)
class CategoryRef:
    slug: str
    name: str
    parent: str | None
    definition: str
    source: str = "Kent Police recorded crime"
    family: str = "recorded-crime"
    unit: str = UNIT_COUNT
    rate_base: int = 1000
    polarity: str = LOWER_IS_BETTER
    adds_to_parent: bool = True
    suppress_below: int | None = None
    entry: str = ENTRY_COUNTY
    grain: str = GRAIN_MONTH
    proportion_of: str | None = None
    short_name: str = ""
    extra: dict = field(default_factory=dict)


_ROADS = "KCC / DfT reported road casualties (STATS19)"

CATEGORIES: tuple[CategoryRef, ...] = (
    # --- Police recorded crime: the Kent Police tree (docs/methods.md §10) --------------
    CategoryRef("all-crime", "All recorded crime", None,
                "Every crime recorded by Kent Police in the area: victim-based crime plus crimes against society."),
    CategoryRef("victim-based-crime", "Victim-based crime", "all-crime",
                "Crimes with a direct victim: violence, burglary, vehicle crime, theft and criminal damage."),
    CategoryRef("violent-crime", "Violent crime", "victim-based-crime",
                "Violence against the person, sexual offences and robbery."),
    CategoryRef("violence-against-the-person", "Violence against the person", "violent-crime",
                "Offences from assault without injury to homicide, including harassment and stalking. "
                "Excludes robbery and sexual offences.", short_name="VAP"),
    CategoryRef("sexual-offences", "Sexual offences", "violent-crime",
                "Rape and other sexual offences."),
    CategoryRef("robbery", "Robbery", "violent-crime",
                "Theft with the use or threat of force, of personal or business property."),
    CategoryRef("burglary-dwelling", "Burglary dwelling", "victim-based-crime",
                "Burglary of a home (called 'burglary residential' from 2017)."),
    CategoryRef("burglary-other", "Burglary other than dwelling", "victim-based-crime",
                "Burglary of sheds, outbuildings and business premises.", short_name="BOTD"),
    CategoryRef("vehicle-crime", "Vehicle crime", "victim-based-crime",
                "Theft of and theft from motor vehicles."),
    CategoryRef("theft-of-motor-vehicle", "Theft of a motor vehicle", "vehicle-crime",
                "Theft or unauthorised taking of a motor vehicle.", short_name="TOMV"),
    CategoryRef("theft-from-motor-vehicle", "Theft from a motor vehicle", "vehicle-crime",
                "Theft of property from inside or on a motor vehicle.", short_name="TFMV"),
    CategoryRef("vehicle-interference", "Vehicle interference", "victim-based-crime",
                "Tampering with a motor vehicle without lawful authority."),
    CategoryRef("theft-and-handling", "Theft and handling", "victim-based-crime",
                "Shoplifting, theft of pedal cycles and other theft, including handling stolen goods."),
    CategoryRef("shoplifting", "Shoplifting", "theft-and-handling",
                "Theft from a shop or stall."),
    CategoryRef("theft-of-pedal-cycle", "Theft of a pedal cycle", "theft-and-handling",
                "Theft of a bicycle."),
    CategoryRef("other-theft", "Other theft", "theft-and-handling",
                "Theft not recorded elsewhere, including theft from the person and handling stolen goods."),
    CategoryRef("criminal-damage", "Criminal damage", "victim-based-crime",
                "Intentional or reckless damage to property, including arson and graffiti."),
    CategoryRef("crimes-against-society", "Crimes against society", "all-crime",
                "Crimes with no direct victim: drug offences, weapons possession, public order and others."),
    CategoryRef("drug-offences", "Drug offences", "crimes-against-society",
                "Trafficking and possession of controlled drugs."),
    CategoryRef("drug-trafficking", "Drug trafficking", "drug-offences",
                "Production, supply and possession with intent to supply controlled drugs."),
    CategoryRef("drug-possession", "Drug possession", "drug-offences",
                "Possession of controlled drugs."),
    CategoryRef("possession-of-weapons", "Possession of weapons", "crimes-against-society",
                "Possession of an offensive weapon, knife or firearm."),
    CategoryRef("public-order-offences", "Public order offences", "crimes-against-society",
                "Offences causing public fear, alarm or distress."),
    CategoryRef("other-crimes-against-society", "Other crimes against society", "crimes-against-society",
                "Other non-victim crimes, such as perverting the course of justice."),
    # --- Indicators outside the recorded-crime sum ------------------------------------------
    CategoryRef("asb-incidents", "Anti-social behaviour incidents", None,
                "Anti-social behaviour incidents recorded by Kent Police. These are incidents, not crimes, "
                "so they never add into all recorded crime.",
                source="Kent Police incident data", family="asb", short_name="ASB",
                entry=ENTRY_DISTRICT),
    CategoryRef("domestic-abuse-incidents", "Domestic abuse incidents", None,
                "Incidents of domestic abuse reported to Kent Police. A rise is often read as growing "
                "confidence to report, so no direction is judged better.",
                source="Kent Police domestic abuse data", family="domestic-abuse",
                polarity=NO_JUDGEMENT, entry=ENTRY_DISTRICT),
    CategoryRef("domestic-abuse-repeat-victims", "Domestic abuse repeat victims", None,
                "Victims of a domestic abuse incident who had reported another in the previous 12 months. "
                "Shown as a share of domestic abuse incidents.",
                source="Kent Police domestic abuse data", family="domestic-abuse",
                entry=ENTRY_DISTRICT, proportion_of="domestic-abuse-incidents"),
    CategoryRef("hate-crime", "Hate crime", None,
                "Crimes flagged as motivated by hostility to race, religion, sexual orientation, disability "
                "or transgender identity. A flag over other crimes, so it is not added into all recorded "
                "crime (that would count the same crimes twice).",
                family="hate-crime", polarity=NO_JUDGEMENT, adds_to_parent=False),
    # --- Road casualties (calendar years, KCC/DfT) -----------------------------------------------
    CategoryRef("road-casualties", "Road casualties", None,
                "People killed or injured in reported road traffic collisions: KSI plus slight.",
                source=_ROADS, family="road-casualties"),
    CategoryRef("ksi", "Killed or seriously injured (KSI)", "road-casualties",
                "Road casualties who were killed or seriously injured.", source=_ROADS,
                family="road-casualties", short_name="KSI"),
    CategoryRef("slight", "Slightly injured", "road-casualties",
                "Road casualties with slight injuries.", source=_ROADS, family="road-casualties"),
    CategoryRef("fatal", "Killed", "ksi",
                "Road casualties who died within 30 days of the collision.", source=_ROADS,
                family="road-casualties"),
    CategoryRef("serious", "Seriously injured", "ksi",
                "Road casualties with serious injuries.", source=_ROADS, family="road-casualties"),
    CategoryRef("child-ksi", "Children killed or seriously injured", None,
                "KSI road casualties aged under 16. A subset of KSI, so it does not add into any total.",
                source=_ROADS, family="road-casualties"),
    # --- Partner service figures, entered quarterly by district officers -------------------
    CategoryRef("marac-cases", "MARAC cases", None,
                "Cases heard at the Multi-Agency Risk Assessment Conference for high-risk domestic abuse "
                "victims.", source="Kent MARAC coordinators", family="service",
                polarity=NO_JUDGEMENT, entry=ENTRY_DISTRICT, grain=GRAIN_QUARTER),
    CategoryRef("one-stop-shop-visitors", "Domestic abuse One Stop Shop visitors", None,
                "People assisted at the district's domestic abuse One Stop Shop. Rated per 10,000 residents, "
                "as the Kent and Medway Domestic Abuse Strategy Group does.",
                source="Kent and Medway Domestic Abuse Strategy Group", family="service",
                rate_base=10000, polarity=NO_JUDGEMENT, entry=ENTRY_DISTRICT, grain=GRAIN_QUARTER,
                short_name="OSS visitors"),
    CategoryRef("alcohol-hospital-admissions", "Alcohol-specific hospital admissions", None,
                "Hospital admissions where alcohol is the primary cause. Health data: counts of 1 to 4 are "
                "suppressed in public and partner views.",
                source="Kent and Medway Public Health Observatory", family="service",
                rate_base=10000, suppress_below=5, entry=ENTRY_DISTRICT, grain=GRAIN_QUARTER),
)

CATEGORY_BY_SLUG = {c.slug: c for c in CATEGORIES}


def children_of(slug: str) -> list[CategoryRef]:
    return [c for c in CATEGORIES if c.parent == slug]


def additive_leaves(slug: str) -> list[str]:
    """The leaf slugs whose sum makes up ``slug`` (the slug itself if it is a leaf)."""
    kids = [c for c in children_of(slug) if c.adds_to_parent]
    if not kids:
        return [slug]
    out: list[str] = []
    for kid in kids:
        out.extend(additive_leaves(kid.slug))
    return out


def leaf_slugs() -> list[str]:
    return [c.slug for c in CATEGORIES if not children_of(c.slug)]


# --- police.uk street-level crime -------------------------------------------------------------
# police.uk crime types are broader than Kent Police's recorded-crime groups and come
# from a different extract, so they are a separate family that never mixes with the
# tree above. Kept out of CATEGORIES so demo data never invents police.uk figures.
_POLICEUK = "data.police.uk street-level crime"
POLICEUK_TYPES: tuple[tuple[str, str], ...] = (
    ("Anti-social behaviour", "policeuk-anti-social-behaviour"),
    ("Bicycle theft", "policeuk-bicycle-theft"),
    ("Burglary", "policeuk-burglary"),
    ("Criminal damage and arson", "policeuk-criminal-damage-and-arson"),
    ("Drugs", "policeuk-drugs"),
    ("Other crime", "policeuk-other-crime"),
    ("Other theft", "policeuk-other-theft"),
    ("Possession of weapons", "policeuk-possession-of-weapons"),
    ("Public order", "policeuk-public-order"),
    ("Robbery", "policeuk-robbery"),
    ("Shoplifting", "policeuk-shoplifting"),
    ("Theft from the person", "policeuk-theft-from-the-person"),
    ("Vehicle crime", "policeuk-vehicle-crime"),
    ("Violence and sexual offences", "policeuk-violence-and-sexual-offences"),
)
POLICEUK_TOTAL = "policeuk-all-crime"
POLICEUK_ASB = "policeuk-anti-social-behaviour"

POLICEUK_CATEGORIES: tuple[CategoryRef, ...] = (
    CategoryRef(POLICEUK_TOTAL, "police.uk: all crime types (excluding ASB)", None,
                "Every street-level crime published on police.uk for the area, excluding anti-social "
                "behaviour. A different extract from Kent Police recorded crime, so the two never mix.",
                source=_POLICEUK, family="policeuk"),
    *(
        CategoryRef(
            slug, f"police.uk: {name}", None if slug == POLICEUK_ASB else POLICEUK_TOTAL,
            f"Street-level records published on police.uk with the crime type '{name}'."
            + (" These are incidents, not crimes, so they are not in the police.uk total." if slug == POLICEUK_ASB else ""),
            source=_POLICEUK, family="policeuk",
        )
        for name, slug in POLICEUK_TYPES
    ),
)
