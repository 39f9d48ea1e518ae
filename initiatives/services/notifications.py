"""Telling people: an in-app notification and a queued e-mail, both only after the transaction commits."""

from django.db import transaction


def notify_after_commit(*, recipients, title: str, body: str = "", url: str = "") -> None:
    """Notify ``recipients`` (users) once the surrounding transaction commits; nothing if it rolls back."""
    recipient_ids = sorted({user.pk for user in recipients if user is not None and user.pk is not None})
    if not recipient_ids:
        return

    def send():
        from community.models import User
        from community.services import notify
        from initiatives.tasks import send_initiative_email

        users = list(User.objects.filter(pk__in=recipient_ids, is_active=True))
        notify(recipients=users, title=title, body=body, url=url)
        email_ids = [user.pk for user in users if user.email_notifications and user.email]
        if email_ids:
            send_initiative_email.enqueue(user_ids=email_ids, subject=str(title), body=str(body), url=url)

    transaction.on_commit(send)
