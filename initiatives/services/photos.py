"""Storing cleaned photos of an initiative. Precondition: the photo went through ``initiatives.images``.

State changes like the other services: keyword-only, atomic, the rule asked first. Files are written
before the row; if the transaction rolls back, the files are removed after it (no orphan on disk).
Each photo's files lie under its own random ``file_key`` (``initiatives/<file_key>/<width>.<ext>``) and
are served only through ``core.views.serve_upload``; deleting a photo row, by any path, removes its
files after the commit (``initiatives.files``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.files import delete_files, store_renditions
from core.pagecache import invalidate_pages_after_commit
from initiatives.files import delete_photo_files
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
    stored = store_renditions(image, prefix="initiatives")
    try:
        with transaction.atomic():
            locked = lock_initiative(initiative)
            require_perm(actor, "initiatives.change_initiative", locked)
            count = InitiativePhoto.objects.filter(initiative=locked, kind=kind).count()
            if count >= MAX_PHOTOS:
                raise InitiativeError(_("U kunt hoogstens %(n)s foto's toevoegen.") % {"n": MAX_PHOTOS},
                                      code="too_many_photos")
            photo = InitiativePhoto(initiative=locked, alt_text=alt_text, kind=kind, order=count, uploaded_by=actor)
            stored.fill(photo)
            photo.save()
            invalidate_pages_after_commit()  # its card and its kept story show the photos
    except Exception:
        delete_files(stored.names)
        raise
    return photo


def remove_photo(*, actor, photo: InitiativePhoto) -> None:
    with transaction.atomic():
        locked = lock_initiative(photo.initiative_id)
        require_perm(actor, "initiatives.change_initiative", locked,
                     _("Alleen initiatiefnemers halen foto's weg, zolang het initiatief een concept is."))
        # The post_delete signal removes the files after the commit (initiatives.files).
        photo.delete()
        invalidate_pages_after_commit()


__all__ = ["MAX_PHOTOS", "add_photo", "delete_photo_files", "remove_photo"]
