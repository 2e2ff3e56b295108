"""Load an LSOA lookup CSV: which district (and ward, when the file has wards) each neighbourhood is in.

    python manage.py import_lsoa_lookup lsoa21_to_ward23_to_lad23.csv

Takes ONS-style headings (LSOA21CD, LSOA21NM, WD23CD, WD23NM, LAD23CD) or the
2011 shape (LSOA11CD, LSOA11NM, LAD_CODE). Rows outside Kent and Medway are
counted and skipped; any row error means nothing is loaded.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crimedata.importers.lsoa import import_lsoa_lookup
from crimedata.selectors import reference_data


class Command(BaseCommand):
    help = "Load an LSOA to ward and district lookup (CSV)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        outcome = import_lsoa_lookup(file, file.name, reference_data())
        if not outcome.ok:
            for error in sorted(outcome.errors, key=lambda e: (e.row or 0)):
                self.stderr.write(str(error))
            hidden = outcome.error_count - len(outcome.errors)
            if hidden:
                self.stderr.write(f"... and {hidden:,} more.")
            raise CommandError(outcome.summary)
        self.stdout.write(outcome.summary)
