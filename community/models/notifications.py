"""Notifications: one in-app message per person per event, and how each person wants to hear of it by e-mail.

What a notification says is rendered when it is shown, in the reader's language, from its ``kind``
(registered by the app that sends it, see ``community.notifications.kinds``) and its ``params``: the
person who acted may speak another language than the person who reads.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """How a person hears of one kind of event by e-mail. The in-app centre always shows it."""

    AT_ONCE = "at_once", _("Direct een e-mail")
    DAILY = "daily", _("Eén e-mail per dag met alles bij elkaar")
    WEEKLY = "weekly", _("Eén e-mail per week met alles bij elkaar")
    NEVER = "never", _("Geen e-mail, alleen hier op de site")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        """What still asks for attention: not read, and not settled by someone else's decision."""
        return self.filter(read_at__isnull=True, resolved_at__isnull=True)


class Notification(models.Model):
    """An in-app message for one person ("uw initiatief is goedgekeurd")."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # Kept for notifications without a kind: then this is the text that is shown.
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    kern = models.ForeignKey("community.Kern", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # What it is about ("initiative:42"): a decision about that object settles the notifications that ask for one.
    about = models.CharField(max_length=60, blank=True)
    # One event, one notification per person: a repeated delivery of the same event finds this key taken.
    event_key = models.CharField(max_length=80, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.NEVER)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["about"]),
            models.Index(fields=["delivery", "emailed_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], condition=~Q(event_key=""),
                                    name="one_notification_per_person_per_event"),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        """The line to show, in the active language."""
        from community.notifications.kinds import render_title

        return render_title(self)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None and self.resolved_at is None


class NotificationPreference(models.Model):
    """A person's choice for one kind of event; without one, the kind's default applies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(max_length=60)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.delivery}"
