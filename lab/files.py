"""Photos on a workshop's cards and personas under ``core.files``: who may see a stored file, and its removal.

- A card's photo (``workshop-cards/<photo_key>/<width>.<ext>``) is seen by whom the rule ``lab.view_card_photo``
  lets see the card: before the reveal, a card of the silent brainstorm is its author's and the facilitators'
  only, so is its photo. The question is asked about ``At(seat, card)``: a guest's seat is found by the
  request's device cookie, exactly as on the board.
- A persona's photo or drawing (``workshop-personas/...``) is on the workshop's public page (``lab.view_workshop``).

Files are removed after the transaction that deletes their row commits, however it is deleted (a removed card,
a workshop deleted in the admin): the row's ``post_delete`` signal fires for cascades too.
"""

from __future__ import annotations

from django.db.models.signals import post_delete

from core import files

CARD_PREFIX = "workshop-cards"
PERSONA_PREFIX = "workshop-personas"


def _owner(model, name: str):
    parts = name.split("/")
    if len(parts) != 3 or len(parts[1]) < files.FILE_KEY_LENGTH:
        return None
    row = model.objects.select_related("workshop").filter(photo_key=parts[1]).first()
    if row is None or name not in row.photo_names():
        return None
    return row


def find_card_of(name: str):
    """The card whose photo is stored as ``name`` (one query), or ``None``."""
    from lab.models import Card

    return _owner(Card, name)


def find_persona_of(name: str):
    from lab.models import Persona

    return _owner(Persona, name)


def card_seen_from(request, card):
    """What the rule is asked about: the card, from the request's own seat in its workshop (None: no seat)."""
    from lab.workshops.seats import At, seat_of

    return At(seat_of(request, card.workshop) if request is not None else None, card)


def _photo_deleted(sender, instance, **kwargs):
    files.delete_files_after_commit(instance.photo_names())


def register() -> None:
    from lab.models import Card, Persona

    files.register(CARD_PREFIX, find=find_card_of, perm="lab.view_card_photo", subject=card_seen_from)
    files.register(PERSONA_PREFIX, find=find_persona_of, perm="lab.view_workshop")
    post_delete.connect(_photo_deleted, sender=Card, dispatch_uid="lab.card_photo_files")
    post_delete.connect(_photo_deleted, sender=Persona, dispatch_uid="lab.persona_photo_files")
