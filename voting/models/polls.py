"""Polls: one question on a kern page, an initiative or a content page; single or multiple choice, or a scale."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QUESTION_MAX = 200
OPTION_MAX = 120
MAX_OPTIONS = 12
SCALE_MIN, SCALE_MAX = 2, 10


class PollKind(models.TextChoices):
    SINGLE = "single", _("één keuze")
    MULTIPLE = "multiple", _("meer keuzes")
    SCALE = "scale", _("een schaal")


class PollQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Polls ``user`` may see (``voting.view_poll``): any poll, except one on an initiative they may not see.
        One condition, no per-item checks."""
        from initiatives.models import Initiative

        return self.filter(models.Q(initiative__isnull=True)
                           | models.Q(initiative__in=Initiative.objects.visible_to(user).values("pk")))


class Poll(models.Model):
    box = models.OneToOneField("voting.BallotBox", on_delete=models.CASCADE, related_name="poll")
    question = models.CharField(_("vraag"), max_length=QUESTION_MAX)
    intro = models.TextField(_("uitleg"), blank=True, max_length=2000)
    kind = models.CharField(_("soort vraag"), max_length=8, choices=PollKind.choices, default=PollKind.SINGLE)
    max_choices = models.PositiveSmallIntegerField(_("hoogstens zoveel keuzes"), default=1,
                                                   validators=[MinValueValidator(1)])
    scale_size = models.PositiveSmallIntegerField(_("aantal punten op de schaal"), default=5,
                                                  validators=[MinValueValidator(SCALE_MIN),
                                                              MaxValueValidator(SCALE_MAX)])
    scale_low = models.CharField(_("betekenis van de laagste waarde"), max_length=60, blank=True)
    scale_high = models.CharField(_("betekenis van de hoogste waarde"), max_length=60, blank=True)
    initiative = models.ForeignKey("initiatives.Initiative", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="polls")
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PollQuerySet.as_manager()

    class Meta:
        verbose_name = _("peiling")
        verbose_name_plural = _("peilingen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("voting:poll", args=[self.pk])


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("keuze"), max_length=OPTION_MAX)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label
