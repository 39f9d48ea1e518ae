"""Enqueue the tasks of ``config.schedule.SCHEDULE`` when they are due (run beside ``db_worker``)."""

import importlib
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from config.schedule import SCHEDULE

TICK_SECONDS = 30


def load_task(path: str):
    module_name, _dot, name = path.rpartition(".")
    return getattr(importlib.import_module(module_name), name)


class Command(BaseCommand):
    help = "Enqueue scheduled background tasks when they are due; --once enqueues each one time and stops."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="enqueue every scheduled task once, then stop")

    def handle(self, *args, once=False, **options):
        due = {entry.task: timezone.now() for entry in SCHEDULE}  # all due at start: every task is idempotent
        while True:
            now = timezone.now()
            for entry in SCHEDULE:
                if due[entry.task] <= now:
                    result = load_task(entry.task).enqueue()
                    self.stdout.write(f"{now:%Y-%m-%d %H:%M} enqueued {entry.task} ({result.id})")
                    due[entry.task] = now + entry.every
            if once:
                return
            time.sleep(TICK_SECONDS)
