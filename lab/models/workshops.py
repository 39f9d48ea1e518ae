"""Co-design workshops: a journey map (klantreis) built together, live, stage by stage.

A workshop has stages (columns) and lanes (rows); a card sits in one stage × lane cell. Participants join with
a short code, as themselves (signed in) or with a display name and a device token (kept only as its hash).
In the silent brainstorm a card is the author's own until the facilitator reveals the cards; dots are counted
per participant and shown to nobody before the facilitator shows the result (decision 28).

Anonymous participation: the participant row has no user and no name beyond "Deelnemer"; its cards and dots
point to that row only, so nothing links them to a person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lab.models.photos import WithPhoto

CARD_TEXT_MAX = 500
NAME_MAX = 60
FEELING_MIN, FEELING_MAX = -2, 2


class WorkshopState(models.TextChoices):
    PLANNED = "planned", _("gepland")
    OPEN = "open", _("bezig")
    ENDED = "ended", _("afgelopen")


class Phase(models.TextChoices):
    BRAINSTORM = "brainstorm", _("stil bedenken")
    SHARE = "share", _("delen")
    VOTE = "vote", _("stippen zetten")
    DISCUSS = "discuss", _("bespreken")


class LaneKind(models.TextChoices):
    DOES = "does", _("Wat doet de persoon?")
    TOUCHPOINTS = "touchpoints", _("Contactmomenten en kanalen")
    THINKS = "thinks", _("Wat denkt de persoon?")
    FEELS = "feels", _("Wat voelt de persoon?")
    PAIN = "pain", _("Knelpunten")
    IDEAS = "ideas", _("Ideeën en kansen")
    OTHER = "other", _("Anders")


# Lanes whose cards can get dots.
VOTABLE_LANES = (LaneKind.PAIN, LaneKind.IDEAS)


class FeelingKind(models.TextChoices):
    CURRENT = "current", _("zoals het nu is")
    DESIRED = "desired", _("zoals het zou moeten")


class ResultsVisibility(models.TextChoices):
    PARTICIPANTS = "participants", _("alleen deelnemers")
    PUBLIC = "public", _("iedereen")


class Workshop(models.Model):
    title = models.CharField(_("titel"), max_length=150)
    service = models.CharField(_("over welke dienst of vraag"), max_length=300)
    customer_group = models.CharField(_("klantgroep"), max_length=200, blank=True)
    description = models.TextField(_("toelichting"), blank=True)
    kern = models.ForeignKey("community.Kern", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="workshops", help_text=_("Leeg: de hele gemeente."))
    starts_at = models.DateTimeField(_("begint"))
    ends_at = models.DateTimeField(_("eindigt"))
    place = models.CharField(_("plaats"), max_length=200, blank=True)
    online_url = models.URLField(_("online via"), blank=True)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="facilitated_workshops",
                                          verbose_name=_("begeleiders"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The six digits people type to join (a phone's number pad); see lab/workshops/codes.py.
    join_code = models.CharField(max_length=6, unique=True)
    state = models.CharField(max_length=10, choices=WorkshopState.choices, default=WorkshopState.PLANNED)
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.BRAINSTORM)
    revealed = models.BooleanField(default=False, help_text=_("De kaartjes van het stille bedenken zijn gedeeld."))
    board_locked = models.BooleanField(default=False)
    dots_per_participant = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1),
                                                                                   MaxValueValidator(20)])
    votes_shown = models.BooleanField(default=False)
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    spotlight = models.ForeignKey("Card", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    focus_stage = models.ForeignKey("Stage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    summary = models.TextField(_("samenvatting van de begeleider"), blank=True)
    results_visibility = models.CharField(max_length=12, choices=ResultsVisibility.choices,
                                          default=ResultsVisibility.PARTICIPANTS)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("werksessie")
        verbose_name_plural = _("werksessies")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="workshop_ends_after_start"),
            models.CheckConstraint(condition=Q(state__in=WorkshopState.values), name="workshop_state_valid"),
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="workshop_phase_valid"),
        ]

    def __str__(self):
        return self.title


class Persona(WithPhoto):
    """Who the journey is about; a photo or a drawing helps the group picture them (``WithPhoto``)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="personas")
    name = models.CharField(_("naam"), max_length=NAME_MAX)
    situation = models.TextField(_("situatie"), max_length=1000)
    needs = models.TextField(_("wat heeft deze persoon nodig"), max_length=1000, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class Stage(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="stages")
    title = models.CharField(_("fase"), max_length=80)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class Lane(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="lanes")
    kind = models.CharField(max_length=12, choices=LaneKind.choices)
    title = models.CharField(_("rij"), max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    locked = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    @property
    def votable(self) -> bool:
        return self.kind in VOTABLE_LANES


class Participant(models.Model):
    """Someone taking part: a signed-in resident, or a display name on a device (token kept as a hash)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    display_name = models.CharField(max_length=NAME_MAX, blank=True)
    anonymous = models.BooleanField(default=False)
    # One token per device (its cookie), a seat per workshop: the same phone finds its seat in every workshop.
    device_token_hash = models.CharField(max_length=64, null=True, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)
    # "Hoe was deze bijeenkomst?" for a seat without an account: one invitation, its link renewed on each visit.
    feedback_invitation = models.OneToOneField("lab.FeedbackInvitation", null=True, blank=True,
                                               on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "user"], condition=Q(user__isnull=False),
                                    name="workshop_one_participant_per_person"),
            models.UniqueConstraint(fields=["workshop", "device_token_hash"],
                                    condition=Q(device_token_hash__isnull=False),
                                    name="workshop_one_participant_per_device"),
            models.CheckConstraint(condition=Q(user__isnull=False) | Q(device_token_hash__isnull=False),
                                   name="participant_is_someone"),
            models.CheckConstraint(condition=Q(anonymous=False) | Q(user__isnull=True),
                                   name="anonymous_participant_has_no_user"),
        ]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        if self.anonymous:
            return str(_("Deelnemer"))
        return self.display_name or (self.user.first_name if self.user_id else "")


class Card(WithPhoto):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="cards")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="cards")
    lane = models.ForeignKey(Lane, on_delete=models.CASCADE, related_name="cards")
    author = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="cards")
    # Made on the phone: a retry finds this card instead of making a second one.
    client_id = models.UUIDField(default=uuid.uuid4, editable=False)
    text = models.TextField(max_length=CARD_TEXT_MAX)
    # Written in the silent brainstorm: the author's (and the facilitators') until the reveal.
    private = models.BooleanField(default=False)
    group_label = models.CharField(max_length=80, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "client_id"], name="card_one_client_id"),
        ]
        indexes = [models.Index(fields=["workshop", "stage", "lane"], name="card_cell")]

    def __str__(self):
        return self.text[:60]


class Feeling(models.Model):
    """How a participant feels at a stage (−2 … +2), now or as it should be: the curve is their average."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="feelings")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="feelings")
    kind = models.CharField(max_length=8, choices=FeelingKind.choices, default=FeelingKind.CURRENT)
    score = models.SmallIntegerField(validators=[MinValueValidator(FEELING_MIN), MaxValueValidator(FEELING_MAX)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "stage", "kind"], name="one_feeling_per_stage"),
            models.CheckConstraint(condition=Q(score__gte=FEELING_MIN, score__lte=FEELING_MAX),
                                   name="feeling_in_range"),
        ]

    def __str__(self):
        return f"{self.stage_id}/{self.kind}: {self.score}"


class Dot(models.Model):
    """One dot of a participant on a card; at most ``dots_per_participant`` each (checked under a lock)."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="dots")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="dots")
    client_id = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "client_id"], name="dot_one_client_id"),
        ]

    def __str__(self):
        return f"dot on {self.card_id}"


class JourneyTemplate(models.Model):
    """A journey to start from: stages, lanes, personas and cards as the JSON of an export (lab/journey_json.py)."""

    title = models.CharField(_("titel"), max_length=150)
    service = models.CharField(_("over welke dienst of vraag"), max_length=300, blank=True)
    data = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title


class FollowUpKind(models.TextChoices):
    INITIATIVE = "initiative", _("wordt een initiatief")
    ACTION = "action", _("wordt een actie van de gemeente")


class FollowUpStatus(models.TextChoices):
    PLANNED = "planned", _("gepland")
    IN_PROGRESS = "in_progress", _("mee bezig")
    DONE = "done", _("gedaan")
    DROPPED = "dropped", _("gaat niet door")


class IdeaFollowUp(models.Model):
    """What happens with an idea (or a pain point) after the workshop: a draft initiative, or an action for staff
    with an owner. The participants are told, and told again when its status changes."""

    card = models.OneToOneField(Card, on_delete=models.CASCADE, related_name="follow_up")
    kind = models.CharField(max_length=12, choices=FollowUpKind.choices)
    initiative = models.ForeignKey("initiatives.Initiative", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("eigenaar"))
    title = models.CharField(_("wat er gebeurt"), max_length=200)
    status = models.CharField(max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.PLANNED)
    note = models.TextField(_("toelichting"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FollowUpKind.values), name="follow_up_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=FollowUpStatus.values), name="follow_up_status_valid"),
        ]

    def __str__(self):
        return self.title
