"""What walkers saw, its photos, and the audit trail of its triage."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.files import new_file_key


class ObservationTheme(models.TextChoices):
    PAVING = "paving", _("bestrating")
    GREEN = "green", _("groen")
    LIGHTING = "lighting", _("verlichting")
    LITTER = "litter", _("zwerfafval")
    PLAY = "play", _("speelplekken")
    TRAFFIC = "traffic", _("verkeersveiligheid")
    ACCESSIBILITY = "accessibility", _("toegankelijkheid voor rolstoel en kinderwagen")
    OTHER = "other", _("overig")


class ObservationKind(models.TextChoices):
    PROBLEM = "problem", _("er is iets mis")
    GOOD = "good", _("dit is goed")


class CrowScore(models.TextChoices):
    """CROW beeldkwaliteit: A+ (very good) to D (very poor)."""

    A_PLUS = "A+", _("A+ (zeer goed)")
    A = "A", _("A (goed)")
    B = "B", _("B (voldoende)")
    C = "C", _("C (matig)")
    D = "D", _("D (slecht)")


# From best to worst: a score meets a target when it is at least as good.
CROW_ORDER = ["A+", "A", "B", "C", "D"]


class ObservationState(models.TextChoices):
    NEW = "new", _("nog niet bekeken")
    MERGED = "merged", _("samengevoegd")
    REPORTED = "reported", _("gemeld bij de gemeente")
    INITIATIVE = "initiative", _("wordt een initiatief")
    NO_ACTION = "no_action", _("geen actie")
    PRAISE = "praise", _("compliment")


TRIAGED_STATES = frozenset({ObservationState.REPORTED, ObservationState.INITIATIVE, ObservationState.NO_ACTION,
                            ObservationState.PRAISE})


class Observation(models.Model):
    """One thing a walker saw. Placed by a point, an address or a description (at least one of them)."""

    walk = models.ForeignKey("maps.Walk", on_delete=models.CASCADE, related_name="observations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="observations")
    # Made on the phone: sending the same observation again (offline sync, a retry) finds this one.
    client_id = models.UUIDField(editable=False)
    theme = models.CharField(_("thema"), max_length=20, choices=ObservationTheme.choices)
    kind = models.CharField(_("soort"), max_length=10, choices=ObservationKind.choices,
                            default=ObservationKind.PROBLEM)
    description = models.TextField(_("wat ziet u"))
    crow_score = models.CharField(_("beeldkwaliteit"), max_length=2, choices=CrowScore.choices, blank=True)
    latitude = models.DecimalField(_("breedtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("lengtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("adres"), max_length=200, blank=True)
    place_description = models.CharField(_("plek in woorden"), max_length=300, blank=True)
    observed_at = models.DateTimeField(_("gezien op"))
    state = models.CharField(_("status"), max_length=12, choices=ObservationState.choices,
                             default=ObservationState.NEW, db_index=True)
    decision_reason = models.TextField(_("toelichting"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    initiative = models.ForeignKey("initiatives.Initiative", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["observed_at", "pk"]
        verbose_name = _("waarneming")
        verbose_name_plural = _("waarnemingen")
        indexes = [
            # In this order the overview GeoJSON pages through a bounding box without sorting it (decision 27).
            models.Index(fields=["latitude", "longitude", "id"], name="observation_position"),
            models.Index(fields=["walk", "state"], name="observation_walk_state"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_id"], name="unique_observation_client_id"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="observation_location_both_or_none",
            ),
            models.CheckConstraint(condition=Q(latitude__isnull=False) | ~Q(address="")
                                   | ~Q(place_description=""), name="observation_has_a_place"),
            models.CheckConstraint(condition=Q(state__in=[s.value for s in ObservationState]),
                                   name="observation_state_valid"),
        ]

    def __str__(self):
        return f"{self.get_theme_display()}: {self.description[:40]}"

    def get_absolute_url(self):
        return reverse("maps:observation", kwargs={"pk": self.pk})

    @property
    def subject(self) -> str:
        return f"observation:{self.pk}"

    @property
    def is_triaged(self) -> bool:
        return self.state in TRIAGED_STATES

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def place_text(self) -> str:
        return ", ".join(part for part in (self.address, self.place_description) if part)


def observation_photo_upload_to(photo, filename):
    return f"walks/{photo.file_key}/{filename}"


class ObservationPhoto(models.Model):
    """A cleaned photo of an observation (``initiatives.images``), served by the observation's rule."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="photos")
    client_id = models.UUIDField(editable=False)
    file_key = models.CharField(max_length=64, unique=True, default=new_file_key, editable=False)
    image = models.ImageField(upload_to=observation_photo_upload_to, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    renditions = models.JSONField(default=list, blank=True)
    alt_text = models.CharField(_("beschrijving van de foto"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["observation", "client_id"],
                                               name="unique_observation_photo_client_id")]
        verbose_name = _("foto van een waarneming")
        verbose_name_plural = _("foto's van waarnemingen")

    def __str__(self):
        return self.alt_text or self.file_key


class TriageEntry(models.Model):
    """One line of the triage audit trail: who decided or changed what about an observation, and why."""

    class Action(models.TextChoices):
        DECIDE = "decide", _("besluit")
        MERGE = "merge", _("samengevoegd")
        CORRECT = "correct", _("gecorrigeerd")
        REPORT_STATUS = "report_status", _("status melding")

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="triage_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_state = models.CharField(max_length=12, choices=ObservationState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=ObservationState.choices, blank=True)
    reason = models.TextField(_("toelichting"), blank=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("besluit over een waarneming")
        verbose_name_plural = _("besluiten over waarnemingen")

    def __str__(self):
        return f"{self.observation_id}: {self.action} {self.to_state}"
