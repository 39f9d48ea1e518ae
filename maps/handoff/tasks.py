"""Background work for the hand-off (django-tasks: the database queue by default, at once in tests)."""

from django_tasks import task


@task()
def send_municipal_report(*, report_id: int) -> str:
    """Send one outbox row (enqueued after the triage transaction commits)."""
    from maps.handoff.outbox import send_report

    return send_report(report_id)


@task()
def send_due_municipal_reports() -> int:
    """The scheduled run: every row whose retry is due or whose worker's lease ran out."""
    from maps.handoff.outbox import send_due_reports

    return send_due_reports()


@task()
def refresh_municipal_report_statuses() -> int:
    """The scheduled poll of the meldingen's status in the municipality's system."""
    from maps.handoff.outbox import refresh_statuses

    return refresh_statuses()
