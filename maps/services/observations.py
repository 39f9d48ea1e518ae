"""Recording what walkers see, and their photos: idempotent by a client-made id, so a phone may always retry.

The phone makes a UUID for every observation and every photo. Sending one again (an offline queue
flushed twice, a retry after a lost answer, five parallel requests) finds the row made the first time:
a look-up first, and the database's unique constraint as the last word when two requests race.
"""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.files import delete_files, store_renditions
from core.pagecache import invalidate_pages_after_commit
from initiatives.images import ProcessedImage
from live.services import publish, rewrite_subject
from maps import geo
from maps.models import (
    CrowScore,
    Observation,
    ObservationKind,
    ObservationPhoto,
    ObservationState,
    ObservationTheme,
    Walk,
)
from maps.services._common import check_location, lock_observation, plain, require_perm
from maps.services.errors import ClientIdConflict, WalkError

MAX_PHOTOS = 4
SAME_PLACE_METRES = 25
# A phone's clock may run a little ahead; an observation is never from the future beyond that.
CLOCK_SKEW = timedelta(minutes=10)
OBSERVATION_TYPES = ("observation.added", "observation.changed")


def clean_client_id(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise WalkError(_("Dit bericht mist een geldige sleutel (client_id). Probeer het opnieuw."),
                        code="client_id") from None


def _clean_observed_at(value, walk: Walk, now: datetime) -> datetime:
    if value in (None, ""):
        return now
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime) or timezone.is_naive(value):
        raise WalkError(_("Het tijdstip van de waarneming is ongeldig."), code="observed_at")
    # A walk may be started before its planned time: the window opens a day before whichever came first.
    earliest = min(walk.starts_at, walk.started_at or walk.starts_at) - timedelta(days=1)
    if value > now + CLOCK_SKEW or value < earliest:
        raise WalkError(_("Het tijdstip van de waarneming valt niet rond deze wijkschouw."), code="observed_at")
    return value


def _clean_fields(*, theme, kind, description, crow_score, latitude, longitude, address, place_description) -> dict:
    if theme not in ObservationTheme.values:
        raise WalkError(_("Kies een thema uit de lijst."), code="theme")
    if kind not in ObservationKind.values:
        raise WalkError(_("Kies of er iets mis is of dat het goed is."), code="kind")
    if crow_score not in ("", None) and crow_score not in CrowScore.values:
        raise WalkError(_("Kies een beeldkwaliteit uit A+, A, B, C of D, of laat het leeg."), code="crow_score")
    check_location(latitude, longitude)
    cleaned = {
        "theme": theme, "kind": kind, "crow_score": crow_score or "",
        "description": plain(description, field=_("wat ziet u"), max_length=2000, required=True),
        "address": plain(address, field=_("adres"), max_length=200),
        "place_description": plain(place_description, field=_("plek in woorden"), max_length=300),
        "latitude": geo.rounded(latitude) if latitude not in (None, "") else None,
        "longitude": geo.rounded(longitude) if longitude not in (None, "") else None,
    }
    if cleaned["latitude"] is None and not cleaned["address"] and not cleaned["place_description"]:
        raise WalkError(_("Geef aan waar het is: op de kaart, met een adres of in een paar woorden."), code="place")
    return cleaned


def record_observation(*, actor, walk: Walk, client_id, theme: str, description: str,
                       kind: str = ObservationKind.PROBLEM, crow_score: str = "", latitude=None, longitude=None,
                       address: str = "", place_description: str = "", observed_at=None,
                       now: datetime | None = None) -> tuple[Observation, bool]:
    """Record one observation on ``walk``; returns ``(observation, created)``.

    The same ``client_id`` from the same person returns the first observation and changes nothing, even
    when the walk has since closed (a late retry must not fail). Precondition: ``actor`` is signed in.
    """
    client_id = clean_client_id(client_id)
    existing = _existing(actor, client_id, walk)
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    walk = Walk.objects.select_related("kern").get(pk=walk.pk)
    require_perm(actor, "maps.observe", walk, _("Waarnemingen doen kan alleen als u meeloopt, tijdens de "
                                               "wijkschouw."))
    fields = _clean_fields(theme=theme, kind=kind, description=description, crow_score=crow_score,
                           latitude=latitude, longitude=longitude, address=address,
                           place_description=place_description)
    observed_at = _clean_observed_at(observed_at, walk, now)
    try:
        with transaction.atomic():
            observation = Observation.objects.create(walk=walk, author=actor, client_id=client_id,
                                                     observed_at=observed_at, **fields)
            observation.walk = walk
            publish(stream=walk.stream, type="observation.added", data=observation_message(observation),
                    subject=observation.subject, client_key=str(client_id))
            invalidate_pages_after_commit()
    except IntegrityError:
        # A parallel request with the same client id won the race: answer with its observation.
        existing = _existing(actor, client_id, walk)
        if existing is None:
            raise
        return existing, False
    return observation, True


