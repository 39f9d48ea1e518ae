"""The outbox of reports to the municipality's public-space system (Signalen or an Open311 server).

One row per reported observation. The row is committed *before* anything is sent, and the melding's
id is saved the moment it comes back; what happens when a worker dies between the two is described
in ``maps.handoff`` and docs/decisions/0025-the-hand-off-never-sends-twice.md.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MunicipalReport(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("wacht op verzenden")
        SENDING = "sending", _("wordt verzonden")
        SENT = "sent", _("verzonden")
        UNCERTAIN = "uncertain", _("onzeker: controleren")
        FAILED = "failed", _("mislukt")

    observation = models.OneToOneField("maps.Observation", on_delete=models.CASCADE, related_name="report")
    adapter = models.CharField(max_length=20)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING, db_index=True)
    # Sent along with the melding, so that the melding can be found again by it.
    reference = models.CharField(max_length=64, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(_("meldingnummer"), max_length=64, blank=True)
    external_status = models.CharField(_("status melding"), max_length=64, blank=True)
    external_status_text = models.CharField(max_length=300, blank=True)
    status_checked_at = models.DateTimeField(null=True, blank=True)
    photos_sent = models.JSONField(default=list, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("melding aan de gemeente")
        verbose_name_plural = _("meldingen aan de gemeente")
        constraints = [
            models.CheckConstraint(condition=~Q(state="sent") | ~Q(external_id=""), name="report_sent_has_id"),
        ]

    def __str__(self):
        return f"{self.reference} → {self.external_id or self.state}"

    @property
    def number(self) -> str:
        """The melding's number as the municipality shows it ("SIG-123"): see ``number_of``."""
        return number_of(self.external_id)


# ``external_id`` holds the number and the key: "SIG-123|<uuid>" for Signalen (people say the number, its public
# API wants the UUID), just the id where the two are the same (Open311), "token:…" while an Open311 server has
# not handed out its number yet.
NUMBER_SEPARATOR = "|"
TOKEN_PREFIX = "token:"  # noqa: S105 (an Open311 request token, not a secret)


def number_of(external_id: str) -> str:
    if not external_id or external_id.startswith(TOKEN_PREFIX):
        return ""
    number, separator, _key = external_id.partition(NUMBER_SEPARATOR)
    return number if separator else external_id
