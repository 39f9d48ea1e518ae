"""The ballot box every vote shares: who may vote, when, the secret ballot and the voter register.

A poll and a village budget each have one box. What was voted (``Ballot``) and who voted (``Turnout``)
are separate tables with no key between them (decision 32):

- a ballot has a random id, the day it was cast (never a finer time) and what it says;
- the register row says who voted (a person or a letter code), by which channel, on which day.

So nobody, staff, council or admin, can read from the database how a person voted. An open vote (a poll
that says so before voting) also writes a ``PublicVote``, the exception that says it out loud.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RECEIPT_HASH_LENGTH = 64


class WhoMayVote(models.TextChoices):
    SIGNED_IN = "signed_in", _("iedereen met een account")
    RESIDENTS = "residents", _("inwoners van de kern")
    VERIFIED = "verified", _("bevestigde inwoners van de kern")
    LETTER = "letter", _("wie een stemcode per brief kreeg")


class ResultsShown(models.TextChoices):
    AFTER_CLOSE = "after_close", _("na het sluiten van de stemming")
    AFTER_OWN_VOTE = "after_own_vote", _("na uw eigen stem")


class Channel(models.TextChoices):
    WEB = "web", _("online")
    CODE = "code", _("online met een stemcode")
    COUNTER = "counter", _("met hulp aan de balie")
    PAPER = "paper", _("op papier")


class BallotBox(models.Model):
    """Where the ballots of one poll or one budget go. Open from ``opens_at`` until ``closes_at``."""

    kern = models.ForeignKey("community.Kern", verbose_name=_("kern"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="ballot_boxes",
                             help_text=_("Leeg: de hele gemeente."))
    opens_at = models.DateTimeField(_("open vanaf"))
    closes_at = models.DateTimeField(_("open tot"))
    who_may_vote = models.CharField(_("wie mag stemmen"), max_length=12, choices=WhoMayVote.choices,
                                    default=WhoMayVote.RESIDENTS)
    secret = models.BooleanField(_("geheime stemming"), default=True)
    results_shown = models.CharField(_("uitslag zichtbaar"), max_length=16, choices=ResultsShown.choices,
                                     default=ResultsShown.AFTER_CLOSE)
    # The published lot for ties, drawn when the result is published (never before: nobody can aim at it).
    seed = models.CharField(_("loting"), max_length=64, blank=True, editable=False)
    result = models.JSONField(_("uitslag"), null=True, blank=True, editable=False)
    result_published_at = models.DateTimeField(_("uitslag gepubliceerd op"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("stembus")
        verbose_name_plural = _("stembussen")
        constraints = [models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")),
                                              name="ballot_box_closes_after_it_opens")]

    def __str__(self) -> str:
        return str(self.subject) if self.subject is not None else f"#{self.pk}"

    @property
    def subject(self):
        """The poll or budget this box belongs to."""
        for name in ("poll", "budget"):
            try:
                return getattr(self, name)
            except models.ObjectDoesNotExist:
                continue
        return None

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.opens_at

    @property
    def uses_letters(self) -> bool:
        return self.who_may_vote == WhoMayVote.LETTER


class Ballot(models.Model):
    """What one voter chose: no voter, no time finer than the day, a random id (no order of casting).

    ``choices`` maps an option or project id (as a string) to its points (1 for a plain choice; the
    scale value for a scale poll). ``receipt_hash`` lets a voter check with their receipt code that their
    ballot is in the count; the code itself is never stored.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.ForeignKey(BallotBox, on_delete=models.CASCADE, related_name="ballots")
    cast_on = models.DateField(_("dag"), default=timezone.localdate)
    choices = models.JSONField(_("keuzes"), default=dict)
    receipt_hash = models.CharField(max_length=RECEIPT_HASH_LENGTH, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("stembiljet")
        verbose_name_plural = _("stembiljetten")
        # No default ordering: nothing here may hint at who came first.

    def __str__(self) -> str:
        return str(_("stembiljet van %(day)s") % {"day": self.cast_on})


class Turnout(models.Model):
    """The voter register: one row per voter per box, whatever the channel (web, code, counter, paper).

    A voter is a person (boxes for account holders) or a letter code (boxes by letter); the unique
    constraints make a second ballot impossible, across channels and across server processes.
    """

    box = models.ForeignKey(BallotBox, on_delete=models.CASCADE, related_name="turnout")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="turnout")
    code = models.OneToOneField("voting.VotingCode", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="turnout")
    channel = models.CharField(_("kanaal"), max_length=8, choices=Channel.choices)
    voted_on = models.DateField(_("dag"), default=timezone.localdate)
    # A retried request from the same phone (the same key) hears "counted", not a refusal. The receipt is
    # not kept here: it would link this row to the ballot (decision 32).
    idempotency_key = models.CharField(max_length=64, blank=True, default="")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", help_text=_("De medewerker aan de balie."))

    class Meta:
        verbose_name = _("opkomst")
        verbose_name_plural = _("opkomst")
        constraints = [
            models.UniqueConstraint(fields=["box", "voter"], condition=Q(voter__isnull=False),
                                    name="one_turnout_per_person_per_box"),
            models.CheckConstraint(condition=Q(voter__isnull=False) | Q(code__isnull=False),
                                   name="turnout_has_a_voter"),
        ]

    def __str__(self) -> str:
        return f"{self.box_id}: {self.get_channel_display()} {self.voted_on}"


class PublicVote(models.Model):
    """Only for an open vote (a poll that says so before voting): who chose what, shown to everyone."""

    box = models.ForeignKey(BallotBox, on_delete=models.CASCADE, related_name="public_votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="public_votes")
    choices = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["box", "voter"], name="one_public_vote_per_person")]

    def __str__(self) -> str:
        return f"{self.box_id}: {self.voter_id}"


class BallotDraft(models.Model):
    """A ballot being filled in, kept so it is never lost (and so a knapsack never goes over budget, even
    under parallel clicks: the row is locked while a project is added). Deleted when the ballot is cast.

    ``owner`` is ``user:<id>`` or ``code:<hash>``; this table links a voter to choices only until they cast.
    """

    box = models.ForeignKey(BallotBox, on_delete=models.CASCADE, related_name="drafts")
    owner = models.CharField(max_length=80)
    choices = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["box", "owner"], name="one_draft_per_voter_per_box")]

    def __str__(self) -> str:
        return f"{self.box_id}: {self.owner}"
