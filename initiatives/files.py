"""Initiative photos under ``core.files``: who may see a stored file, and its removal with the photo.

A photo's files are ``initiatives/<file_key>/<width>.<ext>``; they are served to exactly those who may
see the initiative (``initiatives.view_initiative``), and removed from storage after the transaction
that deletes the photo commits, however it is deleted (removing one photo, deleting a draft, erasing
an account, the admin): the row's ``post_delete`` signal fires for cascades too.
"""

from __future__ import annotations

from django.db.models.signals import post_delete

from core import files
from core.files import delete_files, delete_files_after_commit  # noqa: F401  (photo apps take them from here)

PREFIX = "initiatives"
VIEW_PERM = "initiatives.view_initiative"


def photo_file_names(photo) -> list[str]:
    """Every storage name of ``photo``: its renditions and the image (normally the largest rendition)."""
    names = [r["name"] for r in (photo.renditions or []) if r.get("name")]
    if photo.image and photo.image.name and photo.image.name not in names:
        names.append(photo.image.name)
    return names


def find_initiative_of(name: str):
    """The initiative whose photo is stored as ``name`` (one query), or ``None``."""
    from initiatives.models import InitiativePhoto

    parts = name.split("/")
    if len(parts) != 3 or len(parts[1]) < files.FILE_KEY_LENGTH:
        return None
    photo = InitiativePhoto.objects.select_related("initiative").filter(file_key=parts[1]).first()
    if photo is None or name not in photo_file_names(photo):
        return None
    return photo.initiative


def delete_photo_files(photo) -> None:
    """Remove every file of ``photo`` after the current transaction commits (now, outside one)."""
    delete_files_after_commit(photo_file_names(photo))


def _photo_deleted(sender, instance, **kwargs):
    delete_photo_files(instance)


def register() -> None:
    from initiatives.models import InitiativePhoto

    files.register(PREFIX, find=find_initiative_of, perm=VIEW_PERM)
    post_delete.connect(_photo_deleted, sender=InitiativePhoto, dispatch_uid="initiatives.photo_files")
