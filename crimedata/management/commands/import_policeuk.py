"""Import police.uk street-level crime for Kent: monthly CSV files, folders of them, or the zip archive.

    python manage.py import_policeuk 2024-03-kent-street.csv
    python manage.py import_policeuk ~/Downloads/police-uk-2024.zip more-months/

Every row is imported or counted under a reason and reported. On any
problem everything is listed, the exit status is non-zero and nothing is
written. Re-importing a month replaces that month's police.uk figures.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crimedata.importers.policeuk import import_policeuk
from crimedata.selectors import reference_data


class Command(BaseCommand):
    help = "Import police.uk street-level crime (YYYY-MM-kent-street.csv files, folders or the zip archive)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--dry-run", action="store_true", help="Read and report; write nothing.")
        parser.add_argument(
            "--allow-locked", action="store_true",
            help="Change figures in signed-off periods (administrators only; give --reason).",
        )
        parser.add_argument("--reason", default="", help="Why: kept in each changed figure's history.")

    def handle(self, *args, paths, dry_run, allow_locked, reason, **options):
        if allow_locked and not reason.strip():
            raise CommandError("--allow-locked needs --reason: it is kept in the history of every figure changed.")
        outcome = import_policeuk(
            [(p, str(p)) for p in paths], reference_data(), dry_run=dry_run, allow_locked=allow_locked,
            reason=reason.strip(),
        )
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(error)
            raise CommandError(outcome.summary)
        for line in outcome.lines():
            self.stdout.write(line)
        self.stdout.write(outcome.summary)
