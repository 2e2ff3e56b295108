"""manage.py restore_archive IN.zip: load a backup_archive into an empty, migrated database (assessments.backup)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from assessments.backup import ArchiveError, restore_archive


class Command(BaseCommand):
    help = ("Restore an archive written by backup_archive into an EMPTY migrated database, in one transaction. "
            "Refuses a database that already holds entered data, a damaged archive or another format version.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive written by backup_archive.")

    def handle(self, *args, archive: str, **options):
        database = connections[DEFAULT_DB_ALIAS].settings_dict.get("NAME")
        try:
            summary = restore_archive(archive)
        except FileNotFoundError as error:
            raise CommandError(f"There is no archive {archive}.") from error
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        rows = sum(summary.tables.values())
        self.stdout.write(f"Restored {rows:,} rows into {database} from {archive}.")
        if options["verbosity"] >= 2:
            for label, count in summary.tables.items():
                self.stdout.write(f"  {label}: {count:,} rows")
        if summary.created_groups:
            self.stdout.write(f"Created the roles {', '.join(summary.created_groups)}, which this database lacked.")
        if summary.unknown_permissions:
            self.stdout.write(self.style.WARNING(
                "These permissions do not exist in this version and were not given: "
                + ", ".join(sorted(set(summary.unknown_permissions)))
            ))
        self.stdout.write(self.style.WARNING(
            f"{summary.users} user(s) restored WITHOUT passwords: each must set a new password before signing in "
            "(an administrator sets one with manage.py changepassword USERNAME, or in the admin)."
        ))
