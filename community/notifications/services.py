"""Creating, settling and reading notifications, and the live unread count.

Every app tells people through ``notify``: it runs after the surrounding transaction commits (nothing
is told about a write that rolled back), tells each person once per event, never the person who
acted, and never someone who may not see what it is about.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from community.models import Delivery, Notification, NotificationPreference
from community.notifications import kinds
from core.permissions import may

logger = logging.getLogger(__name__)

UNREAD_EVENT = "unread"
# The count is shown on every signed-in page. It is kept in the cache, and every change of it goes through
# ``push_unread_count``, which writes the new count there (a day is only the limit for forgotten keys).
UNREAD_CACHE_SECONDS = 24 * 3600


def _unread_cache_key(user_id: int) -> str:
    return f"samenlab:unread:{user_id}"


def unread_stream(user_id: int) -> str:
    """The live stream that carries one person's unread count (only that person may subscribe)."""
    return f"notifications.{user_id}"


def notify(*, kind: str, recipients: Iterable, params: dict | None = None, body: str = "", url: str = "",
           kern=None, about: str = "", event_key: str = "", actor=None, visible: tuple | None = None) -> None:
    """Tell ``recipients`` (users) of an event of ``kind``, once the current transaction commits.

    Preconditions: ``kind`` is registered; ``params`` fill the kind's title and are JSON-serialisable.
    ``actor`` (the person who acted) is never told of their own act. ``visible=(perm, obj)`` leaves out
    everyone who may not ``perm`` the object at the moment of telling. ``event_key`` names the event
    ("pledge:17"): a person is told of one event once, however often it is delivered. ``about``
    ("initiative:42") lets a later decision settle the notification (``resolve``).
    """
    kind_ = kinds.get(kind)  # fails now, in the caller's transaction, for an unknown kind
    recipient_ids = sorted({user.pk for user in recipients if user is not None and user.pk is not None}
                           - ({actor.pk} if actor is not None else set()))
    if not recipient_ids:
        return
    kern_id = getattr(kern, "pk", kern)
    visible_ref = None
    if visible is not None:
        perm, obj = visible
        visible_ref = [perm, obj._meta.label_lower, obj.pk]

    def enqueue():
        from community.tasks import deliver_notifications

        deliver_notifications.enqueue(kind=kind_.key, recipient_ids=recipient_ids, params=params or {}, body=body,
                                      url=url, kern_id=kern_id, about=about, event_key=event_key,
                                      visible=visible_ref)

    transaction.on_commit(enqueue, robust=True)


def deliver(*, kind: str, recipient_ids: list[int], params: dict, body: str = "", url: str = "", kern_id=None,
            about: str = "", event_key: str = "", visible: list | None = None) -> list[Notification]:
    """Write the notifications, push the new unread counts, and queue the e-mails to send at once.

    Runs in the background task that ``notify`` queues after commit. ``visible`` is
    ``[perm, "app.model", pk]``: who may not see that object (any more) is not told; nor is anyone once
    the object is gone. Returns the notifications written now (none for people already told).
    """
    from django.apps import apps

    from community.models import User

    kind_ = kinds.get(kind)
    users = list(User.objects.filter(pk__in=recipient_ids, is_active=True))
    if visible is not None:
        perm, label, pk = visible
        obj = apps.get_model(label).objects.filter(pk=pk).first()
        users = [user for user in users if obj is not None and may(user, perm, obj)]
    if event_key and users:
        told = set(Notification.objects.filter(event_key=event_key, recipient__in=users)
                   .values_list("recipient_id", flat=True))
        users = [user for user in users if user.pk not in told]
    if not users:
        return []
    chosen = dict(NotificationPreference.objects.filter(user__in=users, kind=kind)
                  .values_list("user_id", "delivery"))
    with override("nl"):
        fallback_title = kinds.render_title(Notification(kind=kind, params=params))[:200]
    rows = [
        Notification(recipient=user, kind=kind, params=params, title=fallback_title, body=body, url=url,
                     kern_id=kern_id, about=about, event_key=event_key,
                     delivery=chosen.get(user.pk, kind_.default) if user.email_notifications and user.email
                     else Delivery.NEVER)
        for user in users
    ]
    # A parallel delivery of the same event may have written some rows meanwhile: the constraint keeps
    # one per person, and the e-mail is claimed per row (``emailed_at``), so nobody hears twice.
    Notification.objects.bulk_create(rows, ignore_conflicts=bool(event_key))
    created = (list(Notification.objects.filter(event_key=event_key, recipient__in=users)) if event_key
               else rows)
    for recipient_id in sorted({n.recipient_id for n in created}):
        push_unread_count(recipient_id)
    at_once = [n.pk for n in created if n.delivery == Delivery.AT_ONCE]
    if at_once:
        from community.tasks import send_notification_emails

        send_notification_emails.enqueue(notification_ids=at_once)
    return created


