"""Close initiatives whose funding deadline has passed. Safe to run twice, safe to interrupt (see services)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from initiatives.services.deadlines import process_deadlines
from initiatives.services.payments import request_payments


class Command(BaseCommand):
    help = "Settle initiatives past their deadline: funded (collect) or not funded (release, return matching)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD), e.g. to replay a missed day.")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(f"--today must be YYYY-MM-DD: {error}") from None
        summary = process_deadlines(today=day)
        requested = request_payments()
        self.stdout.write(
            f"funded: {len(summary.funded)}, not funded: {len(summary.not_funded)}, "
            f"skipped: {len(summary.skipped)}, payments requested: {requested}"
        )
