"""Storing cleaned photos of an initiative. Precondition: the photo went through ``initiatives.images``.

State changes like the other services: keyword-only, atomic, the rule asked first. Files are written
before the row; if the transaction rolls back, the files are removed after it (no orphan on disk).
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from initiatives.images import ProcessedImage
from initiatives.models import Initiative, InitiativePhoto
from initiatives.services._common import lock_initiative, require_perm
from initiatives.services.errors import InitiativeError
from initiatives.services.text import clean_plain_text

MAX_PHOTOS = 8


def add_photo(*, actor, initiative: Initiative, image: ProcessedImage, alt_text: str,
              kind: str = InitiativePhoto.Kind.MAIN) -> InitiativePhoto:
    """Store every rendition of ``image`` and link the largest as the photo (initiators, editable states)."""
    alt_text = clean_plain_text(alt_text)[:250]
    if not alt_text:
        raise InitiativeError(_("Beschrijf in een paar woorden wat er op de foto staat."), code="alt_text")
    require_perm(actor, "initiatives.change_initiative", initiative,
                 _("Alleen initiatiefnemers voegen foto's toe, zolang het initiatief een concept is."))
    stem = f"initiatives/{initiative.pk}/photo"
    saved = [(rendition, default_storage.save(f"{stem}-{rendition.width}.{rendition.extension}",
                                              rendition.as_file("photo"))) for rendition in image.renditions]
    try:
        with transaction.atomic():
            locked = lock_initiative(initiative)
            require_perm(actor, "initiatives.change_initiative", locked)
            count = InitiativePhoto.objects.filter(initiative=locked, kind=kind).count()
            if count >= MAX_PHOTOS:
                raise InitiativeError(_("U kunt hoogstens %(n)s foto's toevoegen.") % {"n": MAX_PHOTOS},
                                      code="too_many_photos")
            photo = InitiativePhoto(initiative=locked, alt_text=alt_text, kind=kind, order=count, uploaded_by=actor,
                                    renditions=[{"width": r.width, "height": r.height, "name": name}
                                                for r, name in saved])
            photo.image.name = saved[-1][1]
            photo.width, photo.height = saved[-1][0].width, saved[-1][0].height
            photo.save()
    except Exception:
        for _rendition, name in saved:
            default_storage.delete(name)
        raise
    return photo


def remove_photo(*, actor, photo: InitiativePhoto) -> None:
    with transaction.atomic():
        locked = lock_initiative(photo.initiative_id)
        require_perm(actor, "initiatives.change_initiative", locked,
                     _("Alleen initiatiefnemers halen foto's weg, zolang het initiatief een concept is."))
        names = [r["name"] for r in photo.renditions]
        photo.delete()
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
