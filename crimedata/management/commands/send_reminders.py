"""Email officers the figures still missing from collection windows closing in a week or today.

Run it once a day from cron (see README "Reminders and alerts by email"); running it more often, or twice,
sends nothing twice.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from crimedata.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Send the reminders (and analysts' summaries) due today for collection windows. Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD), to catch up a missed day.")
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent; send nothing.")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date must be a date written YYYY-MM-DD, such as 2016-07-31, not {options['date']!r}.") from None
        report = send_due_reminders(today, dry_run=options["dry_run"])
        for note in report.notes or []:
            self.stdout.write(note)
        self.stdout.write(report.summary(options["dry_run"]))
        if report.failed:
            raise CommandError(f"{report.failed} email(s) could not be sent; they will be retried on the next run.")
