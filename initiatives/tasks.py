"""Background work for initiatives (django-tasks: the database queue by default, at once in tests)."""

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_initiative_email(*, user_ids: list[int], subject: str, body: str = "", url: str = "") -> int:
    """E-mail each user who wants e-mail; returns how many were sent."""
    from community.models import User

    base = getattr(settings, "SITE_URL", "").rstrip("/")
    text = "\n\n".join(part for part in (body, f"{base}{url}" if url else "") if part)
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True, email_notifications=True):
        sent += send_mail(subject=subject[:200], message=text or subject, from_email=None,
                          recipient_list=[user.email], fail_silently=False)
    return sent


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
