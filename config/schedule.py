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
    # The reminder the day before a walk: hourly means it arrives 23 to 24 hours before the start.
    Periodic("maps.tasks.send_walk_reminders", timedelta(hours=1)),
    # Meldingen to the municipality: retries that are due and rows whose worker died (their lease ran out).
    Periodic("maps.handoff.tasks.send_due_municipal_reports", timedelta(minutes=1)),
    # The melding's status in the municipality's system; walkers see a change within a quarter of an hour.
    Periodic("maps.handoff.tasks.refresh_municipal_report_statuses", timedelta(minutes=15)),
    # Letters with voting codes are kept at most 24 hours: hourly means a forgotten file is gone within 25.
    Periodic("voting.letters.tasks.delete_expired_letters", timedelta(hours=1)),
]
