"""What one melding says, whatever system receives it: built from an observation and its outbox row.

The text goes to the municipality's staff, who work in Dutch: it is written in Dutch whatever language the
walker used the site in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings

from maps.models import MunicipalReport, Observation, ObservationPhoto, ObservationState, TriageEntry

TEXT_MAX = 3000  # Signalen's limit for ``text``

# "Dorpsstraat 12a", "Dorpsstraat 12-2, 2964 AB Groot-Ammers", "Kerkplein 3 bis, Arkel"
ADDRESS = re.compile(
    r"^\s*(?P<street>[^\d,]+?)\s+(?P<number>\d{1,5})\s*(?P<letter>[A-Za-z](?![A-Za-z]))?"
    r"(?:\s*-\s*|\s+)?(?P<addition>[A-Za-z0-9]{1,4})?\s*"
    r"(?:,\s*(?:(?P<postcode>\d{4}\s?[A-Za-z]{2})\s*)?(?P<town>[^,\d][^,]*?)?)?\s*$"
)


@dataclass(frozen=True)
class Address:
    street: str
    number: int
    letter: str = ""
    addition: str = ""
    postcode: str = ""
    town: str = ""


@dataclass(frozen=True)
class Report:
    reference: str
    theme: str
    text: str
    latitude: float
    longitude: float
    # True when the observation had no point and the kern's centre stands in for it.
    approximate: bool
    address: Address | None
    address_text: str
    incident_date: datetime
    reporter_email: str
    # The report row's creation: nothing was sent before it, so a look-up need not search earlier.
    not_before: datetime
    properties: list[tuple[str, str, str]] = field(default_factory=list)  # (id, label, answer)


def parse_address(text: str, default_town: str = "") -> Address | None:
    match = ADDRESS.match(text or "")
    if not match:
        return None
    parts = match.groupdict(default="")
    postcode = parts["postcode"].replace(" ", "").upper()
    return Address(street=parts["street"].strip(), number=int(parts["number"]), letter=parts["letter"],
                   addition=parts["addition"], postcode=postcode, town=(parts["town"] or default_town).strip())


def reporter_email(observation: Observation) -> str:
    """Who decided to report it: the actor of the latest "reported" decision; else the kern's council address;
    else the site's own address. The e-mail also finds the melding again, so it must not change between tries."""
    entry = (TriageEntry.objects.filter(observation=observation, to_state=ObservationState.REPORTED,
                                        actor__isnull=False)
             .select_related("actor").order_by("-created_at", "-pk").first())
    if entry is not None and entry.actor.email:
        return entry.actor.email
    kern = observation.walk.kern
    if kern.council_email:
        return kern.council_email
    return settings.MUNICIPAL_REPORTS_REPORTER_EMAIL


def one_line(value: str) -> str:
    return " ".join((value or "").split())


def build_report(report: MunicipalReport) -> Report:
    observation = (Observation.objects.select_related("walk__kern").get(pk=report.observation_id))
    walk, kern = observation.walk, observation.walk.kern
    if observation.has_point:
        latitude, longitude, approximate = observation.latitude, observation.longitude, False
    else:
        latitude, longitude, approximate = kern.latitude, kern.longitude, True
    lines = [observation.description.strip(), ""]
    if observation.place_text:
        lines.append(f"Plek: {observation.place_text}")
    if approximate:
        lines.append(f"Geen punt op de kaart; de locatie is het midden van {kern.name}.")
    lines.append(f"Wijkschouw: {walk.title} ({kern.name}, {walk.starts_at:%d-%m-%Y})")
    if observation.crow_score:
        lines.append(f"Beeldkwaliteit (CROW): {observation.crow_score}")
    lines.append(f"Kenmerk Samenlab: {report.reference}")
    text = "\n".join(lines)
    if len(text) > TEXT_MAX:
        tail = "\n" + "\n".join(lines[2:])
        text = observation.description.strip()[: TEXT_MAX - len(tail) - 1] + "…" + tail
    properties = [
        ("samenlab_kenmerk", "Kenmerk Samenlab", report.reference),
        ("samenlab_thema", "Thema", str(observation.get_theme_display())),
        ("samenlab_wijkschouw", "Wijkschouw", one_line(f"{walk.title} ({kern.name})")),
    ]
    if observation.place_description:
        properties.append(("samenlab_plek", "Plek in woorden", one_line(observation.place_description)))
    if observation.crow_score:
        properties.append(("samenlab_crow", "Beeldkwaliteit (CROW)", observation.crow_score))
    return Report(
        reference=report.reference, theme=observation.theme, text=text,
        latitude=float(Decimal(latitude)), longitude=float(Decimal(longitude)), approximate=approximate,
        address=parse_address(observation.address, default_town=kern.name) if observation.address else None,
        address_text=observation.address, incident_date=observation.observed_at,
        reporter_email=reporter_email(observation), not_before=report.created_at, properties=properties,
    )


def photos_of(report: MunicipalReport) -> list[ObservationPhoto]:
    return [photo for photo in ObservationPhoto.objects.filter(observation_id=report.observation_id)
            if photo.image]
