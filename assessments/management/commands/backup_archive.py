"""manage.py backup_archive OUT.zip: everything entered, with its history, in one archive (assessments.backup)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.backup import ArchiveError, write_archive


class Command(BaseCommand):
    help = ("Write every figure, population, plan and their history, the reference data and the users with "
            "their roles (without passwords) to one zip archive that restore_archive loads into an empty database.")

    def add_arguments(self, parser):
        parser.add_argument("out", help="The archive to write, for example csp-portal-2025-06-30.zip.")
        parser.add_argument("--force", action="store_true", help="Replace OUT if it exists.")

    def handle(self, *args, out: str, force: bool = False, **options):
        target = Path(out)
        if target.exists() and not force:
            raise CommandError(f"{target} already exists: choose another name, or give --force to replace it.")
        if not target.parent.is_dir():
            raise CommandError(f"There is no folder {target.parent} to write the archive into.")
        # Written beside the target and renamed at the end: a failed backup never leaves a partial OUT.zip.
        handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        os.close(handle)
        try:
            summary = write_archive(partial)
            os.replace(partial, target)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
        if options["verbosity"] >= 1:
            non_empty = [t for t in summary.tables if t.rows]
            self.stdout.write(
                f"Wrote {target}: {summary.rows:,} rows from {len(summary.tables)} tables "
                f"({len(non_empty)} not empty), made at {summary.created_at}. Passwords are not included."
            )
            if options["verbosity"] >= 2:
                for table in summary.tables:
                    self.stdout.write(f"  {table.name}: {table.rows:,} rows, sha256 {table.sha256}")
