"""Reference data installed with the product: themes, county-wide agencies, MoRiLE multipliers.

Plain data, read by the migration that installs it and by tests. County
analysts edit the installed copies through the site; changing this file later
does not rewrite a live database.
"""

from __future__ import annotations

from assessments.statistics.morile import DEFAULT_MULTIPLIERS

# (slug, name, description). The MoRiLE pilot's 18 themes (Tunbridge Wells
# 2016/17) plus the other themes Kent plans name as priorities.
THEMES: tuple[tuple[str, str, str], ...] = (
    ("domestic-abuse", "Domestic abuse", "Domestic abuse, including coercive control, stalking and MARAC."),
    ("violent-crime", "Violent crime", "Violence against the person, robbery and sexual offences."),
    ("sexual-offences", "Sexual offences", "Sexual offences, including support through ISVAs."),
    ("night-time-economy", "Night-time economy", "Violence and disorder linked to late-night venues."),
    ("substance-misuse", "Substance misuse", "Drugs, alcohol and psychoactive substances, supply and use."),
    ("road-safety", "Road safety", "Road casualties, especially those killed or seriously injured."),
    ("asb", "Anti-social behaviour", "Anti-social behaviour, including environmental ASB."),
    ("criminal-damage", "Criminal damage", "Criminal damage, including graffiti."),
    ("environmental-crime", "Environmental crime", "Fly-tipping, littering, graffiti and other environmental crime."),
    ("reducing-reoffending", "Reducing reoffending", "Reducing reoffending, including Integrated Offender Management."),
    ("prevent", "Prevent", "Safeguarding people from being drawn into terrorism."),
    ("cse", "Child sexual exploitation", "Child sexual exploitation (CSE)."),
    ("gangs", "Gangs", "Gangs and county lines."),
    ("organised-crime", "Organised crime groups", "Serious and organised crime and organised crime groups (OCGs)."),
    ("modern-slavery", "Modern slavery and human trafficking", "Modern slavery and human trafficking."),
    ("mental-health", "Mental health", "Mental health as a factor in vulnerability, victimisation and offending."),
    ("hate-crime", "Hate crime", "Crimes motivated by hostility to a protected characteristic."),
    ("burglary", "Burglary", "Burglary of homes and other buildings."),
    ("shoplifting", "Shoplifting", "Shoplifting and business crime."),
    ("theft", "Theft", "Other theft."),
    ("vehicle-crime", "Vehicle crime", "Theft of and from motor vehicles."),
    ("deliberate-fires", "Deliberate fires", "Deliberate fire setting (Kent Fire and Rescue Service)."),
    ("community-resilience", "Community resilience", "Emerging threats to communities: CSE, Prevent, trafficking, SOC."),
    ("safeguarding", "Safeguarding vulnerable people", "Safeguarding vulnerable adults and children, self-neglect."),
    ("vulnerable-people", "Vulnerable households and individuals", "Repeat and vulnerable victims of crime and ASB."),
    ("early-intervention", "Prevention and early intervention", "Prevention, education and early intervention."),
    ("positive-activities", "Positive activities", "Diversionary activities for young people."),
)

POLICE = "police"
COUNCIL = "council"
COUNTY_COUNCIL = "county-council"
FIRE = "fire"
HEALTH = "health"
PROBATION = "probation"
CHARITY = "charity"
HOUSING = "housing"
PARTNERSHIP = "partnership"
BUSINESS = "business"
OTHER = "other"

AGENCY_KINDS = (
    (POLICE, "Police"),
    (COUNCIL, "District or borough council"),
    (COUNTY_COUNCIL, "County council"),
    (FIRE, "Fire and rescue"),
    (HEALTH, "Health"),
    (PROBATION, "Probation"),
    (CHARITY, "Charity or voluntary group"),
    (HOUSING, "Housing provider"),
    (PARTNERSHIP, "Partnership or forum"),
    (BUSINESS, "Business"),
    (OTHER, "Other"),
)

# The responsible authorities every Kent CSP shares (Crime and Disorder Act 1998).
AGENCIES: tuple[tuple[str, str], ...] = (
    ("Kent Police", POLICE),
    ("Kent County Council", COUNTY_COUNCIL),
    ("Kent Fire and Rescue Service", FIRE),
    ("National Probation Service", PROBATION),
    ("Kent, Surrey and Sussex Community Rehabilitation Company", PROBATION),
    ("Kent Community Safety Team", PARTNERSHIP),
    ("Office of the Kent Police and Crime Commissioner", OTHER),
    ("Ashford Borough Council", COUNCIL),
    ("Canterbury City Council", COUNCIL),
    ("Dartford Borough Council", COUNCIL),
    ("Dover District Council", COUNCIL),
    ("Gravesham Borough Council", COUNCIL),
    ("Maidstone Borough Council", COUNCIL),
    ("Sevenoaks District Council", COUNCIL),
    ("Folkestone and Hythe District Council", COUNCIL),
    ("Swale Borough Council", COUNCIL),
    ("Thanet District Council", COUNCIL),
    ("Tonbridge and Malling Borough Council", COUNCIL),
    ("Tunbridge Wells Borough Council", COUNCIL),
    ("Medway Council", COUNCIL),
)

MULTIPLIERS: dict[int, float] = dict(DEFAULT_MULTIPLIERS)
