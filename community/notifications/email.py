"""E-mail about notifications: at once, or gathered in a daily or weekly digest.

Every e-mail is in the reader's language, HTML and plain text, and carries a one-click unsubscribe
(RFC 8058: ``List-Unsubscribe`` with ``List-Unsubscribe-Post``) that works without logging in. Each
notification is claimed (``emailed_at``) before it is sent, so a task that runs twice sends nothing
twice; a digest with nothing left to say is not sent at all.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from itertools import groupby

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from community.models import Delivery, Notification

UNSUBSCRIBE_SALT = "samenlab.notifications.unsubscribe"
ALL_KINDS = "*"
# Digests go out from this hour (local time): in the morning mail, not in the middle of the night.
DIGEST_HOUR = 7


def unsubscribe_token(user, kind: str | None) -> str:
    """A token that unsubscribes ``user`` from ``kind`` (None: from all e-mail). It does not expire:
    an unsubscribe link in an old e-mail must still work."""
    return signing.dumps({"u": user.pk, "k": kind or ALL_KINDS}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str | None]:
    """``(user id, kind or None)``; ``signing.BadSignature`` for a forged or damaged token."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        raise signing.BadSignature("Unexpected token content")
    return data["u"], None if data["k"] == ALL_KINDS else data["k"]


def _absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _message(user, *, subject: str, template: str, context: dict, unsubscribe_kind: str | None):
    unsubscribe_url = _absolute(reverse("community:unsubscribe", args=[unsubscribe_token(user, unsubscribe_kind)]))
    context = {**context, "user": user, "unsubscribe_url": unsubscribe_url,
               "settings_url": _absolute(reverse("community:notification_settings")),
               "site_url": settings.SITE_URL.rstrip("/")}
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}"[:200],
        body=render_to_string(f"community/email/{template}.txt", context),
        to=[user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(render_to_string(f"community/email/{template}.html", context), "text/html")
    return message


def _may_email(user) -> bool:
    return user.is_active and user.email_notifications and bool(user.email)


def send_at_once(notification_ids: list[int]) -> int:
    """E-mail each of these notifications that is still waiting to go out at once; returns how many went."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=notification_ids).select_related("recipient"):
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True,
                                              delivery=Delivery.AT_ONCE, resolved_at__isnull=True) \
            .update(emailed_at=timezone.now())
        user = notification.recipient
        if not claimed or not _may_email(user):
            continue
        with override(user.preferred_language or settings.LANGUAGE_CODE):
            text = notification.text
            message = _message(user, subject=text, template="notification", unsubscribe_kind=notification.kind or None,
                               context={"notification": notification, "text": text,
                                        "url": _absolute(notification.url) if notification.url else ""})
        sent += message.send()
    return sent


def digest_boundary(delivery: str, now: datetime) -> datetime:
    """The latest moment a digest of ``delivery`` was due (07:00 today, or 07:00 this Monday), at or before ``now``.

    Everything created before it goes into the digest sent after it; what comes later waits for the next.
    """
    local = timezone.localtime(now)
    boundary = timezone.make_aware(datetime.combine(local.date(), time(DIGEST_HOUR)), local.tzinfo)
    if delivery == Delivery.WEEKLY:
        boundary -= timedelta(days=local.weekday())
    step = timedelta(days=7 if delivery == Delivery.WEEKLY else 1)
    while boundary > local:
        boundary -= step
    return boundary


def send_digests(now: datetime | None = None) -> int:
    """Send every daily and weekly digest that is due; returns how many e-mails went.

    Safe to run every hour and twice: a digest takes (claims) its notifications before it is written,
    so the next run finds them gone. What was read or settled before the digest is left out, and a
    person with nothing left gets no e-mail.
    """
    now = now or timezone.now()
    sent = 0
    for delivery in (Delivery.DAILY, Delivery.WEEKLY):
        boundary = digest_boundary(delivery, now)
        waiting = Notification.objects.filter(delivery=delivery, emailed_at__isnull=True, created_at__lt=boundary)
        for recipient_id in sorted(set(waiting.values_list("recipient_id", flat=True))):
            sent += _send_digest(recipient_id, delivery, boundary)
    return sent


def _send_digest(recipient_id: int, delivery: str, boundary: datetime) -> int:
    with transaction.atomic():
        claimed = list(Notification.objects.select_for_update()
                       .filter(recipient_id=recipient_id, delivery=delivery, emailed_at__isnull=True,
                               created_at__lt=boundary))
        if not claimed:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(emailed_at=timezone.now())
    items = [n for n in claimed if n.is_unread]
    if not items:
        return 0
    items = list(Notification.objects.filter(pk__in=[n.pk for n in items])
                 .select_related("recipient", "kern").order_by("kern__name", "-created_at"))
    user = items[0].recipient
    if not _may_email(user):
        return 0
    with override(user.preferred_language or settings.LANGUAGE_CODE):
        sections = [
            {"kern": kern_name or _("Algemeen"),
             "items": [{"text": n.text, "body": n.body, "url": _absolute(n.url) if n.url else ""} for n in group]}
            for kern_name, group in groupby(items, key=lambda n: n.kern.name if n.kern else "")
        ]
        subject = (_("Wat er deze week gebeurde in Samenlab") if delivery == Delivery.WEEKLY
                   else _("Wat er vandaag gebeurde in Samenlab"))
        message = _message(user, subject=subject, template="digest", unsubscribe_kind=None,
                           context={"sections": sections, "count": len(items), "subject": subject,
                                    "weekly": delivery == Delivery.WEEKLY})
    return message.send()