def _existing(actor, client_id: uuid.UUID, walk: Walk) -> Observation | None:
    found = Observation.objects.select_related("walk__kern").filter(author=actor, client_id=client_id).first()
    if found is not None and found.walk_id != walk.pk:
        raise ClientIdConflict(_("Deze sleutel (client_id) hoort bij een waarneming van een andere wijkschouw."),
                               code="client_id_conflict")
    return found


def add_observation_photo(*, actor, observation: Observation, client_id, image: ProcessedImage,
                          alt_text: str = "") -> tuple[ObservationPhoto, bool]:
    """Store a cleaned photo (``initiatives.images``) with an observation: at most four, one client id, one photo.

    Precondition: ``image`` went through ``process_image`` (re-encoded, metadata removed). Files are
    written before the row and removed again if the row is not saved.
    """
    client_id = clean_client_id(client_id)
    found = ObservationPhoto.objects.filter(observation=observation, client_id=client_id).first()
    if found is not None:
        return found, False
    require_perm(actor, "maps.add_observation_photo", observation,
                 _("Alleen wie de waarneming deed, voegt er foto's aan toe, zolang ze nog niet is bekeken."))
    alt_text = plain(alt_text, field=_("beschrijving van de foto"), max_length=250)
    stored = store_renditions(image, prefix="walks")
    try:
        with transaction.atomic():
            locked = lock_observation(observation)
            found = ObservationPhoto.objects.filter(observation=locked, client_id=client_id).first()
            if found is not None:
                raise _AlreadyThere(found)
            require_perm(actor, "maps.add_observation_photo", locked)
            count = locked.photos.count()
            if count >= MAX_PHOTOS:
                raise WalkError(_("Bij een waarneming passen hoogstens %(n)s foto's.") % {"n": MAX_PHOTOS},
                                code="too_many_photos")
            photo = ObservationPhoto(observation=locked, client_id=client_id,
                                     alt_text=alt_text or locked.get_theme_display(), order=count)
            stored.fill(photo)
            photo.save()
            changed(locked, client_key=f"photo:{client_id}")
    except _AlreadyThere as already:
        delete_files(stored.names)
        return already.photo, False
    except Exception:
        delete_files(stored.names)
        raise
    return photo, True


class _AlreadyThere(Exception):
    def __init__(self, photo):
        super().__init__("photo already stored")
        self.photo = photo


def photo_urls(observation: Observation) -> list[dict]:
    """Each photo's smallest and largest rendition (served by ``core.files``: only to who may see it)."""
    urls = []
    for photo in observation.photos.all():
        renditions = photo.renditions or []
        if renditions:
            urls.append({"id": photo.pk, "alt": photo.alt_text, "src": default_storage.url(renditions[0]["name"]),
                         "large": default_storage.url(renditions[-1]["name"])})
    return urls


def observation_message(observation: Observation) -> dict:
    """The observation as the live map and the walk's GeoJSON show it to those who walk along."""
    from maps.selectors import observation_feature

    return observation_feature(observation, photos=photo_urls(observation))


def changed(observation: Observation, *, client_key: str = "") -> None:
    """Tell the walk's live map that ``observation`` changed, and bring its stored events up to date
    (replay equals a fresh fetch). Call inside the transaction that changed it."""
    data = observation_message(observation)
    stream = observation.walk.stream
    rewrite_subject(stream=stream, subject=observation.subject, types=OBSERVATION_TYPES, data=data)
    publish(stream=stream, type="observation.changed", data=data, subject=observation.subject, client_key=client_key)
    invalidate_pages_after_commit()


def metres_between(lat1, lng1, lat2, lng2) -> float:
    """Distance on the earth's surface (haversine); plenty accurate for 25 metres."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi, dlmb = phi2 - phi1, math.radians(float(lng2) - float(lng1))
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def same_theme_nearby(*, walk: Walk, theme: str, latitude, longitude,
                      metres: float = SAME_PLACE_METRES) -> list[Observation]:
    """Observations of ``walk`` with ``theme`` within ``metres`` of the point: "is dit dezelfde?"."""
    if not geo.point_in_municipality(latitude, longitude):
        return []
    lat, lng = float(latitude), float(longitude)
    dlat = metres / 111_320
    dlng = metres / (111_320 * math.cos(math.radians(lat)))
    candidates = (walk.observations.exclude(state=ObservationState.MERGED)
                  .filter(theme=theme, latitude__range=(lat - dlat, lat + dlat),
                          longitude__range=(lng - dlng, lng + dlng)).select_related("author"))
    return [o for o in candidates if metres_between(lat, lng, o.latitude, o.longitude) <= metres]


