"""One optional cleaned photo on a row (a card on the board, a persona): its files and a description.

The photo went through ``initiatives.images.process_image`` (re-encoded, no EXIF or GPS) and its renditions are
stored under ``<prefix>/<photo_key>/<width>.<ext>`` (``core.files.store_renditions``); the random key makes the
names unguessable, and ``lab.files`` serves them only to whom the row's rule allows. The fields live on the row
itself, not in a table of their own, so a board of 600 cards reads its photos with its cards, in no extra query.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import models
from django.utils.translation import gettext_lazy as _

PHOTO_ALT_MAX = 250


class WithPhoto(models.Model):
    photo_key = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    # Every stored size as {"width", "height", "name"} (storage names), smallest first.
    photo_renditions = models.JSONField(default=list, blank=True, editable=False)
    photo_alt = models.CharField(_("wat staat er op de foto"), max_length=PHOTO_ALT_MAX, blank=True)

    class Meta:
        abstract = True

    @property
    def has_photo(self) -> bool:
        return bool(self.photo_key and self.photo_renditions)

    def photo_names(self) -> list[str]:
        return [r["name"] for r in (self.photo_renditions or []) if r.get("name")]

    @property
    def photo_url(self) -> str:
        """The smallest size (fit for a phone's card); the others are in ``photo_srcset``."""
        return default_storage.url(self.photo_renditions[0]["name"]) if self.has_photo else ""

    @property
    def photo_large_url(self) -> str:
        return default_storage.url(self.photo_renditions[-1]["name"]) if self.has_photo else ""

    @property
    def photo_srcset(self) -> str:
        return ", ".join(f"{default_storage.url(r['name'])} {r['width']}w" for r in self.photo_renditions or [])

    def photo_payload(self) -> dict | None:
        """The photo as the live stream and the API describe it (None without one)."""
        if not self.has_photo:
            return None
        return {"url": self.photo_url, "large_url": self.photo_large_url, "alt": self.photo_alt,
                "renditions": [{"url": default_storage.url(r["name"]), "width": r["width"], "height": r["height"]}
                               for r in self.photo_renditions]}
