"""The personas of a workshop: who the journey is about, with an optional photo or drawing (rule
``lab.change_workshop``: the workshop's facilitators and staff, until the end).

Precondition: ``actor`` is the signed-in person acting; an ``image`` went through
``initiatives.images.process_image``. Each service locks the workshop's row and asks the rule under the lock.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lab.files import PERSONA_PREFIX
from lab.models import NAME_MAX, Persona, Workshop
from lab.workshops.services import photos
from lab.workshops.services._common import WorkshopError, lock_workshop, plain, require_perm

MAX_PERSONAS = 12
TEXT_MAX = 1000
REFUSED = gettext_lazy("Alleen de begeleiders en medewerkers veranderen de persona's, zolang de werksessie niet "
                       "voorbij is.")


def _texts(name, situation, needs) -> dict:
    return {"name": plain(name, field=_("naam"), max_length=NAME_MAX, required=True),
            "situation": plain(situation, field=_("situatie"), max_length=TEXT_MAX, required=True),
            "needs": plain(needs, field=_("wat heeft deze persoon nodig"), max_length=TEXT_MAX)}


def add_persona(*, actor, workshop: Workshop, name: str, situation: str, needs: str = "", image=None,
                photo_alt: str = "") -> Persona:
    texts, alt = _texts(name, situation, needs), photos.clean_alt(photo_alt)
    if image is not None:  # asked before any file is written; asked again under the lock
        require_perm(actor, "lab.change_workshop", workshop, REFUSED)
    stored = photos.store(image, prefix=PERSONA_PREFIX)
    try:
        with transaction.atomic():
            locked = lock_workshop(workshop)
            require_perm(actor, "lab.change_workshop", locked, REFUSED)
            if Persona.objects.filter(workshop=locked).count() >= MAX_PERSONAS:
                raise WorkshopError(_("Een werksessie heeft hoogstens 12 persona's."), code="too_many")
            order = (Persona.objects.filter(workshop=locked).order_by("-order").values_list("order", flat=True)
                     .first())
            persona = Persona(workshop=locked, order=0 if order is None else order + 1, **texts)
            if stored is not None:
                photos.attach(persona, stored, alt)
            persona.save()
    except BaseException:
        photos.discard(stored)
        raise
    return persona


def change_persona(*, actor, persona: Persona, name: str, situation: str, needs: str = "", image=None,
                   photo_alt: str | None = None, remove_photo: bool = False) -> Persona:
    """New texts; ``image`` replaces the photo, ``remove_photo`` takes it off, ``photo_alt`` (None: unchanged)
    describes it."""
    texts = _texts(name, situation, needs)
    alt = photos.clean_alt(photo_alt) if photo_alt is not None else None
    if image is not None:  # asked before any file is written; asked again under the lock
        require_perm(actor, "lab.change_workshop", persona.workshop, REFUSED)
    stored = photos.store(image, prefix=PERSONA_PREFIX)
    try:
        with transaction.atomic():
            locked_workshop = lock_workshop(persona.workshop_id)
            require_perm(actor, "lab.change_workshop", locked_workshop, REFUSED)
            locked = Persona.objects.get(pk=persona.pk)  # the workshop's lock keeps every other write out
            for field, value in texts.items():
                setattr(locked, field, value)
            photos.change(locked, stored, alt=alt, remove=remove_photo)
            locked.save()
    except BaseException:
        photos.discard(stored)
        raise
    return locked


def remove_persona(*, actor, persona: Persona) -> None:
    with transaction.atomic():
        locked_workshop = lock_workshop(persona.workshop_id)
        require_perm(actor, "lab.change_workshop", locked_workshop, REFUSED)
        # The post_delete signal removes the photo's files after the commit (lab.files).
        Persona.objects.filter(pk=persona.pk).delete()
