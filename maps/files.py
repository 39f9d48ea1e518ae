"""Observation photos under ``core.files``: served only to who may see the observation, removed with the photo.

Files are ``walks/<file_key>/<width>.<ext>``. An untriaged observation is seen only by those who walk
along (``maps.view_observation``), so its photos are private until the triage makes it public.
"""

from __future__ import annotations

from django.db.models.signals import post_delete

from core import files
from initiatives.files import delete_files_after_commit, photo_file_names

PREFIX = "walks"
VIEW_PERM = "maps.view_observation"


def find_observation_of(name: str):
    """The observation whose photo is stored as ``name`` (one query), or ``None``."""
    from maps.models import ObservationPhoto

    parts = name.split("/")
    if len(parts) != 3 or len(parts[1]) < files.FILE_KEY_LENGTH:
        return None
    photo = ObservationPhoto.objects.select_related("observation__walk").filter(file_key=parts[1]).first()
    if photo is None or name not in photo_file_names(photo):
        return None
    return photo.observation


def _photo_deleted(sender, instance, **kwargs):
    delete_files_after_commit(photo_file_names(instance))


def register() -> None:
    from maps.models import ObservationPhoto

    files.register(PREFIX, find=find_observation_of, perm=VIEW_PERM)
    post_delete.connect(_photo_deleted, sender=ObservationPhoto, dispatch_uid="maps.photo_files")
