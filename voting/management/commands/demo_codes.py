"""Print the demo's voting codes (`make run` shows them). They are predictable: for the demo only."""

from django.core.management.base import BaseCommand

from voting.demo import write_demo_codes


class Command(BaseCommand):
    help = "Print the demo voting codes of the demo budget by letter (predictable; for the demo only)."

    def handle(self, *args, **options):
        write_demo_codes(self.stdout)
