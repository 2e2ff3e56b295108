"""Demo content for strategic assessments, priorities, plans and funding.

Filled in from the real published documents:

- Tunbridge Wells strategic assessment 2016/17 (signed off 9 February 2017):
  last year's four priorities, their funded outcomes and the MoRiLE table of 18 themes;
- Tunbridge Wells partnership plan 2021/22 (signed off 4 February 2021): the four
  retained priorities and their action plans (action, primary agencies, measure);
- Maidstone strategic assessment 2017/18 and the 2016/17 priorities it reviews, so
  that retained, new, dropped and cross-cutting are worked out, not typed;
- Ashford scrutiny report (February 2017): the 2016/17 priorities with their lead
  agencies, the work done, the PCC grant (£28,858, £20,000 of it for projects) and
  the Appendix C grant allocations; the recommended 2017/18 priorities (a draft);
- Tonbridge and Malling partnership plan 2014/15: its priorities and cross-cutting
  themes, and the 2013/14 targets it reviews (baseline, target; the actual figures
  were never filled in, so they are "not yet known").

Organisations and roles only: the documents' named officers, email addresses
and telephone numbers are left out. Nothing here is invented beyond the
ordering and the quarter an outcome was reported in, where the document
gives the period but not the quarter.

Called by ``manage.py load_demo`` inside its transaction; returns a one-line
summary, or an empty string when there is nothing to load.
"""

from __future__ import annotations

import calendar
import datetime as dt
import importlib
from decimal import Decimal

from django.apps import apps as django_apps

from assessments.models import (
    Action,
    Agency,
    FundedOutcome,
    GrantApplication,
    MorileScore,
    OutcomeUpdate,
    PccGrant,
    Priority,
    StrategicAssessment,
    Target,
    Theme,
)
from crimedata.models import Category, District

D = Decimal

# --- Agencies named in the documents (beyond the county-wide ones installed by migration) -------
AGENCIES = [
    ("Domestic Abuse Volunteer Support Service (DAVSS)", "charity"),
    ("Community Domestic Abuse Programme (CDAP)", "charity"),
    ("Family Matters", "charity"),
    ("West Kent Refuge", "charity"),
    ("Street Pastors Tunbridge Wells", "charity"),
    ("Kenward Trust", "charity"),
    ("Young People's Bus Service (YPBS)", "charity"),
    ("Churches Together Winter Shelter, Tunbridge Wells", "charity"),
    ("Tunbridge Wells Community Safety Unit", "partnership"),
    ("Look Ahead", "charity"),
    ("West Kent Domestic Abuse Forum", "partnership"),
    ("SATEDA", "charity"),
    ("Protection Against Stalking (PAS)", "charity"),
    ("Community Alcohol Partnership (CAP)", "partnership"),
    ("Change Grow Live (CGL)", "charity"),
    ("Addaction (We Are With You)", "charity"),
    ("Safe Town Partnership", "partnership"),
    ("KCC Early Help", "county-council"),
    ("KCC Community Wardens", "county-council"),
    ("KCC Trading Standards", "county-council"),
    ("KCC Specialist Children's Services", "county-council"),
    ("Kent Public Health", "health"),
    ("Assembly Hall Theatre", "council"),
    ("Project Salus", "charity"),
    ("Captain Safety Show", "business"),
    ("Ashford Domestic Abuse Forum", "charity"),
    ("Safer Kent", "charity"),
    ("Sight and Sound", "business"),
    ("Ashford Community Safety Partnership", "partnership"),
    ("Rising Sun Domestic Violence and Abuse Service", "charity"),
    ("Sk8side", "charity"),
    ("Churches Together Ashford", "charity"),
]

TWBC = "Tunbridge Wells Borough Council"
TW_CSU = "Tunbridge Wells Community Safety Unit"
ABC = "Ashford Borough Council"


