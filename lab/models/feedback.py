"""The short feedback after an encounter ("Hoe was het?").

An invitation belongs to a person and says only *that* they were asked and *whether* they answered.
An answer belongs to nobody: it has no key to the invitation or the person, a random id (no order to
match with the invitations) and only the day it was given.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEXT_MAX_LENGTH = 1000


class Experience(models.TextChoices):
    GOOD = "good", _("Goed")
    OKAY = "okay", _("Gaat wel")
    BAD = "bad", _("Niet goed")


class Heard(models.TextChoices):
    YES = "yes", _("Ja")
    SOMEWHAT = "somewhat", _("Een beetje")
    NO = "no", _("Nee")


class Again(models.TextChoices):
    YES = "yes", _("Ja")
    MAYBE = "maybe", _("Misschien")
    NO = "no", _("Nee")


# The three tap questions, in the order they are asked: (field, question, choices). Positive first.
QUESTIONS = (
    ("experience", _("Hoe vond u het?"), Experience),
    ("heard", _("Werd er naar u geluisterd?"), Heard),
    ("again", _("Doet u een volgende keer weer mee?"), Again),
)


class FeedbackInvitation(models.Model):
    """One person asked about one encounter. The link's token is kept only as its SHA-256 hash."""

    subject_kind = models.CharField(max_length=50)
    subject_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject_kind", "subject_id", "user"], condition=Q(user__isnull=False),
                                    name="lab_one_feedback_invitation_per_person"),
        ]
        indexes = [models.Index(fields=["subject_kind", "subject_id"], name="lab_invitation_subject")]

    def __str__(self):
        return f"{self.subject_kind}:{self.subject_id} ({'answered' if self.answered_at else 'open'})"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class FeedbackAnswer(models.Model):
    """What someone said about an encounter, without who said it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject_kind = models.CharField(max_length=50)
    subject_id = models.PositiveBigIntegerField()
    answered_on = models.DateField(default=timezone.localdate)
    experience = models.CharField(max_length=10, choices=Experience.choices)
    heard = models.CharField(max_length=10, choices=Heard.choices)
    again = models.CharField(max_length=10, choices=Again.choices)
    text = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["subject_kind", "subject_id"], name="lab_answer_subject"),
            models.Index(fields=["answered_on"], name="lab_answer_day"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(experience__in=Experience.values), name="lab_answer_experience_valid"),
            models.CheckConstraint(condition=Q(heard__in=Heard.values), name="lab_answer_heard_valid"),
            models.CheckConstraint(condition=Q(again__in=Again.values), name="lab_answer_again_valid"),
        ]

    def __str__(self):
        return f"{self.subject_kind}:{self.subject_id} {self.answered_on}"
