"""Serve the local stand-in for Signalen and Open311 (``maps.handoff.standin``) until stopped."""

from urllib.parse import urlparse

from django.conf import settings
from django.core.management.base import BaseCommand

from maps.handoff.standin import StandIn


class Command(BaseCommand):
    help = "Serve a local stand-in for the municipality's Signalen and Open311 APIs (development and tests only)."

    def add_arguments(self, parser):
        default = urlparse(settings.MUNICIPAL_REPORTS_STANDIN_URL)
        parser.add_argument("--host", default=default.hostname or "127.0.0.1")
        parser.add_argument("--port", type=int, default=default.port or 8765)

    def handle(self, *args, host, port, **options):
        standin = StandIn(host=host, port=port)
        self.stdout.write(f"Signalen stand-in on http://{host}:{port}/signals/v1/public/signals/ "
                          f"and Open311 on http://{host}:{port}/open311/v2/")
        try:
            standin.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            standin.stop()