def _month(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# --- Tunbridge Wells 2016/17 ---------------------------------------------------------------------
TW_2016 = {
    "district": "E07000116",
    "plan_year": 2016,
    "data": ((2015, 10), (2016, 9)),
    "author_role": "Community Safety Manager, Tunbridge Wells Borough Council",
    "signed_off_on": dt.date(2017, 2, 9),
    "introduction": (
        "The 2016/17 Strategic Assessment produced for the Tunbridge Wells Community Safety Partnership (CSP) "
        "reviews last year's priorities and puts in place priority themes for the 2017/18 Partnership Plan.\n\n"
        "Part 1 analyses police and partner data for last year's priorities covering October 2015 to September "
        "2016. It also contains the outcomes of a risk-based assessment piloted by the Community Safety Unit this "
        "year: MoRiLE (Management of Risk in Law Enforcement), used to analyse familiar crime types, current "
        "priorities and other themes such as child sexual exploitation, modern slavery, gangs and organised crime."
    ),
    "conclusion": (
        "Prevent, domestic abuse, road safety and mental health are the top four themes for both Risk and Overall "
        "Rank; road safety and domestic abuse are long-established CSP priorities. The Overall Rank for mental "
        "health far exceeds that of any other category.\n\n"
        "Recommended priorities for 2017/18: domestic abuse (review current monitoring, maintain the level of "
        "funding); road safety (review monitoring and funding, including the 20 is Plenty remit); alcohol and "
        "substance misuse (consider funding targeted health-related education and personal risk awareness); and "
        "vulnerable victims (themes such as CSE and Prevent, monitored through rolling action plans)."
    ),
    "priorities": [
        {
            "title": "Domestic abuse", "theme": "domestic-abuse",
            "categories": ["domestic-abuse-incidents", "domestic-abuse-repeat-victims"],
            "rationale": (
                "Tunbridge Wells has the lowest rate of recorded domestic abuse in Kent, but a rise continues a trend "
                "of similar increases over the past three years, after three years of steady decrease. Repeat "
                "victims averaged 42% of monthly victims against a Kent Police average of 39%. Domestic abuse lends "
                "itself to cross-borough working: most victim services in West Kent are provided by DAVSS."
            ),
        },
        {
            "title": "Road safety", "theme": "road-safety",
            "categories": ["road-casualties", "ksi", "child-ksi"],
            "rationale": (
                "Casualties fell 12% in 2015 (482 to 423), bringing Tunbridge Wells back within its 2004-2008 "
                "average, but cyclists killed or seriously injured doubled to ten. Road safety has been a CSP "
                "priority for many years and remains a concern for residents."
            ),
        },
        {
            "title": "Violent crime (including robbery and hate crime)", "theme": "violent-crime",
            "also_covers": ["hate-crime"],
            "categories": ["violent-crime", "robbery", "sexual-offences", "hate-crime"],
            "rationale": (
                "Violent crime rose, though Tunbridge Wells has the second lowest rate in the county. A small number "
                "of homes, night-time venues and roads account for a high proportion of offences; Park, Culverden, "
                "Sherwood and Southborough and High Brooms are the top wards. Robberies halved. Race-based hate crime "
                "rose around the EU referendum."
            ),
        },
        {
            "title": "Alcohol and substance misuse", "theme": "substance-misuse",
            "categories": ["drug-offences", "drug-possession", "alcohol-hospital-admissions"],
            "rationale": (
                "Drug offences fell after two consecutive annual reductions, but possession offences are 11th of 12 "
                "in Kent. Arrests for drunkenness fell from 119 to 56 and hospital admissions for the toxic effects "
                "of alcohol continued to fall."
            ),
        },
    ],
    # (priority title, project, agency, lead officer role, awarded, unspent, [(service, [(quarter, text)])])
    "funded": [
        ("Domestic abuse", "Domestic abuse support services", "Domestic Abuse Volunteer Support Service (DAVSS)",
         "", D("18000"), None, [
             ("Provide domestic abuse support services to men and women at all levels of risk. Encourage early "
              "reporting by promoting the helpline and available services. Provide workshops and training to raise "
              "awareness and promote prevention.",
              [(3, "DAVSS received 195 referrals in Q1 to Q3, of which 71 were graded high risk and 124 standard or "
                   "medium risk.")]),
             ("Prioritise and refer all high-risk cases to a Multi Agency Risk Assessment Conference (MARAC), and "
              "regularly assess volatility of risk levels in all other cases, escalating to MARAC where necessary.",
              [(3, "74 cases were referred to MARAC, of which 19 were repeat cases.")]),
             ("Refer women to the Freedom Programme for domestic abuse awareness and support.",
              [(1, "Five Tunbridge Wells residents undertook 29 sessions between them at Edenbridge and two residents "
                   "undertook 13 sessions between them at Sevenoaks."),
               (2, "Five residents took part in the DAVSS Freedom Programme in Tonbridge."),
               (4, "The next Freedom Programme began in January 2017.")]),
         ]),
        ("Domestic abuse", "Community Domestic Abuse Programme", "Community Domestic Abuse Programme (CDAP)", "",
         D("2000"), None, [
             ("Provide support to perpetrators of domestic abuse to change their behaviour through the Community "
              "Domestic Abuse Programme (CDAP).", [(3, "7 men attended the CDAP programme in Q1 to Q3.")]),
         ]),
        ("Domestic abuse", "Independent Sexual Violence Advisor", "Family Matters", "", D("2000"), None, [
            ("Provide support to victims of sexual abuse through the Independent Sexual Violence Advisor.",
             [(2, "7 victims of domestic abuse were supported during the first two quarters.")]),
        ]),
        ("Domestic abuse", "One Stop Shop", "West Kent Refuge", "", D("1500"), D("1500"), [
            ("Provide support to victims of domestic abuse through the One Stop Shop, signposting attendees to "
             "DAVSS, MARAC and the Freedom Programme.",
             [(3, "The funds were allocated to West Kent Refuge as a lead agency, but the One Stop Shop is a "
                  "multi-agency endeavour that needs substantial long-term partner commitment. There is no One Stop "
                  "Shop in Tunbridge Wells at present; residents travel to the one in Tonbridge. The Domestic Abuse "
                  "Forum has taken this up, and a report on the efficacy of a One Stop Shop in Tunbridge Wells will "
                  "go to a future CSP meeting.")]),
        ]),
        ("Road safety", "Community Speed Watch", "Kent Police", "Tunbridge Wells Borough Council community safety "
         "team", D("4000"), None, [
             ("Expand Community Speed Watch by identifying a cohort of volunteers within high-profile wards.",
              [(3, "The CSP bought two Speed Indication Devices so that more Community Speed Watch events can be "
                   "held. New schemes are being encouraged through engagement with local councillors.")]),
         ]),
        ("Road safety", "Captain Safety Show", "Captain Safety Show", "Tunbridge Wells Borough Council community "
         "safety team", D("700"), None, [
             ("The Captain Safety Show runs in November and is offered to primary schools for children at key "
              "stages 1 and 2.",
              [(3, "Held in November at the Assembly Hall Theatre for urban schools and at Goudhurst School for "
                   "rural pupils. Around 800 children attended from across the borough.")]),
         ]),
        ("Violent crime (including robbery and hate crime)", "Street Pastors", "Street Pastors Tunbridge Wells", "",
         D("4000"), None, [
             ("Provide a positive presence in the night-time economy.",
              [(3, "During Q1 to Q3 street pastors engaged with over 1,800 people during weekend evenings (Thursday "
                   "to Saturday) and into the early hours. They called for an ambulance on 8 occasions and the police "
                   "16 times, and enlisted the help of CCTV operators on 18 occasions using two radios provided free "
                   "by the Safe Town Partnership.")]),
         ]),
        ("Alcohol and substance misuse", "Substance misuse outreach", "Kenward Trust", "", D("5500"), None, [
            ("Deploy substance misuse workers to hotspots within the borough to carry out one-to-one and group work "
             "with adults and young people.",
             [(2, "During the first half of 2016/17 Kenward Trust delivered outreach work to over 700 young people in "
                  "car parks, recreation grounds and other open spaces in and around the town centre.")]),
        ]),
        ("Alcohol and substance misuse", "Street Cruiser youth bus", "Young People's Bus Service (YPBS)", "",
         D("3500"), None, [
             ("Deploy the Street Cruiser youth bus to areas identified with drug use and associated anti-social "
              "behaviour, supporting Kenward Trust outreach where possible.",
              [(3, "The bus parks between Calverley Grounds and Great Hall car park on Friday evenings from 5pm to "
                   "7pm, attracting 13 to 27 young people. YPBS provide two staff and KCC two to three youth "
                   "workers.")]),
         ]),
        ("Alcohol and substance misuse", "Winter Shelter support", "Churches Together Winter Shelter, Tunbridge Wells",
         "", D("3000"), None, [
             ("Support the Winter Shelter, in particular guests with no fixed abode who have needs around substance "
              "misuse and offending to support their habit.",
              [(3, "Seven people (six men, one woman) with no fixed abode who were guests of the winter shelter had "
                   "issues with drugs or alcohol and were signposted to CRI for help and support.")]),
         ]),
        ("Alcohol and substance misuse", "Targeted high-visibility operations", "Kent Police", "", D("3284"), None, [
            ("Run targeted high-visibility police operations in locations highlighted for drug use in repeat "
             "locations.",
             [(2, "Extra police officers were resourced for key dates, including 18 August 2016 (A-level results) "
                  "and 25 August 2016 (GCSE results).")]),
        ]),
    ],
    # Theme, total harm, risk, CSP score: the table "sorted by Overall Rank" in the 2016/17 assessment.
    "morile": [
        ("mental-health", 4, "225", 8), ("road-safety", 2, "121", 7), ("prevent", 12, "224", 0),
        ("domestic-abuse", 4, "124", 1), ("cse", 4, "120", 1), ("gangs", 8, "77", 1),
        ("substance-misuse", 4, "60", 2), ("asb", 2, "60", 0), ("organised-crime", 2, "52.5", 0),
        ("hate-crime", 4, "44", 0), ("violent-crime", 4, "42", 0), ("deliberate-fires", 1, "38.5", 0),
        ("modern-slavery", 2, "24", 0), ("burglary", 1, "17.5", 1), ("shoplifting", 1, "15", 1),
        ("theft", 2, "15", 0), ("criminal-damage", 1, "14", 0), ("vehicle-crime", 1, "12", 0),
    ],
}

# --- Tunbridge Wells 2021/22 ---------------------------------------------------------------------
_RETAINED_2021 = "The 2021/22 plan recommends retaining it; the 2020/21 assessment is not recorded here."


def _a(description, agencies, measure, other=""):
    return {"description": description, "agencies": agencies, "measure": measure, "other": other}


TW_2021 = {
    "district": "E07000116",
    "plan_year": 2021,
    "data": ((2020, 1), (2020, 12)),
    "author_role": "Community Safety Manager, Tunbridge Wells Borough Council",
    "signed_off_on": dt.date(2021, 2, 4),
    "introduction": (
        "The Strategic Assessment helps establish priority themes for the 2021/22 Partnership Plan. It summarises "
        "data for January to December 2020 (July 2019 to June 2020 for road safety), draws conclusions and "
        "recommends the priorities; Part 2 outlines how they will be addressed. Some of the data is provisional.\n\n"
        "Data for this period will have been influenced by the pandemic and the lockdowns residents endured: "
        "many of the anti-social behaviour reports related to perceived breaches of COVID-19 regulations."
    ),
    "conclusion": (
        "We are fortunate to live in a low crime area: the data shows Tunbridge Wells to be the safest place in "
        "Kent, by small margins over our West Kent neighbours. High-need domestic abuse cases are likely to "
        "continue, public spaces are likely to be busy with young people as restrictions ease, and Public Spaces "
        "Protection Orders must be renewed before they expire in September 2021."
    ),
    "priorities": [
        {
            "title": "Domestic abuse", "theme": "domestic-abuse", "categories": ["domestic-abuse-incidents"],
            "override": ("retained", _RETAINED_2021),
            "rationale": (
                "Calls to Kent Police did not rise as much as expected, but calls to the DAVSS helpline, often "
                "complex and high-need, rose by just under 400 across the year. Research suggests lockdown trapped "
                "many victims with their abuser, so reports may rise further in 2021/22 as life returns to normal."
            ),
            "actions": [
                _a("Provide domestic abuse support services to men and women at all levels of risk. Prioritise "
                   "high-risk cases to a Multi-Agency Risk Assessment Conference (MARAC). Run (or refer women to) the "
                   "Freedom programme for domestic abuse awareness and support.",
                   ["Domestic Abuse Volunteer Support Service (DAVSS)"],
                   "Number of helpline calls, referrals managed, number of programmes run (quarterly reporting)."),
                _a("Provide support to perpetrators of domestic abuse to change their behaviour through the Community "
                   "Domestic Abuse Programme (CDAP).", ["Community Domestic Abuse Programme (CDAP)"],
                   "Number of men supported through CDAP (quarterly reporting)."),
                _a("Implement the requirements of the new Domestic Abuse Bill.",
                   ["West Kent Domestic Abuse Forum", "Domestic Abuse Volunteer Support Service (DAVSS)", "Look Ahead"],
                   "Engagement with domestic abuse commissioners, KCC leads and service providers."),
                _a("Continue to work with shared services and other local authorities to ensure joined-up working, "
                   "value for money and positive outcomes.",
                   ["West Kent Domestic Abuse Forum", "Domestic Abuse Volunteer Support Service (DAVSS)",
                    "Kent County Council"],
                   "Joint West Kent action plan outcomes (quarterly meeting).", "KCC commissioned services"),
                _a("Provide the sanctuary scheme to victims of domestic abuse, securing properties to allow them to "
                   "remain in their own home.", [TWBC, "Look Ahead"], "Number of properties secured.",
                   "TWBC Housing"),
                _a("Update the Kent Police OSARA plan (Objective, Scanning, Analysis, Response, Assess) for domestic "
                   "abuse to drive actions through a Tunbridge Wells Domestic Abuse Forum to address repeat victims "
                   "and offenders.", ["Kent Police", TW_CSU],
                   "Implementation of actions intended to reduce repeat victimisation."),
                _a("Implement a Tunbridge Wells One Stop Shop (virtual or otherwise).", ["Look Ahead", "Kent Police"],
                   "Service availability and accessed by residents."),
                _a("Collaborate with the Mediation and Domestic Abuse Network organised by DAVSS and SATEDA.",
                   [TW_CSU], "Attend workshops and ensure the resource is promoted to Tunbridge Wells residents and "
                   "relevant professionals."),
                _a("Run a suite of survivor programmes for female and male survivors, including \"Own My Life\" and "
                   "\"Hope 2 Recovery\".", ["Look Ahead"],
                   "Number of programmes run and number of attendees from Tunbridge Wells."),
                _a("Provide emergency funding for items such as furniture, white goods, food and travel to high-risk "
                   "victims in the community.", ["Look Ahead"],
                   "Tunbridge Wells high-risk victims accessing the funding as necessary."),
                _a("Obtain funding to ensure the availability of the cyber-stalking clinic is maintained.",
                   ["Look Ahead"], "Funding secured and continued provision of the clinic."),
                _a("Commission PAS (Protection Against Stalking) to deliver a stalking workshop.", ["Look Ahead"],
                   "Workshop delivered and attended by Tunbridge Wells based clients."),
                _a("Ensure domestic abuse services identify stalking and refer or signpost to PAS where appropriate.",
                   ["Protection Against Stalking (PAS)"],
                   "DA services on board. PAS receiving referrals or confident that they will receive them as "
                   "necessary.", "Domestic abuse service providers"),
                _a("Training and awareness-raising sessions for partners and local businesses (to include resources "
                   "such as bar-coded lip balms and posters for staff rooms).", ["Look Ahead"],
                   "Sessions delivered and good partner and business attendance."),
            ],
        },
        {
            "title": "Substance misuse and supply, and alcohol abuse (including violence-related issues and knife "
                     "crime)",
            "theme": "substance-misuse", "also_covers": ["violent-crime"],
            "categories": ["drug-offences", "drug-trafficking", "drug-possession", "possession-of-weapons"],
            "override": ("retained", _RETAINED_2021),
            "rationale": (
                "Our position in Kent for drug offences has never looked impressive on paper, but the Community "
                "Policing Team keeps a strong focus on drug use, local production and county lines. Violence is "
                "closely linked to drug supply and alcohol abuse, so violence-related issues and knife crime are "
                "included in this priority."
            ),
            "actions": [
                _a("Deploy substance misuse workers to hotspots within the borough to be a presence and carry out "
                   "one-to-one and group work with young people.", ["Kenward Trust"],
                   "Number of individuals engaged with and locations visited. Quarterly reporting."),
                _a("Implement the Community Alcohol Partnership (CAP) action plan to address underage drinking in "
                   "Tunbridge Wells.", ["KCC Trading Standards", "Community Alcohol Partnership (CAP)", TW_CSU,
                                        "Kent Police"],
                   "Action plan developed and programmes in place to address concerns. Bi-monthly meetings."),
                _a("Provide a positive presence in the night-time economy (or daytime, to provide COVID reassurance or "
                   "to address youth issues).", ["Street Pastors Tunbridge Wells"],
                   "Number of people engaged, service provided and hours on duty."),
                _a("Carry out targeted work for those identified with substance-related offending or ASB.",
                   ["Change Grow Live (CGL)"], "Individuals engaged through group and one-to-one work."),
                _a("Provide drug and alcohol misuse services for 10 to 17-year-olds, including one-to-one and group "
                   "work.", ["Addaction (We Are With You)"], "Number of young people worked with."),
                _a("Assess the need for a further CAP zone in Paddock Wood.", [TW_CSU, "Kent Police"],
                   "Level of concern and availability of evidence."),
                _a("Exclude individuals convicted of violence offences from Pubwatch members' licensed premises.",
                   ["Safe Town Partnership", "Kent Police"], "Number of exclusions in force.", "CCTV"),
                _a("Ensure links between local regular shoplifters and substance or alcohol abuse are identified and "
                   "appropriately addressed.", ["Kent Police", "Safe Town Partnership"],
                   "Links identified and referrals made or signposting offered."),
                _a("Use Safe Town radios to prevent and detect violent crime, by sharing intelligence between "
                   "licensees, retailers, CCTV operators and police.", ["Safe Town Partnership", TWBC, "Kent Police"],
                   "Pubwatch-instigated incidents monitored by CCTV.", "TWBC CCTV"),
                _a("Use CCTV (static and deployable) to help prevent and detect violent crime.", [TWBC, "Kent Police"],
                   "Violent offences monitored.", "CCTV"),
                _a("Tackle organised criminal gangs (OCGs) that target Tunbridge Wells residents.", ["Kent Police"],
                   "Gangs identified and perpetrators arrested. Monitored at the monthly OCG meeting."),
                _a("Provide training to licensed premises on their responsibilities when serving or refusing alcohol "
                   "and dealing with aggressive customers.",
                   ["Kent Police", "Safe Town Partnership", "Community Alcohol Partnership (CAP)"],
                   "Number of training sessions offered."),
                _a("Distribute Emergency Trauma Packs, and metal-detecting wands to ensure knives are not brought to "
                   "pubs and clubs.", [TW_CSU, "Safe Town Partnership"],
                   "Deployment of trauma packs and availability of wands in the night-time economy."),
            ],
        },
        {
            "title": "Anti-social and high-risk behaviour (including violence-related issues)",
            "theme": "asb", "also_covers": ["violent-crime"],
            "categories": ["asb-incidents", "criminal-damage", "public-order-offences"],
            "override": ("retained", _RETAINED_2021),
            "rationale": (
                "Anti-social behaviour rose by 58% over the calendar year, much of it reports of perceived breaches "
                "of COVID-19 regulations. ASB in town-centre areas is often linked to alcohol or drug use in parks, "
                "car parks and other open spaces. Violence-related issues are included so that the risk of ASB "
                "escalating to more serious disorder stays in view."
            ),
            "actions": [
                _a("Liaise with partners to share knowledge and awareness of young people and the open spaces they "
                   "use. Deploy outreach to areas where risk is identified.",
                   [TW_CSU, "KCC Early Help", "Kent Police"],
                   "Actions identified at monthly District Contextual Safeguarding Meetings (DCSM), Vulnerability "
                   "Board meetings and morning briefings.", "Outreach partners"),
                _a("Organise summer and autumn 'all out' events for Tunbridge Wells and surrounding towns, using DCSM "
                   "intelligence to focus resources.", [TW_CSU, "KCC Early Help", "Kent Police"],
                   "Events run, young people engaged with and outcomes evaluated."),
                _a("Implement a 3-year Public Spaces Protection Order with conditions that address anti-social "
                   "behaviour.", [TWBC], "PSPO implemented with appropriate conditions. Current orders expire "
                   "September 2021.", "Partners"),
                _a("Identify graffiti taggers through improved overt CCTV surveillance (fixed and deployable) and GIS "
                   "mapping.", [TW_CSU, "KCC Early Help", "Kent Police"],
                   "Strategic camera deployments and TWBC CCTV operations support. Number of people detected.",
                   "CCTV operators"),
                _a("Encourage speedier removal of graffiti on public and private property.", [TW_CSU, TWBC],
                   "Tags in high-profile locations identified and landowners encouraged to remove them quickly.",
                   "TWBC Street Scene; developers; property owners"),
                _a("Provide graffiti cleaning kits to businesses and residents (as appropriate).", [TW_CSU],
                   "Taken up by those in need."),
                _a("Targeted engagement with schools, Pupil Referral Units and other educators on risky behaviour and "
                   "similar themes.", [TW_CSU, "Community Alcohol Partnership (CAP)", "KCC Early Help", "Kent Police",
                                       "Kenward Trust"],
                   "Number of schools engaged on topics such as alcohol, drugs, gangs, CSE and associated anti-social "
                   "behaviour."),
                _a("Use deployable CCTV to help prevent and detect crime and ASB.", [TWBC, "Kent Police"],
                   "Locations identified and supported."),
                _a("Engage the new Family Matters ISVA (Independent Sexual Violence Advisor) with individuals raised at "
                   "relevant meetings.", [TW_CSU, "Family Matters"],
                   "Attendance at relevant safeguarding and organised crime group meetings and referrals made."),
                _a("Work with partners to address disorder at popular night-time economy venues that are frequent "
                   "sources of disorder but may not breach licensing conditions.",
                   [TW_CSU, "Kent Police", "Safe Town Partnership", TWBC],
                   "A reduction in the number of reports or an improved perception of 'problem' venues.",
                   "TWBC Licensing"),
                _a("Target specific individuals causing ASB in Tunbridge Wells, Cranbrook and Paddock Wood.",
                   [TW_CSU, "Kent Police"], "Appropriate warnings and 'Behaviour Agreements' served and complied "
                   "with."),
                _a("Organise knife amnesty events at key locations across the borough.", ["Kent Police", TW_CSU],
                   "Number of events organised."),
                _a("Develop action plans for the town centre (north and south) for youth engagement during spring and "
                   "summer, with a focus on early evenings and Thursday evenings in particular.",
                   [TW_CSU, "Kent County Council", "Kent Police", "Safe Town Partnership"],
                   "Agency attendance and engagement. Reduction in reports.", "Other partners"),
                _a("PAS (Protection Against Stalking) to offer awareness training to housing providers so that "
                   "stalking is considered when investigating neighbour disputes and ASB.",
                   ["Protection Against Stalking (PAS)"], "Training delivered. Referrals made or advice sought.",
                   "Registered social landlords"),
                _a("Consider partnership operations to address shoplifting and town-centre anti-social behaviour "
                   "through PCC funding.", ["Safe Town Partnership", TW_CSU],
                   "Number of operations run and significant outcomes achieved."),
                _a("Ensure Crimestoppers contact details are widely promoted as a safe reporting mechanism.", [],
                   "Crimestoppers logo and contact details included in relevant engagement materials.",
                   "All relevant agencies"),
                _a("Work with the Assembly Hall Theatre to create a programme of engagement for young people, tied in "
                   "with Early Help and the Community Safety Unit.",
                   ["Assembly Hall Theatre", "KCC Early Help", TW_CSU],
                   "Programme created and relevant young people taking up the opportunity."),
            ],
        },
        {
            "title": "Road safety", "theme": "road-safety", "categories": ["road-casualties", "ksi"],
            "override": ("retained", _RETAINED_2021),
            "rationale": (
                "All areas of Kent saw fewer casualties as travel was restricted. The data does not necessarily "
                "support road safety as a particular priority, but it is a concern for residents, and there are "
                "actions that may influence behaviour; a near-miss register may open up local awareness campaigns."
            ),
            "actions": [
                _a("Education in schools and community groups, including various KFRS-led programmes.",
                   ["Kent Fire and Rescue Service", "KCC Community Wardens"], "Projects completed and feedback "
                   "provided."),
                _a("Engage KFRS to support CAP priorities when delivering road safety messages to schools.",
                   ["Kent Fire and Rescue Service", TW_CSU],
                   "Number of schools visited where underage drinking formed part of the delivery."),
                _a("Work with KCC and KFRS to promote messages locally and link in with national and local campaigns, "
                   "including Road Safety Week.", [TWBC, TW_CSU], "Number of campaigns supported.", "TWBC Comms"),
                _a("Encourage Tunbridge Wells students to visit the Road Safety Experience at Rochester.",
                   ["Kent Fire and Rescue Service", TW_CSU], "Number of schools attending and feedback received."),
                _a("During Road Safety Week: provide a safety message to primary school children and organise a public "
                   "engagement activity with partners to address all road users.",
                   [TW_CSU, "Kent Fire and Rescue Service"], "Number of presentations and activities."),
                _a("Direct KCC Warden public engagement on road safety topics, particularly around schools.",
                   [TW_CSU, "KCC Community Wardens"], "Number and type of engagements, attendee numbers."),
                _a("Run the Captain Safety event during Road Safety Week for key stage 1 and 2 students, regulations "
                   "permitting.", [TW_CSU, "Captain Safety Show"],
                   "Number of schools and students attending. Student and school feedback."),
                _a("Contribute funding for the Safety in Action event for year 6 students moving to high school, "
                   "regulations permitting.", [TW_CSU, "Project Salus"],
                   "Number of Tunbridge Wells students attending."),
                _a("Engage the KCC Warden service to raise road safety awareness with over-65s at clubs and coffee "
                   "mornings.", ["KCC Community Wardens"], "Attendance at suitable gatherings.", "Other partners"),
                _a("Use Highways resources and publicly available crash data to identify accident hot spots (as "
                   "required).", [TW_CSU], "Better identification of repeat or vulnerable locations.", "Partners"),
                _a("Direct the TWBC parking enforcement team to attend schools when parking complaints are received.",
                   [TW_CSU, TWBC], "Attendance at key locations.", "TWBC parking staff"),
                _a("Push out regular and creative messages around the \"fatal four\": speed, alcohol, mobiles, "
                   "seatbelts.", [TW_CSU, TWBC], "Messages delivered in various formats.", "TWBC Comms"),
                _a("Follow through the implementation of a local near-miss register.", [TW_CSU, TWBC],
                   "Implementation and collation and sharing of data.", "TWBC Digital and Comms teams"),
            ],
        },
    ],
}

# --- Maidstone 2016/17 and 2017/18 ------------------------------------------------------------
MAIDSTONE_AUTHOR = "Community Safety Unit, Maidstone Borough Council (for the Safer Maidstone Partnership)"

MAIDSTONE_2016 = {
    "district": "E07000110",
    "plan_year": 2016,
    "data": ((2014, 11), (2015, 10)),
    "author_role": MAIDSTONE_AUTHOR,
    "signed_off_on": None,
    "introduction": (
        "The priorities identified from the 2016-17 strategic assessment, as listed in the 2017-18 assessment. "
        "They were closely aligned with the Kent Police and Crime Commissioner's plan and the Kent community "
        "safety agreement. ASB was removed as a priority in name, as 'business as usual'."
    ),
    "priorities": [
        {"title": "Violent crime (specifically domestic abuse and the night-time economy)", "theme": "violent-crime",
         "also_covers": ["domestic-abuse", "night-time-economy"]},
        {"title": "Substance misuse", "theme": "substance-misuse"},
        {"title": "Reduce reoffending", "theme": "reducing-reoffending"},
        {"title": "Road safety (killed and seriously injured)", "theme": "road-safety"},
        {"title": "Community resilience (CSE, Prevent, human trafficking, modern slavery, serious organised crime "
                  "and safeguarding)", "theme": "community-resilience",
         "also_covers": ["cse", "prevent", "modern-slavery", "organised-crime", "safeguarding"]},
    ],
}

MAIDSTONE_2017 = {
    "district": "E07000110",
    "plan_year": 2017,
    "data": ((2015, 11), (2016, 10)),
    "author_role": MAIDSTONE_AUTHOR,
    "signed_off_on": None,
    "introduction": (
        "This assessment looks at the Safer Maidstone Partnership's progress against the priorities set last "
        "year and evaluates the work undertaken. Most of the data covers November 2015 to October 2016. This "
        "year's methodology also uses the MoRiLE scoring matrix and Statistical Process Control charts.\n\n"
        "Part of the reason for increases in certain offences is changes in recording: a victim of domestic abuse "
        "reporting six further offences now has each one crimed individually."
    ),
    "conclusion": (
        "It is recommended that the Safer Maidstone Partnership confirm the 2017/18 priorities: organised crime "
        "groups (including modern slavery); gangs and child sexual exploitation; substance misuse; domestic abuse "
        "and other violent crime; and mental health. These were borne out by the MoRiLE scoring matrix. Prevent "
        "and reducing reoffending are now cross-cutting themes rather than named priorities, along with ASB."
    ),
    "priorities": [
        {"title": "Organised crime groups (including modern slavery)", "theme": "organised-crime",
         "also_covers": ["modern-slavery"],
         "rationale": (
             "The police Local Profile records 8 organised crime groups with an impact in the Maidstone area, "
             "commonly drugs-related, and links between a brothel in Maidstone and an OCG. Community resilience "
             "topics are retained but, because of their complexity, separated into two priorities."
         )},
        {"title": "Gangs and child sexual exploitation (CSE)", "theme": "gangs", "also_covers": ["cse"],
         "rationale": (
             "No CSE crimes or incidents were recorded but 21 children at risk of CSE have been identified. A number "
             "of London street gangs are associated with the area and its drug networks, exploiting vulnerable "
             "people."
         )},
        {"title": "Substance misuse", "theme": "substance-misuse",
         "categories": ["drug-offences", "alcohol-hospital-admissions"],
         "rationale": (
             "Drug offences rose, with high levels in certain wards and links between drug offences and other "
             "crimes, so substance misuse remains a priority."
         )},
        {"title": "Domestic abuse and other violent crime", "theme": "domestic-abuse", "also_covers": ["violent-crime"],
         "categories": ["domestic-abuse-incidents", "domestic-abuse-repeat-victims", "violent-crime",
                        "marac-cases", "one-stop-shop-visitors"],
         "rationale": (
             "Domestic abuse accounts for 39% of violent crime in Maidstone and the borough's rate of repeat "
             "victims is the second highest in Kent. One Stop Shop attendance rose 42%. Violent crime rose, partly "
             "because of new police recording measures; the High Street ward and its night-time economy stand out."
         )},
        {"title": "Mental health", "theme": "mental-health",
         "rationale": (
             "About 75% of cases at the weekly community safety and vulnerabilities meeting involve mental health, "
             "and Section 136 was used 66 times last year, up 46% over three years. Because mental health runs "
             "through so many topics it is recommended as a priority in its own right."
         )},
        {"title": "Prevent", "theme": "prevent", "kind": "cross_cutting",
         "rationale": "Now a cross-cutting theme rather than a named priority."},
        {"title": "Reducing reoffending", "theme": "reducing-reoffending", "kind": "cross_cutting",
         "rationale": (
             "Reducing reoffending spans all of the other priorities, so it moves from a named priority to a "
             "cross-cutting theme. Integrated Offender Management shows a 45% reduction in offending for the West "
             "division cohort."
         )},
        {"title": "Anti-social behaviour", "theme": "asb", "kind": "cross_cutting", "categories": ["asb-incidents"],
         "rationale": (
             "ASB rose slightly (3%) but has fallen by a third since 2010; it stays 'business as usual' with strong "
             "partnership working, as a cross-cutting theme."
         )},
    ],
}

# --- Ashford 2016/17 and the recommended 2017/18 priorities ---------------------------------------
ASHFORD_AUTHOR = "Health, Parking and Community Safety Manager, Ashford Borough Council"
ASHFORD_DONE = "Reported as done in the partnership's update to the Overview and Scrutiny Committee, 28 February 2017."

ASHFORD_2016 = {
    "district": "E07000105",
    "plan_year": 2016,
    "data": ((2014, 10), (2015, 9)),
    "author_role": ASHFORD_AUTHOR,
    "signed_off_on": None,
    "introduction": (
        "In 2016 the Ashford Community Safety Partnership analysed the information presented by its partners, "
        "and comments received through consultation, and agreed its priorities. For each priority a detailed "
        "delivery plan was established, with a lead agency developing and delivering the tactical delivery plan "
        "and updating the CSP quarterly. The work carried out by partners during 2016/17 was reported to the "
        "Overview and Scrutiny Committee on 28 February 2017."
    ),
    "priorities": [
        {"title": "Road safety", "theme": "road-safety", "lead": ABC,
         "categories": ["road-casualties", "ksi", "child-ksi"],
         "rationale": (
             "Casualties fell slightly but the borough still has the third highest number killed or seriously "
             "injured in collisions in the county."
         ),
         "actions": [
             ("Promote the young drivers course to years 12 and 13.", [ABC]),
             ("Send letters to secondary schools offering support with transport to KFRS' Road Safety Experience.",
              [ABC, "Kent Fire and Rescue Service"]),
             ("Promote bicycle ability training to year 7 and adults and run a bike maintenance event in Victoria "
              "Park.", [ABC]),
             ("Hold a child seat safety roadshow at a local supermarket.", [ABC]),
             ("Run a restorative justice road safety event.", [ABC, "Kent Police"]),
             ("Identify cluster sites on the A28 and prioritise them for treatment, especially those posing the "
              "greatest risk to vulnerable road users.", ["Kent County Council"]),
             ("Civil enforcement officers visit primary schools to educate children about road safety.", [ABC]),
             ("Operation Eye to target problem parking at schools.", ["Kent Police"]),
         ]},
        {"title": "Domestic abuse", "theme": "domestic-abuse", "lead": "Ashford Domestic Abuse Forum",
         "categories": ["domestic-abuse-incidents", "one-stop-shop-visitors", "marac-cases"],
         "rationale": (
             "Ashford has one of the busiest One Stop Shops in the county, with the second highest proportion of "
             "visitors per 10,000 residents. At a time of reduced resources, victims at every level of risk need "
             "face-to-face support and advice."
         ),
         "actions": [
             ("Devise and release an app-based awareness tool for secondary school pupils.",
              ["Ashford Domestic Abuse Forum"]),
             ("Deliver training to services wishing to further their knowledge, including housing providers, KCC "
              "Early Help and Preventative Services staff and ABC housing managers.",
              ["Ashford Domestic Abuse Forum"]),
             ("Coordinate and deliver Freedom programmes and Recovery Toolkit programmes.",
              ["Ashford Domestic Abuse Forum", ABC]),
             ("Engage with KCC's commissioning team for the new IDVA and refuge contract.", [ABC]),
             ("Submit a grant bid to the Department for Communities and Local Government for refuge funding for hard "
              "to reach communities.", [ABC]),
         ]},
        {"title": "Child sexual exploitation", "theme": "cse", "lead": "KCC Specialist Children's Services",
         "rationale": (
             "Added as a priority in response to emerging awareness of child sexual exploitation; a working group "
             "raises awareness and promotes reporting."
         ),
         "actions": [
             ("Deliver a 'healthy relationships' workshop to year 6 pupils at the Safety in Action event.",
              ["KCC Specialist Children's Services"]),
             ("Train taxi drivers, through a police trainer, to spot and report concerns about child sexual "
              "exploitation.", ["Kent Police"]),
             ("Distribute posters and leaflets to venues across the district (hotels, taxi firms, pubs, GP "
              "surgeries, pharmacies).", ["KCC Specialist Children's Services"]),
         ]},
        {"title": "Prevent", "theme": "prevent", "lead": ABC,
         "rationale": (
             "The Counter-Terrorism and Security Act 2015 puts Prevent on a statutory footing: every local authority "
             "must have due regard to the need to prevent people being drawn into terrorism."
         ),
         "actions": [
             ("Run Workshops to Raise Awareness of Prevent (WRAP) for front-line staff, members and the Kent "
              "Safeguarding Children's Board.", [ABC]),
             ("Ensure safeguarding boards receive updates on Prevent delivery and are aware of risk issues for "
              "children and vulnerable adults.", [ABC]),
         ]},
        {"title": "Serious and organised crime, human trafficking and modern slavery", "theme": "organised-crime",
         "also_covers": ["modern-slavery"],
         "rationale": (
             "A new sub-group was established in 2016 because of newly recognised risks and Government "
             "recommendations; its action plan carries over to 2017/18."
         ),
         "actions": [
             ("Deliver awareness training across all strands of the CSP and hold days of action visiting local "
              "businesses and vulnerable locations.", ["Kent Police", ABC]),
             ("Review the information-sharing protocol between partners to support sharing information on modern "
              "slavery and human trafficking cases.", [ABC]),
         ]},
    ],
    "pcc_grant": (D("28858"), D("20000"),
                  "The Police and Crime Commissioner provided a grant of £28,858 in two instalments for CSP work "
                  "that aligns with the Kent Police and Crime Plan; £20,000 is allocated for initiatives and "
                  "projects."),
    # Appendix C. (kind, project, summary, agency, lead officer role, requested, status, awarded, decided,
    #              PO number, priority title, outcome report)
    "grants": [
        ("subscription", "Safer Kent", "Funding contribution.", "Safer Kent", "Safer Kent coordinator",
         D("500.00"), "approved", D("500.00"), (2016, 4), "AM00957", None, "not_required"),
        ("subscription", "Integrated Offender Management",
         "To provide assistance for those individuals who have been assessed as wanting to improve their lives and "
         "stability.", "Kent Police", "Integrated Offender Management lead, Kent Police", D("500.00"), "approved",
         D("500.00"), (2016, 4), "AM00958", None, "not_received"),
        ("subscription", "Gating Order security", "Closing and opening of gates that deter ASB.", "Sight and Sound",
         "", D("2100.00"), "approved", D("2100.00"), None, "PK00259", None, "not_received"),
        ("subscription", "Safety in Action", "Partnership contribution to running costs.",
         "Ashford Community Safety Partnership", "", D("1500.00"), "approved", D("1500.00"), None, "INTERNAL", None,
         "not_received"),
        ("initiative", "Domestic Abuse and the Workplace",
         "To increase understanding and awareness of the extent and impact of domestic abuse within local "
         "communities, agencies and organisations.", "Rising Sun Domestic Violence and Abuse Service",
         "Service manager, Rising Sun", D("1982.00"), "approved", D("1982.00"), (2016, 5), "", "Domestic abuse",
         "not_received"),
        ("initiative", "Crime prevention bike marking initiative",
         "Educating members of the public to take personal responsibility for their property; marking helps return "
         "stolen property to its owner when it is recovered.", "Kent Police", "Crime reduction officer, Kent Police",
         D("497.16"), "approved", D("497.16"), (2016, 5), "AM00967", None, "not_received"),
        ("initiative", "Road safety event: Wizhog mascot",
         "Creation of the Wizhog character mascot for road safety events.", ABC,
         "Road safety officer, Ashford Borough Council", D("1200.00"), "approved", D("1200.00"), (2016, 6), "PK00225",
         "Road safety", "not_received"),
        ("initiative", "Road safety event: riding safely", "Provision of road safety training when riding.", "Sk8side",
         "Project lead, Sk8side", D("2000.00"), "approved", D("2000.00"), (2016, 3), "AM00938", "Road safety",
         "not_received"),
        ("initiative", "WCCTV relocation",
         "Deployable CCTV camera to be moved to Torrington Road because of high levels of ASB.", "Kent Police",
         "Community safety unit officer, Kent Police", D("300.00"), "approved", D("300.00"), (2016, 10), "PK00368",
         None, "not_received"),
        ("initiative", "Bus ticket campaign", "Supply of tickets for vulnerable clients.",
         "Ashford Domestic Abuse Forum", "Domestic Abuse Coordinator, Ashford Borough Council", D("300.00"),
         "approved", D("300.00"), (2017, 1), "AM01077", "Domestic abuse", "not_received"),
        ("initiative", "Ashford Night Shelter", "To support the night shelter project.", "Churches Together Ashford",
         "Night shelter coordinator", D("1000.00"), "approved", D("1000.00"), (2017, 1), "", None, "not_received"),
        ("initiative", "One You", "Provision of advice on how to lead a healthier lifestyle.", "Kent Public Health",
         "Public health officer, Kent County Council", D("1500.00"), "approved", D("1500.00"), (2017, 2), "AM01107",
         None, "not_received"),
        ("initiative", "Community safety initiatives and domestic violence workshops",
         "To supply crime prevention equipment for community safety events.", "Kent Police",
         "Community safety unit officer, Kent Police", D("496.00"), "waiting", None, None, "", "Domestic abuse",
         "not_received"),
        ("initiative", "Hawkeye",
         "To furnish a vehicle (supplied by Kent Police) with CCTV and a mini control centre.", ABC,
         "Community safety officer, Ashford Borough Council", D("6000.00"), "waiting", None, None, "", None,
         "not_received"),
    ],
}

ASHFORD_2017 = {
    "district": "E07000105",
    "plan_year": 2017,
    "data": ((2015, 10), (2016, 9)),
    "author_role": ASHFORD_AUTHOR,
    "signed_off_on": None,
    "draft": True,
    "introduction": (
        "On 25 January a working group of the CSP considered performance over the past year and agreed the "
        "priorities it recommends for adoption by the CSP in March 2017, aligned with the Kent Control Strategy, "
        "the Police and Crime Commissioner's Plan and the priorities of partners. Each priority needs a lead agency "
        "to establish a working group, write an action plan and organise regular meetings."
    ),
    "priorities": [
        {"title": "Road safety", "theme": "road-safety", "lead": ABC, "categories": ["road-casualties", "ksi"],
         "rationale": (
             "The number of crashes and casualties has reduced, but the number killed and seriously injured on "
             "Ashford's roads is still high compared with neighbouring boroughs."
         )},
        {"title": "Serious and organised crime, human trafficking and modern slavery", "theme": "organised-crime",
         "also_covers": ["modern-slavery"], "lead": "Kent Police",
         "rationale": (
             "Emerging trends throughout the county and one of the key focuses of the police control strategy."
         )},
        {"title": "Domestic abuse and sexual offences", "theme": "domestic-abuse", "also_covers": ["sexual-offences"],
         "lead": "Ashford Domestic Abuse Forum",
         "categories": ["domestic-abuse-incidents", "one-stop-shop-visitors", "sexual-offences"],
         "rationale": (
             "Increased use of the One Stop Shop shows an increasing need for services; keeping this as a priority "
             "keeps the agencies' focus on it."
         )},
        {"title": "Anti-social behaviour", "theme": "asb", "lead": ABC, "categories": ["asb-incidents"],
         "rationale": (
             "ASB has increased, and the partnership wants to keep it under control and Ashford's figures the "
             "lowest in the county: every incident has a negative impact on communities."
         )},
        {"title": "Safeguarding, including child sexual exploitation, Prevent and substance misuse",
         "theme": "safeguarding", "also_covers": ["cse", "prevent", "substance-misuse"],
         "lead": "KCC Specialist Children's Services",
         "rationale": (
             "Brings together safeguarding issues that have had individual attention in the past: many of the "
             "concerns interlink and need input from the same agencies."
         )},
    ],
}

# --- Tonbridge and Malling 2013/14 (targets) and 2014/15 (priorities) ---------------------------------
TM_AUTHOR = "Community Safety Partnership, Tonbridge and Malling Borough Council"

# (measure, unit, baseline, baseline note, target): the "Review of actions 2013/14" table in the 2014/15 plan.
TM_TARGETS = {
    "Anti-social behaviour (including environmental crime and criminal damage)": [
        ("Referrals to Mediation services to deal with neighbourhood disputes", "number", D("33"), "", D("40")),
        ("ASB Task Group cases with an improvement in behaviour", "percentage", D("82"), "", D("80")),
        ("Families committing ASB given early intervention through 'Family Focus'", "number", None, "New project",
         D("74")),
        ("Projects nominated to Community Payback", "number", D("8"), "", D("20")),
        ("Referrals to the YISP Power Project during the year", "number", D("33"), "", D("40")),
    ],
    "Domestic abuse": [
        ("MARAC cases supported through the new IDVA service", "percentage", None, "New service", D("50")),
        ("Low and medium risk victims supported", "number", D("39"), "", D("50")),
        ("Male victims supported", "number", D("3"), "", D("10")),
        ("Men referring themselves to the Community Domestic Abuse Programme", "number", D("8"), "", D("6")),
        ("Training sessions for front-line staff, including the MARAC process", "number", None, "", D("1")),
        ("Schools running a domestic abuse schools programme", "number", None, "", D("2")),
        ("Freedom Programmes run in the borough", "number", None, "", D("1")),
        ("Campaigns highlighting the unacceptability of domestic abuse", "number", None, "", D("1")),
    ],
    "Substance misuse": [
        ("Locations where Kenward Trust works in its Community Outreach Services", "number", D("6"), "", D("6")),
        ("Test purchasing operations carried out in response to intelligence", "number", D("3"), "", D("3")),
        ("Substance misuse campaigns run during the year", "number", None, "", D("1")),
    ],
}

TM_ACTIONS = {
    "Anti-social behaviour (including environmental crime and criminal damage)": [
        ("Develop 'Themis' to case manage ASB cases.", "Themis up and running."),
        ("Work with Registered Social Landlords to prevent ASB, especially nuisance neighbour reports.", ""),
        ("Support diversionary activities for young people such as the Fighting Chance Judo project and the Y-2 Crew "
         "scheme.", ""),
        ("Review the ASB Policy and ensure its adoption by key partners.", "Adoption of the policy."),
    ],
    "Domestic abuse": [
        ("Identify actions to reduce repeat victims.", ""),
        ("Undertake research on best practice to tackle repeat victims.", ""),
        ("Consider establishing a One Stop Shop or drop-in service in the Tonbridge area.", "One set up."),
        ("Promote the Maidstone One Stop Shop to Malling residents.", ""),
        ("Continue to publicise the services available within the borough.", ""),
        ("Where possible attend community events run by Russet and provide information on services available.", ""),
        ("Continue to support the ISVA service.", ""),
    ],
    "Substance misuse": [
        ("Encourage more referrals to CRI (for adults) and KCA (for young people).", ""),
        ("Continue the work of the Kent Community Alcohol Partnership in Snodland and consider rolling it out to "
         "other areas.", "Ongoing."),
        ("Publicise the substance misuse services available to the public.", ""),
        ("Run operations to target the supply of illegal drugs.", ""),
        ("Promote identification and brief advice (IBA) at appropriate events.", ""),
        ("Include information about substance misuse in introductory sessions with new tenants.", ""),
        ("Continue to develop the Snodland drugs initiative and roll it out to other areas if appropriate.", ""),
        ("Work with agencies to develop preventative and early intervention work in schools.", ""),
    ],
}

TM_2013 = {
    "district": "E07000115",
    "plan_year": 2013,
    "data": ((2011, 10), (2012, 9)),
    "author_role": TM_AUTHOR,
    "signed_off_on": None,
    "introduction": (
        "The 2013/14 priorities and the targets the partnership set itself, as reviewed in the Partnership Plan "
        "2014-2015 (\"Review of actions 2013/14\"). That review printed no actual figures (its text still had XXX "
        "placeholders), so every actual is recorded as not yet known rather than as a failure. Road safety was "
        "not one of the priorities for 2013/14."
    ),
    "priorities": [
        {"title": "Anti-social behaviour (including environmental crime and criminal damage)", "theme": "asb",
         "also_covers": ["environmental-crime", "criminal-damage"]},
        {"title": "Domestic abuse", "theme": "domestic-abuse",
         "rationale": "A key priority for the partnership during 2013/14, with a focus on reaching repeat victims."},
        {"title": "Substance misuse", "theme": "substance-misuse"},
    ],
}

TM_2014 = {
    "district": "E07000115",
    "plan_year": 2014,
    "data": ((2012, 10), (2013, 9)),
    "author_role": TM_AUTHOR,
    "signed_off_on": None,
    "introduction": (
        "The plan is based on the strategic assessment undertaken in autumn 2013 and an away day in February 2014, "
        "using partners' data and residents' feedback. Key objectives for 2014/15: to reduce the number of reports "
        "of anti-social behaviour; to reduce the number of repeat victims of domestic abuse; to increase the number "
        "of people accessing support for drug and alcohol misuse; and to tackle the root causes of crime and "
        "anti-social behaviour through the 'Family Focus' initiative. Action plans are produced by working groups "
        "for each priority. The 2013/14 targets this plan reviews are recorded on the 2013/14 plan."
    ),
    "priorities": [
        {"title": "Anti-social behaviour (including environmental crime and criminal damage)", "theme": "asb",
         "also_covers": ["environmental-crime", "criminal-damage"], "categories": ["asb-incidents", "criminal-damage"]},
        {"title": "Domestic abuse", "theme": "domestic-abuse",
         "categories": ["domestic-abuse-incidents", "domestic-abuse-repeat-victims"]},
        {"title": "Substance misuse", "theme": "substance-misuse", "categories": ["drug-offences"]},
        {"title": "Reducing reoffending", "theme": "reducing-reoffending", "kind": "cross_cutting",
         "rationale": "A statutory requirement for the partnership, led through the Integrated Offender Management unit."},
        {"title": "Prevention and education", "theme": "early-intervention", "kind": "cross_cutting",
         "rationale": "Led largely through the Family Focus initiative, identifying families at risk early."},
        {"title": "Mental health", "theme": "mental-health", "kind": "cross_cutting",
         "rationale": "An increasing number of ASB cases can be linked to individuals with mental health issues."},
        {"title": "Vulnerable households and individuals", "theme": "vulnerable-people", "kind": "cross_cutting",
         "rationale": "Each repeat or vulnerable person reporting ASB is discussed at daily briefing meetings."},
        {"title": "Positive activities", "theme": "positive-activities", "kind": "cross_cutting",
         "rationale": "Projects such as the Y-2 Crew summer holiday scheme divert young people from ASB and crime."},
    ],
}

ASSESSMENTS = [TM_2013, TM_2014, ASHFORD_2016, ASHFORD_2017, MAIDSTONE_2016, MAIDSTONE_2017, TW_2016, TW_2021]


# The migration that installs the shared themes and agencies (a module name an import statement cannot spell).
_PLANS_REFERENCE_DATA = importlib.import_module("assessments.migrations.0003_plans_reference_data")


def _install_reference() -> None:
    _PLANS_REFERENCE_DATA.install(django_apps, None)


def load_demo_content() -> str:
    """Create the demo assessments (once). Returns a one-line summary."""
    _install_reference()
    if StrategicAssessment.objects.exists():
        return ""
    for name, kind in AGENCIES:
        Agency.objects.get_or_create(name=name, defaults={"kind": kind})
    agencies = {a.name: a for a in Agency.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    categories = {c.slug: c for c in Category.objects.all()}
    districts = {d.code: d for d in District.objects.all()}
    reason = "Demo content from the published documents"
    counts = {"assessments": 0, "priorities": 0, "actions": 0, "grants": 0, "targets": 0, "morile": 0}

    def tag(obj):
        obj._change_reason = reason
        return obj

    for spec in ASSESSMENTS:
        (y1, m1), (y2, m2) = spec["data"]
        draft = spec.get("draft", False)
        assessment = tag(StrategicAssessment(
            district=districts[spec["district"]], plan_year=spec["plan_year"], data_from=_month(y1, m1),
            data_to=_month_end(y2, m2), author_role=spec["author_role"], signed_off_on=spec.get("signed_off_on"),
            status=StrategicAssessment.DRAFT if draft else StrategicAssessment.SIGNED_OFF,
            introduction=spec.get("introduction", ""), conclusion=spec.get("conclusion", ""),
        ))
        assessment.full_clean()
        assessment.save()
        counts["assessments"] += 1
        by_title = {}
        orders = {"priority": 0, "cross_cutting": 0}
        for p in spec["priorities"]:
            kind = p.get("kind", "priority")
            orders[kind] += 1
            override, override_reason = p.get("override", ("", ""))
            priority = tag(Priority(
                assessment=assessment, kind=kind, order=orders[kind], title=p["title"], theme=themes[p["theme"]],
                lead_agency=agencies[p["lead"]] if p.get("lead") else None, rationale=p.get("rationale", ""),
                status_override=override, override_reason=override_reason,
            ))
            priority.save()
            priority.also_covers.set([themes[s] for s in p.get("also_covers", [])])
            priority.categories.set([categories[s] for s in p.get("categories", [])])
            by_title[p["title"]] = priority
            counts["priorities"] += 1
            for order, action in enumerate(p.get("actions", []), start=1):
                if isinstance(action, tuple):
                    # Ashford's list is of work already done, as reported to scrutiny.
                    action = {"description": action[0], "agencies": action[1], "measure": "", "other": "",
                              "outcome": ASHFORD_DONE}
                row = tag(Action(priority=priority, order=order, description=action["description"],
                                 measure=action["measure"], other_partners=action["other"],
                                 outcome=action.get("outcome", "")))
                row.save()
                row.agencies.set([agencies[name] for name in action["agencies"]])
                counts["actions"] += 1
        if spec is TW_2016:
            _tw_funding(spec, assessment, by_title, agencies, counts, tag)
            for theme, harm, risk, csp in spec["morile"]:
                tag(MorileScore(assessment=assessment, theme=themes[theme], total_harm=D(harm), risk=D(risk),
                                csp_score=csp)).save()
                counts["morile"] += 1
        if spec is ASHFORD_2016:
            total, projects, notes = spec["pcc_grant"]
            tag(PccGrant(assessment=assessment, total_grant=total, project_budget=projects, notes=notes)).save()
            for order, g in enumerate(spec["grants"], start=1):
                kind, project, summary, agency, role, requested, status, awarded, decided, po, priority, report = g
                grant = tag(GrantApplication(
                    assessment=assessment, order=order, kind=kind, project=project, summary=summary,
                    agency=agencies[agency], lead_officer_role=role, amount_requested=requested, status=status,
                    amount_awarded=awarded, decided_on=_month(*decided) if decided else None, po_number=po,
                    priority=by_title.get(priority), outcome_report=report,
                ))
                grant.full_clean()
                grant.save()
                counts["grants"] += 1
        if spec is TM_2013:
            for title, rows in TM_TARGETS.items():
                for order, (measure, unit, baseline, note, target) in enumerate(rows, start=1):
                    tag(Target(assessment=assessment, priority=by_title[title], order=order, measure=measure,
                               unit=unit, baseline=baseline, baseline_note=note, target=target,
                               direction="at_least")).save()
                    counts["targets"] += 1
            for title, rows in TM_ACTIONS.items():
                for order, (description, measure) in enumerate(rows, start=1):
                    tag(Action(priority=by_title[title], order=order, description=description,
                               measure=measure)).save()
                    counts["actions"] += 1
    return (
        f"Demo plans: {counts['assessments']} strategic assessments, {counts['priorities']} priorities and "
        f"cross-cutting themes, {counts['actions']} actions, {counts['grants']} grant applications, "
        f"{counts['targets']} targets and {counts['morile']} MoRiLE rows from the published Kent documents."
    )


def _tw_funding(spec, assessment, by_title, agencies, counts, tag):
    for order, (priority, project, agency, role, awarded, unspent, services) in enumerate(spec["funded"], start=1):
        grant = tag(GrantApplication(
            assessment=assessment, order=order, kind="initiative", project=project, agency=agencies[agency],
            lead_officer_role=role, status="approved", amount_awarded=awarded, priority=by_title[priority],
            outcome_report="received",
        ))
        grant.full_clean()
        grant.save()
        counts["grants"] += 1
        for service_order, (service, updates) in enumerate(services, start=1):
            outcome = tag(FundedOutcome(grant=grant, order=service_order, service=service,
                                        amount_unspent=unspent if service_order == 1 else None))
            outcome.save()
            for quarter, text in updates:
                tag(OutcomeUpdate(outcome=outcome, quarter=quarter, text=text)).save()
