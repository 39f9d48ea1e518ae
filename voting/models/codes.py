"""Voting codes by letter: a personal voting pass for residents who vote without an account.

A code is random (130 bits), printed in groups without look-alike characters, and stored only as a hash.
Who it was sent to is kept (name and address from the uploaded list) so it can be revoked and sent again;
every issue, revocation and re-issue is logged. Using a code writes a ``Turnout`` row, never a link
to the ballot.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VotingCode(models.Model):
    box = models.ForeignKey("voting.BallotBox", on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    addressee = models.CharField(_("naam"), max_length=200)
    street = models.CharField(_("straat en huisnummer"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=7)
    town = models.CharField(_("woonplaats"), max_length=80)
    issued_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced_by", editable=False)

    class Meta:
        verbose_name = _("stemcode")
        verbose_name_plural = _("stemcodes")

    def __str__(self) -> str:
        return f"{self.addressee}, {self.postcode}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class CodeEvent(models.Model):
    """The log of what staff did with codes: issued (in a batch), revoked, re-issued."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("uitgegeven")
        REVOKED = "revoked", _("ingetrokken")
        REISSUED = "reissued", _("opnieuw uitgegeven")
        PRINTED = "printed", _("brieven gemaakt")

    box = models.ForeignKey("voting.BallotBox", on_delete=models.CASCADE, related_name="code_events")
    code = models.ForeignKey(VotingCode, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    count = models.PositiveIntegerField(default=1)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reden"), max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.count})"


class PaperSheet(models.Model):
    """A paper ballot from the village hall's box, entered twice by two different staff members.

    The sheet carries no voter: the resident handed in their letter or was looked up at the counter
    (a ``Turnout`` row, channel paper), then put the paper ballot in the box. When the second entry
    equals the first, the ballot is counted; when not, the sheet is flagged until a third person settles it.
    """

    class State(models.TextChoices):
        WAITING = "waiting", _("wacht op tweede invoer")
        MISMATCH = "mismatch", _("verschil: opnieuw bekijken")
        COUNTED = "counted", _("geteld")
        SPOILED = "spoiled", _("ongeldig")

    box = models.ForeignKey("voting.BallotBox", on_delete=models.CASCADE, related_name="paper_sheets")
    number = models.PositiveIntegerField(_("nummer op het stembiljet"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    first_choices = models.JSONField(default=dict)
    first_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    second_choices = models.JSONField(null=True, blank=True)
    second_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("papieren stembiljet")
        verbose_name_plural = _("papieren stembiljetten")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["box", "number"], name="one_paper_sheet_per_number")]

    def __str__(self) -> str:
        return f"{self.box_id}: {self.number}"
