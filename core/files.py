"""Uploaded files are served only to those who may see the object they belong to.

Every file under ``MEDIA_ROOT`` that Samenlab serves belongs to an object, and the object's rule says
who may see it. An app registers, in its ``AppConfig.ready()``, the first folder of its storage names
(the *prefix*) with

- ``find(name)``: the owning object of a stored name, in one query, or ``None`` when no object owns
  exactly that name (a guessed or stale name);
- ``perm``: the rule that grants seeing that object (``None`` for files everyone may see, such as
  Wagtail's CMS images);
- ``subject(request, obj)`` (optional): what the rule is asked about, when the answer depends on more than
  the signed-in person. A workshop's guest has no account: their seat on the board is found by the request's
  device cookie (``request`` is None for the question "may anyone see it?").

``core.views.serve_upload`` answers ``MEDIA_URL`` in every mode and asks this registry. A file whose
prefix nobody registered is never served, an object the visitor may not see answers 404 like a file
that does not exist, and a file is *public* (cacheable by browsers and proxies) exactly when the rule
lets an anonymous visitor see its object, so the cache can never be more generous than the rule.

Names must not be guessable: new files are stored under ``<prefix>/<new_file_key()>/...``, so knowing
one initiative's number (or another photo's URL) tells nothing about the next one's.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from core.permissions import may

# 24 random bytes, URL-safe base64: 32 characters, 192 bits.
FILE_KEY_BYTES = 24
FILE_KEY_LENGTH = 32


def new_file_key() -> str:
    """A random, URL-safe folder name for one object's files (32 characters, from ``secrets``)."""
    return secrets.token_urlsafe(FILE_KEY_BYTES)


@dataclass(frozen=True)
class StoredRenditions:
    """The files of one photo, written before its row: ``renditions`` as the row keeps them (smallest first)."""

    file_key: str
    renditions: list[dict]

    @property
    def names(self) -> list[str]:
        return [rendition["name"] for rendition in self.renditions]

    def fill(self, photo) -> None:
        """Give a photo row its files: the renditions, and the largest as its image with its size."""
        largest = self.renditions[-1]
        photo.file_key, photo.renditions = self.file_key, self.renditions
        photo.image.name, photo.width, photo.height = largest["name"], largest["width"], largest["height"]


def store_renditions(image, *, prefix: str) -> StoredRenditions:
    """Write every rendition of ``image`` as ``<prefix>/<new file key>/<width>.<extension>``.

    Precondition: ``image`` went through ``initiatives.images.process_image`` (re-encoded, no metadata; its
    renditions smallest first). The files are written before the row that owns them, outside its
    transaction; a caller whose row is not saved removes them again with ``delete_files(stored.names)``.
    """
    file_key = new_file_key()
    renditions = [{"width": r.width, "height": r.height,
                   "name": default_storage.save(f"{prefix}/{file_key}/{r.width}.{r.extension}", ContentFile(r.data))}
                  for r in image.renditions]
    return StoredRenditions(file_key=file_key, renditions=renditions)


def delete_files(names: list[str]) -> None:
    """Remove ``names`` from storage now, and each object's folder once it is empty (files of a row that was
    never saved, or of a row deleted just now)."""
    for name in names:
        default_storage.delete(name)
    for folder in {posixpath.dirname(name) for name in names}:
        if "/" not in folder:
            continue  # an app's own top folder stays, even when empty
        # Only an emptied folder goes: rmdir refuses one that still holds files (or a storage has no folders).
        with contextlib.suppress(NotImplementedError, OSError):
            os.rmdir(default_storage.path(folder))


def delete_files_after_commit(names: list[str]) -> None:
    """Remove ``names`` from storage (and their emptied folders) once the current transaction commits."""
    names = list(names)
    if names:
        transaction.on_commit(lambda: delete_files(names))


@dataclass(frozen=True)
class UploadKind:
    prefix: str
    find: Callable[[str], object | None]
    perm: str | None
    subject: Callable[[object, object], object] | None = None

    def may_see(self, user, obj, request=None) -> bool:
        if self.perm is None:
            return True
        return may(user, self.perm, self.subject(request, obj) if self.subject is not None else obj)


_registry: dict[str, UploadKind] = {}


def register(prefix: str, *, find: Callable[[str], object | None], perm: str | None,
             subject: Callable[[object, object], object] | None = None) -> None:
    """Serve files whose name starts with ``<prefix>/`` to whoever ``perm`` allows on ``find(name)``.

    Registering the same prefix twice with another ``find`` is a configuration error (two apps would
    claim the same files); registering it again with the same function (a second ``ready()``) is fine.
    """
    if not prefix or "/" in prefix or prefix in (".", ".."):
        raise ImproperlyConfigured(f"An upload prefix is one folder name, not {prefix!r}.")
    existing = _registry.get(prefix)
    if existing is not None and (existing.find is not find or existing.perm != perm
                                 or existing.subject is not subject):
        raise ImproperlyConfigured(f"The upload prefix {prefix!r} is already registered.")
    _registry[prefix] = UploadKind(prefix, find, perm, subject)


def registered_prefixes() -> frozenset[str]:
    return frozenset(_registry)


def clean_name(path: str) -> str | None:
    """``path`` as a storage name if it is a plain relative path inside ``MEDIA_ROOT``, else ``None``.

    Refused: empty, absolute (``/etc/passwd``), ``.``/``..``/empty segments, backslashes, NUL and
    other control characters, ``%`` (no stored name has one; a front server might decode it once more),
    and anything that normalises to something else. The URL is already percent-decoded, so
    ``%2e%2e%2f`` arrives here as ``../`` and is refused too.
    """
    if (not path or path.startswith("/") or "\\" in path or "%" in path
            or any(ord(c) < 32 or ord(c) == 127 for c in path)):
        return None
    segments = path.split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        return None
    if posixpath.normpath(path) != path:
        return None
    return path


@dataclass(frozen=True)
class Decision:
    """What ``decide`` found: the owning object and whether its file is public (cacheable)."""

    obj: object
    public: bool


def decide(user, name: str, *, request=None) -> Decision | None:
    """Whether ``user`` may see the stored file ``name``: a ``Decision``, or ``None`` for "answer 404".

    The rule is first asked for an anonymous visitor: when that is a yes the file is public and
    ``user`` is not looked at (no session read, so the answer is the same for everyone and may be
    cached by anyone). Otherwise ``user`` is asked (about ``subject(request, obj)`` where the kind has one,
    so a guest without an account is asked too); a no answers exactly like a missing file.
    """
    clean = clean_name(name)
    if clean is None:
        return None
    kind = _registry.get(clean.split("/", 1)[0])
    if kind is None:
        return None
    obj = kind.find(clean)
    if obj is None:
        return None
    if kind.may_see(AnonymousUser(), obj):
        return Decision(obj, public=True)
    if user is None:
        return None
    if (user.is_authenticated or (kind.subject is not None and request is not None)) and kind.may_see(
            user, obj, request):
        return Decision(obj, public=False)
    return None
