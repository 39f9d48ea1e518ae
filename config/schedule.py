"""Work that runs on the clock: each entry is a background task enqueued every ``every``.

``manage.py run_schedule`` enqueues them (one scheduler process per site; ``db_worker`` runs them).
Every scheduled task must be safe to run twice and safe to kill half-way, because a restarted
scheduler enqueues everything once at start and two schedulers by mistake only repeat work.
"""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Periodic:
    task: str  # "module.function" of a django-tasks task
    every: timedelta


SCHEDULE = [
    # Deadlines are dates: hourly means an initiative is settled within the first hour of the day after.
    Periodic("initiatives.tasks.process_initiative_deadlines", timedelta(hours=1)),
    # Digests are due at 07:00: hourly means they arrive between 07:00 and 08:00.
    Periodic("community.tasks.send_notification_digests", timedelta(hours=1)),
]
