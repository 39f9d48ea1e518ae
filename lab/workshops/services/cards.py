"""Cards (sticky notes) on the board: add, edit, remove; the facilitator moves, merges and groups them.

A card written in the silent brainstorm is private (its author's and the facilitators') until ``reveal``; the
board hears that it exists, in its cell, without text or author. Adding is idempotent by the phone's client id.
The workshop's row is locked for every write, so a card never slips in after the board or its lane was locked.
"""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lab.files import CARD_PREFIX
from lab.models import CARD_TEXT_MAX, Card, Lane, Participant, Phase, Stage, Workshop
from lab.workshops.seats import At
from lab.workshops.services import photos
from lab.workshops.services._common import (
    WorkshopError,
    announce,
    lock_card,
    lock_workshop,
    plain,
    require_perm,
    stream_of,
)
from lab.workshops.services.participants import check_participant
from lab.workshops.services.payloads import card_payload, gone_card_payload
from live.models import LiveEvent
from live.services import rewrite_subject

REFUSED = gettext_lazy("Dat kan nu niet op dit bord.")


def _client_id(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise WorkshopError(_("Het kaartje heeft geen geldige code van uw apparaat."), code="client_id") from None


def add_card(*, actor, participant: Participant | None, stage: Stage, lane: Lane, text: str,
             client_id, image=None, photo_alt: str = "") -> tuple[Card, bool]:
    """A new card in the cell ``stage`` × ``lane`` (and True), or the card this client id made before (False).

    ``image`` (optional) is a ``ProcessedImage``; a retry keeps the photo of the first try.
    """
    client_id = _client_id(client_id)
    workshop = stage.workshop
    if lane.workshop_id != workshop.pk:
        raise WorkshopError(_("Die rij hoort niet bij deze werksessie."), code="invalid")
    check_participant(participant, workshop)
    text = plain(text, field=_("kaartje"), max_length=CARD_TEXT_MAX, required=True)
    photo_alt = photos.clean_alt(photo_alt)
    found = Card.objects.filter(workshop=workshop, client_id=client_id).first()
    if found is not None:
        return _replayed(found, participant), False
    if image is not None:  # asked before any file is written; asked again under the lock
        require_perm(actor, "lab.add_card", At(participant, lane), REFUSED)
    stored = photos.store(image, prefix=CARD_PREFIX)
    try:
        with transaction.atomic():
            locked = lock_workshop(workshop)
            lane = Lane.objects.get(pk=lane.pk)
            lane.workshop = locked
            require_perm(actor, "lab.add_card", At(participant, lane), REFUSED)
            order = Card.objects.filter(workshop=locked, stage=stage, lane=lane).count()
            card = Card(workshop=locked, stage=stage, lane=lane, author=participant, text=text,
                        client_id=client_id, private=locked.phase == Phase.BRAINSTORM, order=order)
            if stored is not None:
                photos.attach(card, stored, photo_alt)
            card.save()
            announce(locked, "card.added", card_payload(card), subject=f"card:{card.pk}",
                     client_key=f"card:{client_id}")
    except IntegrityError:  # the same client id at the same moment: the first one stands
        photos.discard(stored)
        return _replayed(Card.objects.get(workshop=workshop, client_id=client_id), participant), False
    except BaseException:
        photos.discard(stored)
        raise
    return card, True


def _replayed(card: Card, participant: Participant | None) -> Card:
    """A retry gets its own card back; someone else's client id is no way to another's (private) card."""
    if card.author_id != (participant.pk if participant is not None else None):
        raise WorkshopError(_("Het kaartje heeft geen geldige code van uw apparaat."), code="client_id")
    return card


def rewrite_card_history(card: Card, data: dict | None) -> None:
    """Bring the stored events of ``card`` in line with what a fresh fetch shows now (``data``; None: the card is
    gone), so a replay never sends an old text or a removed card's text (decision 15). Call inside the change's
    transaction."""
    stream = stream_of(card.workshop_id)
    subject = f"card:{card.pk}"
    rewrite_subject(stream=stream, subject=subject, types=("card.added", "card.changed"),
                    data=data if data is not None else gone_card_payload(card))
    for event in LiveEvent.objects.filter(stream=stream, type="cards.revealed"):
        cards = event.payload.get("cards", [])
        if any(entry.get("id") == card.pk for entry in cards):
            event.payload["cards"] = [data if entry.get("id") == card.pk else entry for entry in cards
                                      if entry.get("id") != card.pk or data is not None]
            event.save(update_fields=["payload"])


def _locked_card(actor, participant, card: Card, perm: str) -> Card:
    locked_workshop = lock_workshop(card.workshop_id)
    locked = lock_card(card)
    locked.workshop = locked_workshop
    check_participant(participant, locked_workshop)
    require_perm(actor, perm, At(participant, locked), REFUSED)
    return locked


def edit_card(*, actor, participant: Participant | None, card: Card, text: str, image=None,
              photo_alt: str | None = None, remove_photo: bool = False) -> Card:
    """Change a card's text and, optionally, its photo: ``image`` replaces it, ``remove_photo`` takes it off,
    ``photo_alt`` (None: unchanged) describes it."""
    text = plain(text, field=_("kaartje"), max_length=CARD_TEXT_MAX, required=True)
    alt = photos.clean_alt(photo_alt) if photo_alt is not None else None
    if image is not None:  # asked before any file is written; asked again under the lock
        require_perm(actor, "lab.change_card", At(participant, card), REFUSED)
    stored = photos.store(image, prefix=CARD_PREFIX)
    try:
        with transaction.atomic():
            locked = _locked_card(actor, participant, card, "lab.change_card")
            locked.text = text
            photos.change(locked, stored, alt=alt, remove=remove_photo)
            locked.save(update_fields=["text", *photos.PHOTO_FIELDS, "updated_at"])
            # The old text and the old photo's address leave the stored events too (decision 15).
            rewrite_card_history(locked, card_payload(locked))
            announce(locked.workshop, "card.changed", card_payload(locked), subject=f"card:{locked.pk}")
    except BaseException:
        photos.discard(stored)
        raise
    return locked


def remove_card(*, actor, participant: Participant | None, card: Card) -> None:
    with transaction.atomic():
        locked = _locked_card(actor, participant, card, "lab.change_card")
        workshop, pk = locked.workshop, locked.pk
        if workshop.spotlight_id == pk:
            Workshop.objects.filter(pk=workshop.pk).update(spotlight=None)
        rewrite_card_history(locked, None)
        locked.delete()
        announce(workshop, "card.removed", {"id": pk}, subject=f"card:{pk}")


def move_card(*, actor, card: Card, stage: Stage, lane: Lane) -> Card:
    """The facilitator puts a card in another cell of the same board."""
    with transaction.atomic():
        locked = _locked_card(actor, None, card, "lab.run_workshop")
        if stage.workshop_id != locked.workshop_id or lane.workshop_id != locked.workshop_id:
            raise WorkshopError(_("Die plek hoort niet bij deze werksessie."), code="invalid")
        locked.stage, locked.lane = stage, lane
        locked.save(update_fields=["stage", "lane", "updated_at"])
        announce(locked.workshop, "card.changed", card_payload(locked), subject=f"card:{locked.pk}")
    return locked


def merge_cards(*, actor, survivor: Card, duplicates: list[Card]) -> Card:
    """The facilitator merges cards that say the same: the duplicates point to the survivor, their dots count
    for it."""
    if not duplicates or any(d.pk == survivor.pk or d.workshop_id != survivor.workshop_id for d in duplicates):
        raise WorkshopError(_("Kies kaartjes van dit bord om samen te voegen."), code="invalid")
    with transaction.atomic():
        kept = _locked_card(actor, None, survivor, "lab.run_workshop")
        if kept.merged_into_id is not None:
            raise WorkshopError(_("Dat kaartje is zelf al samengevoegd."), code="state")
        for duplicate in sorted(duplicates, key=lambda c: c.pk):
            locked = lock_card(duplicate)
            locked.merged_into = kept
            locked.save(update_fields=["merged_into", "updated_at"])
            Card.objects.filter(merged_into=locked).update(merged_into=kept)
            announce(kept.workshop, "card.changed", card_payload(locked), subject=f"card:{locked.pk}")
    return kept


def group_cards(*, actor, cards: list[Card], label: str) -> list[Card]:
    """The facilitator gives cards a group name ("" ungroups them)."""
    label = plain(label, field=_("groep"), max_length=80)
    if not cards:
        raise WorkshopError(_("Kies kaartjes om te groeperen."), code="invalid")
    workshop_id = cards[0].workshop_id
    if any(card.workshop_id != workshop_id for card in cards):
        raise WorkshopError(_("Kies kaartjes van dit bord."), code="invalid")
    grouped = []
    with transaction.atomic():
        for card in sorted(cards, key=lambda c: c.pk):
            locked = _locked_card(actor, None, card, "lab.run_workshop")
            locked.group_label = label
            locked.save(update_fields=["group_label", "updated_at"])
            announce(locked.workshop, "card.changed", card_payload(locked), subject=f"card:{locked.pk}")
            grouped.append(locked)
    return grouped
