"""Import figures from a CSV or XLSX file (the format the upload page uses).

Every row is validated first; on any error every problem is listed with its
row and column, the exit status is non-zero and nothing is written. A clean
file is written in one transaction and logged. Re-importing the same file
changes nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crimedata.importers.figures import import_figures
from crimedata.models import Figure
from crimedata.selectors import reference_data


class Command(BaseCommand):
    help = "Import figures (district, category, period_start, period_end, value[, status, note]) from CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        outcome = import_figures(
            path, path.name, reference_data(), source=Figure.SOURCE_COMMAND, dry_run=options["dry_run"]
        )
        if not outcome.ok:
            for error in outcome.validation.sorted_errors():
                self.stderr.write(str(error))
            hidden = outcome.validation.error_count - len(outcome.validation.errors)
            if hidden:
                self.stderr.write(f"... and {hidden:,} more.")
            raise CommandError(outcome.summary)
        self.stdout.write(outcome.summary)
