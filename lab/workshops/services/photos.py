"""A photo on a card or a persona (``lab.models.photos.WithPhoto``): stored before the row, swapped inside it.

Precondition for every ``image``: it went through ``initiatives.images.process_image`` (re-encoded, no EXIF or
GPS). The files are written before the transaction that gives them to a row (``core.files.store_renditions``);
a caller whose transaction fails removes them again with ``discard``. A replaced or removed photo's files go
only after the commit, so a rolled-back change never loses the photo it kept.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.files import StoredRenditions, delete_files, delete_files_after_commit, store_renditions
from lab.models.photos import PHOTO_ALT_MAX, WithPhoto
from lab.workshops.services._common import plain


def clean_alt(value) -> str:
    return plain(value, field=_("beschrijving van de foto"), max_length=PHOTO_ALT_MAX)


def store(image, *, prefix: str) -> StoredRenditions | None:
    """The files of ``image`` (None: no photo, nothing written)."""
    return store_renditions(image, prefix=prefix) if image is not None else None


def discard(stored: StoredRenditions | None) -> None:
    """Remove files that no row got (the change failed or was a retry)."""
    if stored is not None:
        delete_files(stored.names)


def attach(row: WithPhoto, stored: StoredRenditions, alt: str) -> None:
    """Give ``row`` the stored photo (the caller saves it); the photo it had goes after the commit."""
    delete_files_after_commit(row.photo_names())
    row.photo_key, row.photo_renditions, row.photo_alt = stored.file_key, stored.renditions, alt


def detach(row: WithPhoto) -> None:
    """Take the photo off ``row`` (the caller saves it); its files go after the commit."""
    delete_files_after_commit(row.photo_names())
    row.photo_key, row.photo_renditions, row.photo_alt = "", [], ""


def change(row: WithPhoto, stored: StoredRenditions | None, *, alt: str | None, remove: bool) -> None:
    """The photo part of a change to ``row`` (the caller saves it): a new photo replaces the old one (keeping the
    description unless ``alt`` brings one), else ``remove`` takes it off, else ``alt`` alone (None: unchanged)
    describes the photo the row has."""
    if stored is not None:
        attach(row, stored, alt if alt is not None else row.photo_alt)
    elif remove:
        detach(row)
    elif alt is not None and row.has_photo:
        row.photo_alt = alt


PHOTO_FIELDS = ["photo_key", "photo_renditions", "photo_alt"]
