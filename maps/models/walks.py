"""A walk through a kern (wijkschouw) and who signed up for it. Change them only through ``maps.services``."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# After a walk is finished, phones that were offline may still send what they recorded on it.
LATE_SYNC_WINDOW = timedelta(hours=48)


class WalkState(models.TextChoices):
    PLANNED = "planned", _("gepland")
    IN_PROGRESS = "in_progress", _("bezig")
    FINISHED = "finished", _("afgerond")
    CANCELLED = "cancelled", _("afgelast")


class WalkQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        now = now or timezone.now()
        return self.filter(state__in=[WalkState.PLANNED, WalkState.IN_PROGRESS], ends_at__gte=now)


class Walk(models.Model):
    """A planned walk along a route through one kern, with the themes the walkers look at."""

    kern = models.ForeignKey("community.Kern", verbose_name=_("kern"), on_delete=models.PROTECT,
                             related_name="walks")
    title = models.CharField(_("titel"), max_length=120)
    description = models.TextField(_("waarom deze wijkschouw"), blank=True)
    starts_at = models.DateTimeField(_("begint om"), db_index=True)
    ends_at = models.DateTimeField(_("eindigt om"))
    meeting_point = models.CharField(_("verzamelplek"), max_length=200)
    meeting_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    meeting_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # GeoJSON LineString coordinates: [[lng, lat], ...] (GeoJSON puts longitude first).
    route = models.JSONField(_("route"), default=list, blank=True)
    route_description = models.TextField(_("de route in woorden"), blank=True)
    themes = models.JSONField(_("waar we op letten"), default=list, blank=True)
    max_participants = models.PositiveIntegerField(_("hoogstens zoveel deelnemers"), null=True, blank=True)
    # The municipality's target image quality (CROW beeldkwaliteit) the scores are measured against.
    target_level = models.CharField(_("streefniveau"), max_length=2, default="B")
    # Observations are public only after triage, unless the walk decides they are public at once.
    observations_public = models.BooleanField(_("waarnemingen meteen openbaar"), default=False)
    organisers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("organisatoren"),
                                        related_name="organised_walks", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    state = models.CharField(_("status"), max_length=12, choices=WalkState.choices, default=WalkState.PLANNED,
                             db_index=True)
    cancel_reason = models.TextField(_("reden van afgelasten"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_for = models.DateTimeField(null=True, blank=True, editable=False,
                                             help_text="The start time the reminder was sent for.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WalkQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("wijkschouw")
        verbose_name_plural = _("wijkschouwen")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="walk_ends_after_start"),
            models.CheckConstraint(condition=Q(state__in=[s.value for s in WalkState]), name="walk_state_valid"),
            models.CheckConstraint(condition=Q(max_participants__isnull=True) | Q(max_participants__gt=0),
                                   name="walk_max_participants_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("maps:walk", kwargs={"pk": self.pk})

    @property
    def stream(self) -> str:
        return f"walk.{self.pk}"

    @property
    def is_capturing(self) -> bool:
        """Whether observations are taken: during the walk, and a while after it for phones that were offline."""
        if self.state == WalkState.IN_PROGRESS:
            return True
        return (self.state == WalkState.FINISHED and self.finished_at is not None
                and timezone.now() - self.finished_at <= LATE_SYNC_WINDOW)

    def organiser_ids(self) -> frozenset[int]:
        cached = getattr(self, "_organiser_ids", None)
        if cached is None:
            cached = frozenset(u.pk for u in self.organisers.all()) if self.pk else frozenset()
            self._organiser_ids = cached
        return cached


class WalkSignup(models.Model):
    walk = models.ForeignKey(Walk, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="walk_signups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["walk", "user"], name="unique_walk_signup")]
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")

    def __str__(self):
        return f"{self.user_id} → {self.walk_id}"
