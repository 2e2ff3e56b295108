"""Import mid-year population estimates (district, year, population[, source]) from CSV or XLSX."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crimedata.importers.populations import import_populations
from crimedata.selectors import reference_data


class Command(BaseCommand):
    help = "Import population estimates (district, year, population) from CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        outcome = import_populations(path, path.name, reference_data(), dry_run=options["dry_run"])
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(str(error))
            raise CommandError(outcome.summary)
        self.stdout.write(outcome.summary)
