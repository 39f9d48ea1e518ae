"""The initiative itself, its photos and its audit trail."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.files import new_file_key


class Status(models.TextChoices):
    DRAFT = "draft", _("concept")
    SUBMITTED = "submitted", _("ingediend")
    CHANGES_REQUESTED = "changes_requested", _("aanpassing gevraagd")
    DECLINED = "declined", _("afgewezen")
    PUBLISHED = "published", _("gepubliceerd")
    FUNDING = "funding", _("geld inzamelen")
    FUNDED = "funded", _("doel gehaald")
    NOT_FUNDED = "not_funded", _("doel niet gehaald")
    REALISED = "realised", _("gerealiseerd")
    ARCHIVED = "archived", _("gearchiveerd")


# Everyone may see these; the other states only the initiators, the kern's council and staff.
PUBLIC_STATUSES = frozenset({
    Status.PUBLISHED, Status.FUNDING, Status.FUNDED, Status.NOT_FUNDED, Status.REALISED, Status.ARCHIVED,
})
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})


class Theme(models.TextChoices):
    GREEN = "groen", _("groen en natuur")
    PLAY = "spelen", _("spelen en sport")
    MEETING = "ontmoeting", _("ontmoeting")
    TRAFFIC = "verkeer", _("verkeer en veiligheid")
    CULTURE = "cultuur", _("cultuur en erfgoed")
    CARE = "zorg", _("zorg en welzijn")
    SUSTAINABLE = "duurzaam", _("duurzaamheid")
    OTHER = "overig", _("overig")


class InitiativeQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_STATUSES)

    def visible_to(self, user):
        """What ``user`` may see: public states for everyone, the rest for initiators, the kern's council, staff.

        One query, no per-item checks; every list, API, search and map goes through this.
        """
        from community.rules import council_kern_ids, is_staff

        if is_staff(user):
            return self
        condition = Q(status__in=PUBLIC_STATUSES)
        if user is not None and user.is_authenticated and user.is_active:
            condition |= Q(initiator=user) | Q(pk__in=Initiative.co_initiators.through.objects.filter(
                user_id=user.pk).values("initiative_id"))
            kern_ids = council_kern_ids(user)
            if kern_ids:
                condition |= Q(kern_id__in=kern_ids)
        return self.filter(condition)

    def initiated_by(self, user):
        return self.filter(Q(initiator=user) | Q(co_initiators=user)).distinct()


class Initiative(models.Model):
    """A resident's plan for their kern. Change it only through ``initiatives.services``."""

    title = models.CharField(_("titel"), max_length=120)
    summary = models.CharField(_("korte samenvatting"), max_length=300, blank=True)
    story = models.TextField(_("verhaal"), blank=True, help_text=_("Opgeschoonde HTML."))
    kern = models.ForeignKey("community.Kern", verbose_name=_("kern"), on_delete=models.PROTECT,
                             related_name="initiatives")
    theme = models.CharField(_("thema"), max_length=20, choices=Theme.choices, default=Theme.OTHER)
    latitude = models.DecimalField(_("breedtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("lengtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_label = models.CharField(_("plek"), max_length=200, blank=True)
    goal = models.DecimalField(_("doelbedrag (euro)"), max_digits=10, decimal_places=2, null=True, blank=True)
    needs_volunteers = models.PositiveIntegerField(_("vrijwilligers nodig"), default=0)
    needs_materials = models.TextField(_("materialen nodig"), blank=True)
    deadline = models.DateField(_("einddatum inzamelen"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    reconsideration_requested = models.BooleanField(_("heroverweging gevraagd"), default=False)
    last_decision_reason = models.TextField(_("toelichting dorpsraad"), blank=True)
    result_text = models.TextField(_("resultaat"), blank=True, help_text=_("Opgeschoonde HTML."))
    initiator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("initiatiefnemer"),
                                  on_delete=models.PROTECT, related_name="initiatives")
    co_initiators = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("mede-initiatiefnemers"),
                                           blank=True, related_name="co_initiatives")
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("inzameling afgesloten op"), null=True, blank=True)
    # The start form's one-time key: sending the same form again finds this draft instead of making a second.
    client_key = models.CharField(max_length=80, blank=True, default="", editable=False)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("initiatief")
        verbose_name_plural = _("initiatieven")
        indexes = [
            models.Index(fields=["status", "kern"], name="initiative_status_kern"),
            models.Index(fields=["status", "deadline"], name="initiative_status_deadline"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(goal__isnull=True) | Q(goal__gt=0), name="initiative_goal_positive"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="initiative_location_both_or_none",
            ),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in Status]), name="initiative_status_valid"),
            models.UniqueConstraint(fields=["initiator", "client_key"], condition=~Q(client_key=""),
                                    name="unique_initiative_client_key"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("initiatives:detail", kwargs={"pk": self.pk})

    @property
    def asks_money(self) -> bool:
        return self.goal is not None and self.goal > Decimal("0")

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def agenda_item(self):
        """Its ``CouncilAgendaItem``, or None (no query when it was read with ``select_related("council_agenda")``)."""
        from django.core.exceptions import ObjectDoesNotExist

        if self.pk is None:
            return None
        try:
            return self.council_agenda
        except ObjectDoesNotExist:
            return None

    def initiator_ids(self) -> frozenset[int]:
        """The initiator and co-initiators; cached on the object (uses the prefetch when there is one)."""
        cached = getattr(self, "_initiator_ids", None)
        if cached is None:
            if self.pk is None:
                cached = frozenset({self.initiator_id})
            else:
                co = [u.pk for u in self.co_initiators.all()]
                cached = frozenset({self.initiator_id, *co})
            self._initiator_ids = cached
        return cached


def photo_upload_to(photo, filename):
    """Every file of a photo lies in its own folder named by its random ``file_key`` (see ``core.files``)."""
    return f"initiatives/{photo.file_key}/{filename}"


class InitiativePhoto(models.Model):
    """A cleaned photo (see ``initiatives.images``): ``image`` is the largest stored rendition.

    ``renditions`` lists every stored size as ``{"width", "height", "name"}`` (storage names), small first.
    Files are stored as ``initiatives/<file_key>/<width>.<ext>``: the random key makes the names
    unguessable, and ``core.views.serve_upload`` serves them only to those who may see the initiative.
    """

    class Kind(models.TextChoices):
        MAIN = "main", _("foto van het plan")
        RESULT = "result", _("foto van het resultaat")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="photos")
    file_key = models.CharField(max_length=64, unique=True, default=new_file_key, editable=False)
    image = models.ImageField(_("foto"), upload_to=photo_upload_to, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    renditions = models.JSONField(default=list, blank=True)
    alt_text = models.CharField(_("beschrijving van de foto"), max_length=250)
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.MAIN)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "order", "pk"]
        verbose_name = _("foto")
        verbose_name_plural = _("foto's")

    def __str__(self):
        return self.alt_text


class InitiativeEvent(models.Model):
    """One line of the audit trail: who moved the initiative from which state to which, when and why."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", help_text=_("Leeg als het systeem het deed (bijv. de einddatum)."))
    action = models.CharField(_("handeling"), max_length=40)
    from_status = models.CharField(_("van"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=20, choices=Status.choices, blank=True)
    reason = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")

    # Changes that move no state (to_status empty) are named here for the audit trail.
    ACTION_LABELS = {
        "create": _("concept gemaakt"),
        "co_initiator_joined": _("mede-initiatiefnemer doet mee"),
        "co_initiator_left": _("mede-initiatiefnemer gestopt"),
        "council_agenda": _("op de agenda van de dorpsraad"),
        "council_meeting": _("datum van de dorpsraad gekozen"),
        "council_outcome": _("besluit van de dorpsraad"),
    }

    def __str__(self):
        return f"{self.initiative_id}: {self.from_status} → {self.to_status}"

    @property
    def label(self) -> str:
        """What happened, in words: the state it moved to, or the name of the action."""
        if self.to_status and self.action != "create":
            return self.get_to_status_display()
        return str(self.ACTION_LABELS.get(self.action, self.action))
