"""A database with something in every table a backup must keep, and a digest of it.

``build_entered_database`` writes through the product's services where there is one
(figures, sign-off, corrections, removals, neighbourhood counts, plan edits, MoRiLE,
step changes, commentary), so the history tables hold what real use leaves in them:
several rows per object, with the person and the reason.

``database_digest`` reads the tables back without going through assessments.backup, so
a restore is checked by something other than the code that wrote the archive. It runs
in the test process and, for a restored database, in a subprocess (``python -m
tests.integration.backup_data``, printing JSON).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

# Tables checked after a restore: every model of these apps, their history and many-to-many tables.
APPS = ("crimedata", "assessments")
# The data generation is moved on by a restore, on purpose (a cache must not serve the old one).
MOVES_ON_RESTORE = {"crimedata.datageneration"}


def build_entered_database() -> dict:
    """Fill the (migrated, reference-data-only) database; returns a few objects for the assertions."""
    from django.contrib.auth.models import Group, Permission

    from assessments.commentary.text import GeneratedText
    from assessments.commentary.edits import save_commentary
    from assessments.models import (
        Action,
        ActionUpdate,
        Agency,
        FundedOutcome,
        GrantApplication,
        OutcomeUpdate,
        PccGrant,
        Priority,
        StrategicAssessment,
        Target,
        Theme,
    )
    from assessments.plans.services import (
        MorileRowInput,
        delete_plan_object,
        delete_reference_object,
        save_morile_table,
        save_plan_object,
        save_reference_object,
    )
    from assessments.spc.step_changes import add_step_change, remove_step_change
    from crimedata import roles
    from crimedata.models import (
        Category,
        ComparisonGroup,
        District,
        Figure,
        ImportLog,
        LsoaLookup,
        Population,
        SeriesNote,
    )
    from crimedata.periods import Window, month_end, month_index
    from crimedata.selectors import reference_data
    from crimedata.services import FigureInput, LsoaCount, remove_figures, replace_lsoa_figures, save_figures
    from crimedata.signoff import sign_off_period
    from tests.conftest import ASHFORD, MAIDSTONE, TUNBRIDGE_WELLS, make_user

    officer = make_user("backup.officer", roles.OFFICER, [MAIDSTONE, TUNBRIDGE_WELLS])
    analyst = make_user("backup.analyst", roles.ANALYST)
    administrator = make_user("backup.admin", roles.ADMINISTRATOR)
    councillor = make_user("backup.councillor", roles.SCRUTINY)
    councillor.first_name, councillor.last_name, councillor.email = "Ada", "Lovelace", "ada@example.gov.uk"
    councillor.is_active = False
    councillor.save()
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    analyst.user_permissions.add(Permission.objects.get(codename="view_logentry"))
    # A role edited in the admin: the archive keeps the group's permissions by name.
    Group.objects.get(name=roles.SCRUTINY).permissions.add(Permission.objects.get(codename="view_population"))

    # Reference data edited by administrators: a district's former names, a new group, a new category.
    maidstone = District.objects.get(code=MAIDSTONE)
    maidstone.former_names = "Maidstone Borough"
    maidstone.save()
    mid_kent = ComparisonGroup.objects.create(slug="mid-kent", name="Mid Kent", description="Added in the admin")
    mid_kent.districts.set(District.objects.filter(code__in=[MAIDSTONE, TUNBRIDGE_WELLS, ASHFORD]))
    Category.objects.create(slug="fly-tipping", name="Fly-tipping", family="service", source="Districts",
                            definition="Fly-tipping incidents reported to the council.", entry="district",
                            display_order=9999)

    ref = reference_data()
    d = {code: ref.district(code).id for code in (MAIDSTONE, TUNBRIDGE_WELLS, ASHFORD)}
    robbery, asb = ref.category("robbery").id, ref.category("asb-incidents").id

    for year in (2015, 2016, 2017):
        for code, people in ((MAIDSTONE, 170_000), (TUNBRIDGE_WELLS, 117_000), (ASHFORD, 127_000)):
            Population.objects.create(district_id=d[code], year=year, population=people + year, source="ONS MYE")

    def month(y, m):
        return dt.date(y, m, 1), month_end(month_index(dt.date(y, m, 1)))

    # Figures: a year of robbery and ASB, entered by the officer, then edited, some removed.
    inputs = []
    for code in (MAIDSTONE, TUNBRIDGE_WELLS):
        for m in range(1, 13):
            start, end = month(2016, m)
            inputs.append(FigureInput(d[code], robbery, start, end, 10 + m, note="" if m % 4 else "Checked"))
            inputs.append(FigureInput(d[code], asb, start, end, 300 + m))
    save_figures(inputs, user=officer, source=Figure.SOURCE_GRID, reason="First entry")
    start, end = month(2016, 2)
    save_figures([FigureInput(d[MAIDSTONE], robbery, start, end, 99, note="Corrected after audit")],
                 user=officer, source=Figure.SOURCE_UPLOAD, source_detail="maidstone-q1.csv", reason="Audit")
    # A 12-month total for Ashford, and figures removed (a "-" history row each).
    save_figures([FigureInput(d[ASHFORD], robbery, dt.date(2016, 1, 1), dt.date(2016, 12, 31), 140)],
                 user=analyst, source=Figure.SOURCE_COMMAND, source_detail="ashford.csv")
    removed = list(Figure.objects.filter(district_id=d[TUNBRIDGE_WELLS], category_id=asb,
                                         period_start__month__in=[11, 12]).values_list("pk", flat=True))
    remove_figures(removed, user=analyst, reason="Entered against the wrong district")

    # Sign-off of July to September 2016 (provisional figures become final), then an administrator's correction.
    sign_off_period(user=analyst, districts=[ref.district(MAIDSTONE)],
                    window=Window(month_index(dt.date(2016, 7, 1)), month_index(dt.date(2016, 9, 1))),
                    label="July to September 2016", note="CSP meeting", today=dt.date(2017, 1, 15))
    start, end = month(2016, 8)
    save_figures([FigureInput(d[MAIDSTONE], robbery, start, end, 25, status=Figure.STATUS_FINAL)],
                 user=administrator, source=Figure.SOURCE_ADMIN, allow_locked=True,
                 reason="Kent Police resubmitted August")

    SeriesNote.objects.create(category_id=robbery, district_id=d[MAIDSTONE], month=dt.date(2016, 4, 1),
                              text="Recording standards changed.", created_by=analyst)
    SeriesNote.objects.create(category_id=asb, month=dt.date(2016, 1, 1), text="Every district: new system.")
    LsoaLookup.objects.create(lsoa_code="E01024380", lsoa_name="Maidstone 001A", ward_code="E05005012",
                              ward_name="Boxley", district_id=d[MAIDSTONE], source="ONS lookup 2021")
    police_robbery = ref.category("policeuk-robbery").id
    replace_lsoa_figures(dt.date(2024, 3, 1), [
        LsoaCount("E01024380", "Maidstone 001A", d[MAIDSTONE], police_robbery, 3),
        LsoaCount("E01024381", "Maidstone 001B", d[MAIDSTONE], police_robbery, 0),
    ], source_detail="2024-03-kent-street.csv")
    ImportLog.objects.create(kind=ImportLog.KIND_FIGURES, file_name="maidstone-q1.csv", source=Figure.SOURCE_UPLOAD,
                             imported_by=officer, first_month=dt.date(2016, 1, 1), last_month=dt.date(2016, 3, 1),
                             created=3, summary="3 created")

    # Plans, through the plan services (one history row per edit, with the person and reason).
    theme = save_reference_object(Theme(slug="county-lines", name="County lines", display_order=99), user=analyst)
    # A theme removed and added again has a new id, unlike a freshly migrated database's.
    road = Theme.objects.get(slug="road-safety")
    delete_reference_object(road, user=analyst, expected_version=road.version, reason="Duplicate")
    save_reference_object(Theme(slug="road-safety", name="Road safety", description=road.description,
                                display_order=road.display_order), user=analyst, reason="Added back")
    agency = save_reference_object(Agency(name="Maidstone Mediation", kind="charity"), user=analyst,
                                   reason="New provider")
    police = Agency.objects.get(name="Kent Police")
    themes = list(Theme.objects.order_by("display_order")[:3])
    plan = save_plan_object(
        StrategicAssessment(district_id=d[MAIDSTONE], plan_year=2017, data_from=dt.date(2015, 11, 1),
                            data_to=dt.date(2016, 10, 31), author_role="Community safety manager",
                            introduction="The first draft."),
        user=officer,
    )
    plan.introduction = "The second draft, after the CSP meeting."
    save_plan_object(plan, user=officer, expected_version=1, reason="CSP comments")
    save_plan_object(PccGrant(assessment=plan, total_grant=Decimal("30000.00"), project_budget=Decimal("20000.50")),
                     user=officer)
    priority = save_plan_object(
        Priority(assessment=plan, order=1, title="Domestic abuse", theme=themes[0], lead_agency=police,
                 rationale="Rising reports."),
        user=officer, m2m={"categories": [ref.category("domestic-abuse-incidents").id], "also_covers": [theme]},
    )
    priority.title = "Domestic abuse and stalking"
    save_plan_object(priority, user=officer, expected_version=1, m2m={"also_covers": [theme, themes[1]]})
    action = save_plan_object(Action(priority=priority, order=1, description="Train front-line staff"),
                              user=officer, m2m={"agencies": [police, agency]})
    dropped = save_plan_object(Action(priority=priority, order=2, description="A leaflet"), user=officer)
    delete_plan_object(dropped, user=officer, expected_version=1, reason="Merged into training")
    save_plan_object(ActionUpdate(action=action, quarter=1, reported_on=dt.date(2017, 7, 3), rag="amber",
                                  text="Half trained."), user=officer)
    save_plan_object(Target(assessment=plan, priority=priority, measure="Referrals to IDVA",
                            baseline=Decimal("120"), target=Decimal("150"), actual=Decimal("161.25")), user=officer)
    grant = save_plan_object(
        GrantApplication(assessment=plan, project="Safe spaces", agency=agency, status="approved",
                         amount_requested=Decimal("5000"), amount_awarded=Decimal("4500.75"),
                         decided_on=dt.date(2017, 5, 2), priority=priority),
        user=officer,
    )
    outcome = save_plan_object(FundedOutcome(grant=grant, service="Drop-in sessions"), user=officer)
    save_plan_object(OutcomeUpdate(outcome=outcome, quarter=2, text="24 sessions, 130 visits."), user=officer)
    save_morile_table(plan, [MorileRowInput(None, None, themes[0].pk, Decimal("12.5"), Decimal("40"), 1),
                             MorileRowInput(None, None, themes[1].pk, None, Decimal("22"), 2)], user=officer)

    # Statistics: a step change kept, one removed; a commentary edit changed twice.
    maidstone_info, robbery_info = ref.district(MAIDSTONE), ref.category("robbery")
    add_step_change(user=officer, district=maidstone_info, category=robbery_info,
                    month=month_index(dt.date(2016, 4, 1)), reason="New crime recording rules")
    gone = add_step_change(user=officer, district=maidstone_info, category=robbery_info,
                           month=month_index(dt.date(2016, 9, 1)), reason="A guess")
    remove_step_change(user=officer, district=maidstone_info, category=robbery_info, step_change_id=gone.pk,
                       reason="Not a real change")
    generated = GeneratedText("Robbery rose by 4%.", "f" * 64)
    key = f"spc:{MAIDSTONE}:robbery:month"
    save_commentary(user=officer, key=key, district_id=d[MAIDSTONE], text="Robbery rose a little.",
                    generated=generated, fingerprint=generated.fingerprint, expected_version=0)
    save_commentary(user=officer, key=key, district_id=d[MAIDSTONE], text="Robbery rose a little (4%).",
                    generated=generated, fingerprint=generated.fingerprint, expected_version=1, reason="Clearer")

    # Collection windows (with their history), alert subscriptions, opt-outs and the record of emails sent.
    from assessments.models import AlertSubscription
    from crimedata.collections import WindowRequest, save_window
    from crimedata.entry import Quarter
    from crimedata.models import EmailOptOut, SentEmail

    window = save_window(WindowRequest(quarter=Quarter(2016, 1), opens_on=dt.date(2016, 7, 1),
                                       closes_on=dt.date(2016, 7, 31), category_slugs=("asb-incidents",),
                                       district_codes=(MAIDSTONE, TUNBRIDGE_WELLS)), user=analyst, ref=reference_data())
    AlertSubscription.objects.create(user=officer, district_id=d[MAIDSTONE])
    EmailOptOut.objects.create(user=officer, stream="summaries")
    SentEmail.objects.create(user=officer, to_address="officer@example.gov.uk", stream="reminders",
                             key=f"window-{window}:2016-07-31:week-before", subject="Figures due", body="Missing: May",
                             status=SentEmail.STATUS_SENT, sent_at=dt.datetime(2016, 7, 24, 7, 15, tzinfo=dt.timezone.utc))
    return {"plan": plan, "officer": officer}


def _models():
    from django.apps import apps

    for label in APPS:
        yield from apps.get_app_config(label).get_models(include_auto_created=True)


def _plain(value):
    if isinstance(value, (dt.datetime, dt.date, Decimal)):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    return value


def database_digest() -> dict[str, dict]:
    """{model label: {"rows": n, "sha256": ...}} over every column, rows in primary-key order.

    Users are digested without their passwords (a restore never has them); their roles
    and permissions by name.
    """
    from django.contrib.auth.models import User

    out = {}

    def add(label, rows):
        rows = [[_plain(v) for v in row] for row in rows]
        blob = json.dumps(rows, separators=(",", ":"), ensure_ascii=False).encode()
        out[label] = {"rows": len(rows), "sha256": hashlib.sha256(blob).hexdigest()}

    for model in _models():
        names = [f.attname for f in model._meta.concrete_fields]
        add(model._meta.label_lower, model._base_manager.order_by(model._meta.pk.attname).values_list(*names))
    user_fields = [f.attname for f in User._meta.concrete_fields if f.attname != "password"]
    add("auth.user", User.objects.order_by("pk").values_list(*user_fields))
    add("auth.user_groups", User.groups.through.objects.order_by("user_id", "group__name")
        .values_list("user_id", "group__name"))
    add("auth.user_user_permissions", User.user_permissions.through.objects
        .order_by("user_id", "permission__codename").values_list("user_id", "permission__content_type__app_label",
                                                                 "permission__codename"))
    from django.contrib.auth.models import Group

    add("auth.group_permissions", Group.permissions.through.objects
        .order_by("group__name", "permission__codename").values_list("group__name", "permission__codename"))
    return out


def write_after_restore() -> dict:
    """After a restore, new rows must get new ids (sequences reset): a figure, a plan edit, a user."""
    from django.contrib.auth.models import User

    from assessments.models import Priority
    from assessments.plans.services import save_plan_object
    from crimedata.models import District, Figure
    from crimedata.selectors import reference_data
    from crimedata.services import FigureInput, save_figures

    ref = reference_data()
    officer = User.objects.get(username="backup.officer")
    save_figures([FigureInput(District.objects.get(code="E07000110").pk, ref.category("robbery").id,
                              dt.date(2017, 1, 1), dt.date(2017, 1, 31), 7)],
                 user=officer, source=Figure.SOURCE_GRID, reason="After the restore")
    priority = Priority.objects.get(title="Domestic abuse and stalking")
    priority.rationale = "Edited after the restore."
    save_plan_object(priority, user=officer, expected_version=priority.version)
    User.objects.create_user("after.restore", password="a-long-enough-password")
    return {"figures": Figure.objects.count(), "users": User.objects.count(),
            "usable_passwords": sorted(u.username for u in User.objects.all() if u.has_usable_password())}


if __name__ == "__main__":
    import sys

    import django

    django.setup()
    if sys.argv[1:] == ["write"]:
        print(json.dumps(write_after_restore()))
    else:
        print(json.dumps(database_digest()))
