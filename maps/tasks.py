"""Walk work on the clock (django-tasks; scheduled in config/schedule.py)."""

from django_tasks import task


@task()
def send_walk_reminders() -> int:
    """Everyone signed up for a walk that starts within a day hears of it once (safe to run twice)."""
    from maps.services import send_walk_reminders as remind

    return remind()
