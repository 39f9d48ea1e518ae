"""Load realistic demo data for every app that has some. Safe to run twice: nothing is duplicated."""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Order matters: people and places first, then the pages and participation that refer to them.
DEMO_MODULES = ["community.demo", "cms.demo", "initiatives.demo", "maps.demo", "lab.workshops.demo", "voting.demo"]


class Command(BaseCommand):
    help = "Load the Molenlanden demo data (kernen, people, pages, participation)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Also with DEBUG off: a demo or test site only.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demo data is for development: run with DEBUG=true. On a demo or test site with DEBUG off (never "
                "one with real residents), pass --force, as the README's Production section shows."
            )
        logins = {}
        for module_name in DEMO_MODULES:
            result = import_module(module_name).seed(stdout=self.stdout)
            if isinstance(result, dict):
                logins.update(result)
        from community.demo import DEMO_PASSWORD

        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Log in with password {DEMO_PASSWORD!r} as:"))
        labels = {
            "resident": "resident", "council": "council member (Groot-Ammers)", "staff": "staff", "admin": "admin",
        }
        for role, label in labels.items():
            if role in logins:
                self.stdout.write(f"  {label:32} {logins[role]}")