def resolve(*, about: str, kinds_: Iterable[str]) -> None:
    """After commit: settle every open notification of ``kinds_`` about ``about`` (someone decided).

    A settled notification no longer counts as unread, leaves "wat op u wacht" and is left out of
    digests, for every recipient at once: the council member who did not decide sees it go too.
    """
    kind_keys = list(kinds_)

    def settle():
        open_ = Notification.objects.filter(about=about, kind__in=kind_keys, resolved_at__isnull=True)
        recipient_ids = sorted(set(open_.values_list("recipient_id", flat=True)))
        if not recipient_ids:
            return
        open_.update(resolved_at=timezone.now())
        for recipient_id in recipient_ids:
            push_unread_count(recipient_id)

    transaction.on_commit(settle, robust=True)


def unread_count(user) -> int:
    """The person's unread count: from the cache, else counted and kept.

    ``cache.add`` never overwrites: a count taken before a change cannot replace the newer count that
    ``push_unread_count`` wrote meanwhile.
    """
    if not getattr(user, "is_authenticated", False):
        return 0
    key = _unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user).unread().count()
        cache.add(key, count, UNREAD_CACHE_SECONDS)
    return count


def forget_unread_count(user_id: int) -> None:
    """Drop the kept count (the person's notifications were erased, or written outside these services)."""
    cache.delete(_unread_cache_key(user_id))


def push_unread_count(user_id: int) -> None:
    """Publish the person's current unread count to their live stream (a persisted, numbered event).

    The count is taken under the stream's lock, so of two counts the one with the higher sequence
    number was counted later: a client that keeps the newest event always shows the true number.
    """
    from live.models import LiveEvent, StreamCounter
    from live.services import publish

    stream = unread_stream(user_id)
    with transaction.atomic():
        StreamCounter.objects.get_or_create(stream=stream)
        StreamCounter.objects.select_for_update().filter(stream=stream).exists()
        count = Notification.objects.filter(recipient_id=user_id).unread().count()
        # Written under the lock, so the kept count is the one counted last, as on the stream.
        cache.set(_unread_cache_key(user_id), count, UNREAD_CACHE_SECONDS)
        event = publish(stream=stream, type=UNREAD_EVENT, data={"unread": count})
        # Only the newest count means anything: a reconnecting badge needs that one event, not the history.
        LiveEvent.objects.filter(stream=stream, seq__lt=event.seq).delete()


def mark_read(*, user, up_to_id: int | None = None, notification_id: int | None = None) -> int:
    """Mark ``user``'s notifications read: one (``notification_id``) or all up to and including
    ``up_to_id`` (the newest one they were shown; what arrived later stays unread). Returns how many."""
    mine = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        mine = mine.filter(pk=notification_id)
    elif up_to_id is not None:
        mine = mine.filter(pk__lte=up_to_id)
    else:
        return 0
    marked = mine.update(read_at=timezone.now())
    if marked:
        transaction.on_commit(lambda: push_unread_count(user.pk), robust=True)
    return marked


def effective_deliveries(user) -> dict[str, str]:
    """Per registered kind: how ``user`` hears of it by e-mail now (their choice, else the kind's default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.key: chosen.get(kind.key, kind.default) for kind in kinds.all_kinds()}


def set_deliveries(*, user, deliveries: dict[str, str]) -> None:
    """Store ``user``'s choices (kind → delivery). Notifications still waiting for a digest follow the new
    choice: "never" drops them from the e-mail, a switch between daily and weekly moves them along."""
    known = {kind.key for kind in kinds.all_kinds()}
    valid = set(Delivery.values)
    with transaction.atomic():
        for key, delivery in deliveries.items():
            if key not in known or delivery not in valid:
                raise ValueError(f"Unknown kind or delivery: {key!r} {delivery!r}")
            NotificationPreference.objects.update_or_create(user=user, kind=key, defaults={"delivery": delivery})
            Notification.objects.filter(recipient=user, kind=key, emailed_at__isnull=True) \
                .exclude(delivery=Delivery.AT_ONCE).update(delivery=delivery)


def unsubscribe(*, user, kind: str | None) -> None:
    """The one-click unsubscribe: no more e-mail of ``kind``, or of anything when ``kind`` is None."""
    if kind is None:
        with transaction.atomic():
            type(user).objects.filter(pk=user.pk).update(email_notifications=False)
            Notification.objects.filter(recipient=user, emailed_at__isnull=True).update(delivery=Delivery.NEVER)
        user.email_notifications = False
        return
    set_deliveries(user=user, deliveries={kind: Delivery.NEVER})
