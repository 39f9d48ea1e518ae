"""The village council's agenda: enough supporters put an initiative on it, the council decides on it.

Each kern's council sets how many supporters that takes (``SupportThreshold``). An initiative that reaches it
gets one ``CouncilAgendaItem`` for good: withdrawn support later does not take it off the agenda. Change both
only through ``initiatives.services.agenda``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from initiatives.models.initiative import Status

MIN_THRESHOLD = 1
MAX_THRESHOLD = 100_000
# Where support still counts towards the council's agenda: a plan that is public and not yet done.
AGENDA_STATUSES = frozenset({Status.PUBLISHED, Status.FUNDING, Status.FUNDED})


class SupportThreshold(models.Model):
    """How many supporters put an initiative of ``kern`` on its council's agenda. No row: no such agenda."""

    kern = models.OneToOneField("community.Kern", verbose_name=_("kern"), on_delete=models.CASCADE,
                                related_name="support_threshold")
    supporters = models.PositiveIntegerField(_("aantal steunbetuigingen"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    set_at = models.DateTimeField(_("ingesteld op"))

    class Meta:
        verbose_name = _("drempel voor de dorpsraad")
        verbose_name_plural = _("drempels voor de dorpsraad")
        constraints = [
            models.CheckConstraint(condition=Q(supporters__gte=MIN_THRESHOLD, supporters__lte=MAX_THRESHOLD),
                                   name="support_threshold_in_range"),
        ]

    def __str__(self):
        return f"{self.kern_id}: {self.supporters}"


class AgendaOutcome(models.TextChoices):
    PENDING = "pending", _("nog niet besproken")
    ADOPTED = "adopted", _("aangenomen")
    REJECTED = "rejected", _("afgewezen")
    REFERRED = "referred", _("doorverwezen")


class CouncilAgendaItem(models.Model):
    """An initiative on its kern council's agenda: when it got there, the meeting, and what the council decided."""

    initiative = models.OneToOneField("initiatives.Initiative", verbose_name=_("initiatief"),
                                      on_delete=models.CASCADE, related_name="council_agenda")
    reached_at = models.DateTimeField(_("op de agenda sinds"))
    supporters_at_reach = models.PositiveIntegerField(_("steunbetuigingen toen"))
    meeting_date = models.DateField(_("datum vergadering"), null=True, blank=True)
    outcome = models.CharField(_("besluit"), max_length=10, choices=AgendaOutcome.choices,
                               default=AgendaOutcome.PENDING)
    outcome_text = models.TextField(_("toelichting bij het besluit"), blank=True)
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["reached_at", "pk"]
        verbose_name = _("agendapunt van de dorpsraad")
        verbose_name_plural = _("agendapunten van de dorpsraad")
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=[o.value for o in AgendaOutcome]),
                                   name="agenda_outcome_valid"),
            # A decision has a moment; an open item has none.
            models.CheckConstraint(condition=Q(outcome=AgendaOutcome.PENDING, decided_at__isnull=True)
                                   | (~Q(outcome=AgendaOutcome.PENDING) & Q(decided_at__isnull=False)),
                                   name="agenda_decided_at_with_outcome"),
        ]

    def __str__(self):
        return f"{self.initiative_id}: {self.outcome}"

    @property
    def is_decided(self) -> bool:
        return self.outcome != AgendaOutcome.PENDING
