"""Background work for people: telling them (django-tasks: the database queue by default, at once in tests)."""

from django_tasks import task


@task()
def deliver_notifications(**kwargs) -> int:
    """Write one event's notifications (queued by ``community.notifications.services.notify``)."""
    from community.notifications.services import deliver

    return len(deliver(**kwargs))


@task()
def send_notification_emails(*, notification_ids: list[int]) -> int:
    from community.notifications.email import send_at_once

    return send_at_once(notification_ids)


@task()
def send_notification_digests() -> int:
    """The scheduled digest run: hourly; a digest goes out in the first run after 07:00."""
    from community.notifications.email import send_digests

    return send_digests()
