"""Load the Kent demo dataset: populations, monthly figures and the demo content.

Built from real published facts (see the demo package and README "Demo data"):
every 12-month total printed in the seed strategic assessments comes out
exactly; the rest is deterministic synthetic data with Kent's shape. Running it
again does nothing unless --reset is given. Demo sign-ins (one per role) are
created only when DEBUG is on, so they can never exist on a live site.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from crimedata import roles
from crimedata.models import District, DistrictMembership, Figure, ImportLog, Population
from crimedata.periods import month_index
from crimedata.selectors import reference_data
from crimedata.services import FigureInput, bump_data_generation, save_figures
from demo.content import load_demo_content
from demo.generate import DEMO_DESCRIPTION, generate_figures, generate_populations

# Local demo only (created when DEBUG is on); never a real account.
DEMO_PASSWORD = "kent-demo-insecure-password"
DEMO_USERS = [
    ("officer.maidstone", "Maidstone community safety officer", roles.OFFICER, ["E07000110"]),
    ("officer.tunbridgewells", "Tunbridge Wells community safety officer", roles.OFFICER, ["E07000116"]),
    ("analyst", "County analyst, Kent Community Safety Team", roles.ANALYST, []),
    ("administrator", "Administrator", roles.ADMINISTRATOR, []),
    ("partner", "Partner analyst, Kent Police", roles.PARTNER, []),
    ("councillor", "Crime and Disorder Scrutiny Committee member", roles.SCRUTINY, []),
]


class Command(BaseCommand):
    help = "Load the Kent demo data (populations 2011-2023, monthly figures April 2012 to March 2024, demo content)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete all figures and populations first.")

    def handle(self, *args, reset: bool = False, **options):
        if ImportLog.objects.filter(kind=ImportLog.KIND_DEMO).exists() and not reset:
            self.stdout.write("Demo data is already loaded (use --reset to load it again).")
            self._demo_users()
            return
        started = time.perf_counter()
        ref = reference_data()
        district_ids = {d.code: d.id for d in ref.districts}
        category_ids = {c.slug: c.id for c in ref.categories}
        populations = generate_populations()
        figures = generate_figures()
        with transaction.atomic():
            if reset:
                Figure.history.all().delete()
                # Demo reset only: deleting rows one by one would take minutes.
                Figure.objects.all()._raw_delete(Figure.objects.db)
                Population.objects.all().delete()
            Population.objects.bulk_create(
                Population(district_id=district_ids[r.district], year=int(r.year), population=int(r.population),
                           source=r.source)
                for r in populations.itertuples(index=False)
            )
            inputs = (
                FigureInput(
                    district_id=district_ids[r.district],
                    category_id=category_ids[r.category],
                    period_start=r.period_start,
                    period_end=r.period_end,
                    value=int(r.value),
                    status=r.status,
                )
                for r in figures.itertuples(index=False)
            )
            result = save_figures(inputs, source=Figure.SOURCE_DEMO, source_detail="manage.py load_demo",
                                  reason="Demo data")
            starts = [month_index(d) for d in figures["period_start"]]
            ImportLog.objects.create(
                kind=ImportLog.KIND_DEMO,
                file_name="manage.py load_demo",
                source=Figure.SOURCE_DEMO,
                first_month=figures["period_start"].min(),
                last_month=figures["period_start"].iloc[starts.index(max(starts))],
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
                summary=f"Demo data: {len(populations):,} population estimates and {result.created:,} figures. "
                + DEMO_DESCRIPTION,
            )
            self._demo_content()
            bump_data_generation()
        self.stdout.write(
            f"Loaded {len(populations):,} population estimates and {result.created:,} figures "
            f"in {time.perf_counter() - started:.1f}s."
        )
        self._demo_users()

    def _demo_content(self) -> None:
        summary = load_demo_content()
        if summary:
            self.stdout.write(summary)

    def _demo_users(self) -> None:
        if not settings.DEBUG:
            return
        for username, full_name, role, district_codes in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": full_name, "is_staff": role == roles.ADMINISTRATOR}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_superuser = role == roles.ADMINISTRATOR
                user.save()
                user.groups.add(Group.objects.get(name=role))
                for code in district_codes:
                    DistrictMembership.objects.get_or_create(user=user, district=District.objects.get(code=code))
        self.stdout.write(
            "Demo sign-ins (local demo only): " + ", ".join(u[0] for u in DEMO_USERS)
            + f"; password '{DEMO_PASSWORD}'."
        )
