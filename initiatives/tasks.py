"""Background work for initiatives (django-tasks: the database queue by default, at once in tests)."""

from django_tasks import task


@task()
def process_initiative_deadlines() -> dict:
    """The scheduled deadline run (also ``manage.py process_initiative_deadlines``)."""
    from initiatives.services.deadlines import process_deadlines
    from initiatives.services.payments import request_payments

    summary = process_deadlines()
    request_payments()
    return {"funded": summary.funded, "not_funded": summary.not_funded, "skipped": summary.skipped}


@task()
def request_initiative_payments(*, initiative_id: int) -> int:
    from initiatives.services.payments import request_payments

    return request_payments(initiative_id=initiative_id)
