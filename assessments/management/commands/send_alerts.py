"""Email subscribers the alerts for the latest quarter signed off for every district (or a quarter named).

Run it once a day from cron (see README "Reminders and alerts by email"): it sends a quarter's alerts the
first run after the quarter is released, and nothing twice.
"""

from django.core.management.base import BaseCommand, CommandError

from assessments.alerts.sending import send_quarter_alerts
from crimedata.entry import Quarter


class Command(BaseCommand):
    help = "Send the quarter's alerts to subscribers, each once. Default: the latest quarter signed off for every district."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", help="Send this quarter's alerts on demand, written YYYY-qN (2016-q1 is "
                                              "April to June 2016), whether or not it is signed off.")
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent; send nothing.")

    def handle(self, *args, **options):
        quarter = None
        if options["quarter"]:
            try:
                quarter = Quarter.parse(options["quarter"])
            except ValueError as exc:
                raise CommandError(f"--quarter {exc}.") from None
        report = send_quarter_alerts(quarter, dry_run=options["dry_run"])
        for note in report.notes or []:
            self.stdout.write(note)
        self.stdout.write(report.summary(options["dry_run"]))
        if report.failed:
            raise CommandError(f"{report.failed} email(s) could not be sent; they will be retried on the next run.")
