"""Feelings per stage (the "hartslag" curve) and dot voting.

A feeling is one person's score per stage and kind; the board hears only the stage's average and count.
Dots are hidden from every client until the facilitator shows the result (``workshops.show_votes``): placing
one publishes nothing. A participant's dots are counted under a lock on their own row, so thirty parallel
taps never give more than ``dots_per_participant``; each tap carries a client id, so a retry is one dot.
"""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from lab.models import FEELING_MAX, FEELING_MIN, Card, Dot, Feeling, FeelingKind, Participant, Stage
from lab.workshops.seats import At
from lab.workshops.services._common import (
    WorkshopError,
    announce,
    lock_participant,
    lock_workshop,
    require_perm,
)
from lab.workshops.services.participants import check_participant


def set_feeling(*, actor, participant: Participant, stage: Stage, score: int,
                kind: str = FeelingKind.CURRENT) -> Feeling:
    """Place (or change) how ``participant`` feels at ``stage``: −2 … +2."""
    if isinstance(score, bool) or not isinstance(score, int) or not FEELING_MIN <= score <= FEELING_MAX:
        raise WorkshopError(_("Kies een gevoel van −2 tot +2."), code="invalid")
    if kind not in FeelingKind.values:
        raise WorkshopError(_("Dat soort gevoel bestaat niet."), code="invalid")
    check_participant(participant, stage.workshop)
    with transaction.atomic():
        workshop = lock_workshop(stage.workshop_id)  # one curve event after another, each with the true average
        stage.workshop = workshop
        require_perm(actor, "lab.set_feeling", At(participant, stage))
        feeling, _created = Feeling.objects.update_or_create(participant=participant, stage=stage, kind=kind,
                                                             defaults={"score": score})
        found = Feeling.objects.filter(stage=stage, kind=kind).aggregate(average=Avg("score"), count=Count("pk"))
        announce(workshop, "curve.changed", {"stage": stage.pk, "kind": kind,
                                             "average": round(float(found["average"]), 2),
                                             "count": found["count"]}, subject=f"curve:{stage.pk}:{kind}")
    return feeling


def _dot_client_id(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise WorkshopError(_("De stip heeft geen geldige code van uw apparaat."), code="client_id") from None


def dots_left(participant: Participant) -> int:
    return max(participant.workshop.dots_per_participant - participant.dots.count(), 0)


def place_dot(*, actor, participant: Participant, card: Card, client_id) -> tuple[Dot, bool]:
    """One of ``participant``'s dots on ``card`` (True), or the dot this client id placed before (False)."""
    client_id = _dot_client_id(client_id)
    if participant is None:  # no seat, no dots: the rule says no, with the reason
        require_perm(actor, "lab.place_dot", At(None, card), _("Doe eerst mee om stippen te zetten."))
    check_participant(participant, card.workshop)
    found = Dot.objects.filter(participant=participant, client_id=client_id).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            seat = lock_participant(participant)
            card = Card.objects.select_related("workshop", "lane").get(pk=card.pk)
            require_perm(actor, "lab.place_dot", At(seat, card), _("Stippen zetten kan nu niet op dit kaartje."))
            if Dot.objects.filter(participant=seat).count() >= card.workshop.dots_per_participant:
                raise WorkshopError(_("U heeft al uw stippen gezet. Haal er een weg om opnieuw te kiezen."),
                                    code="no_dots_left")
            dot = Dot.objects.create(card=card, participant=seat, client_id=client_id)
    except IntegrityError:  # the same tap twice at the same moment: one dot
        return Dot.objects.get(participant=participant, client_id=client_id), False
    return dot, True


def remove_dot(*, actor, participant: Participant, dot: Dot) -> None:
    if participant is None or dot.participant_id != participant.pk:
        raise WorkshopError(_("Dat is niet uw stip."), code="not_yours")
    with transaction.atomic():
        seat = lock_participant(participant)
        card = Card.objects.select_related("workshop", "lane").get(pk=dot.card_id)
        require_perm(actor, "lab.place_dot", At(seat, card), _("Stippen weghalen kan nu niet."))
        Dot.objects.filter(pk=dot.pk, participant=seat).delete()
