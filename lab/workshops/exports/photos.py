"""The photos of a journey's cards as a document draws them: read once from storage, left out when unreadable.

The photos come beside the journey (``card_photos``, in the order of its ``cards``), never in it: the JSON and
a template made from it carry no photo.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image

logger = logging.getLogger("lab.workshops.exports")


@dataclass(frozen=True)
class CardPhoto:
    """A card's photo as a document draws it: the smallest stored size (a storage name) and what it shows."""

    name: str
    alt: str


def card_photos(cards) -> list[CardPhoto | None]:
    """Per card row (``journey_json.journey_and_cards``, in the journey's order) its photo, or None."""
    return [CardPhoto(name=card.photo_renditions[0]["name"], alt=card.photo_alt) if card.has_photo else None
            for card in cards]


@dataclass(frozen=True)
class Picture:
    data: bytes
    width: int  # pixels
    height: int
    alt: str


def read_picture(photo: CardPhoto | None) -> Picture | None:
    """The photo's bytes, decoded once to be sure they are an image; None when the file is gone or damaged (the
    document is made without it)."""
    if photo is None:
        return None
    try:
        with default_storage.open(photo.name) as handle:
            data = handle.read()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            width, height = image.size
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        logger.warning("A card's photo is left out of an export: %s (%s)", photo.name, error)
        return None
    return Picture(data=data, width=width, height=height, alt=photo.alt)


def pictures_of(journey: dict, photos: list[CardPhoto | None] | None) -> list[Picture | None]:
    """One entry per card of ``journey``: its readable photo or None."""
    photos = list(photos or [])
    return [read_picture(photos[i]) if i < len(photos) else None for i in range(len(journey["cards"]))]


def fit_size(picture: Picture, max_width: float, max_height: float) -> tuple[float, float]:
    """The photo's size in mm: as large as fits in the box, keeping its shape."""
    scale = min(max_width / picture.width, max_height / picture.height)
    return picture.width * scale, picture.height * scale


def caption_of(picture: Picture) -> str:
    return _("Foto: %(alt)s") % {"alt": picture.alt} if picture.alt else ""
