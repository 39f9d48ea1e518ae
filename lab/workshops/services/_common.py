"""Helpers shared by the workshop services: refusals, locks, asking the rule, the live stream."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.permissions import require
from core.text import plain as core_plain
from lab.models import Card, Participant, Workshop
from live.services import publish


class WorkshopError(ValidationError):
    """Every refusal of the workshop services (a ``ValidationError``: forms show it as is). Changes nothing."""


def stream_of(workshop: Workshop | int) -> str:
    """The board's one stream: everything on it is fit for every participant (decision 28)."""
    return f"workshop.{workshop if isinstance(workshop, int) else workshop.pk}"


def announce(workshop: Workshop | int, type: str, data: dict, *, subject: str = "",  # noqa: A002
             client_key: str = "") -> None:
    """Publish to the board after commit, with a sequence number (``live.publish``)."""
    publish(stream=stream_of(workshop), type=type, data=data, subject=subject, client_key=client_key)


def lock_workshop(workshop: Workshop | int) -> Workshop:
    """The workshop's row, locked until the surrounding transaction ends (call inside ``atomic``)."""
    pk = workshop if isinstance(workshop, int) else workshop.pk
    return Workshop.objects.select_for_update(of=("self",)).get(pk=pk)


def lock_participant(participant: Participant) -> Participant:
    return Participant.objects.select_for_update(of=("self",)).get(pk=participant.pk)


def lock_card(card: Card | int) -> Card:
    pk = card if isinstance(card, int) else card.pk
    return Card.objects.select_for_update(of=("self",)).select_related("workshop", "lane", "stage").get(pk=pk)


def require_perm(actor, perm: str, obj, message: str | None = None) -> None:
    """Ask the rule itself (superusers pass only where a rule says so)."""
    require(actor, perm, obj, message or _("Dat kan nu niet in deze werksessie."))


def plain(value, *, field: str, max_length: int, required: bool = False) -> str:
    return core_plain(value, field=field, max_length=max_length, required=required, error=WorkshopError)
