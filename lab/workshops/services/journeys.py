"""Starting a workshop from a journey (a template or an exported file): its stages, lanes, personas and cards."""

from __future__ import annotations

import datetime

from django.db import transaction

from lab.models import Card, LaneKind, Persona, Workshop
from lab.workshops.journey_json import validate_journey
from lab.workshops.services._common import WorkshopError
from lab.workshops.services.workshops import plan_workshop


def plan_from_journey(*, actor, data: dict, starts_at: datetime.datetime, ends_at: datetime.datetime,
                      title: str = "", **details) -> Workshop:
    """A new workshop laid out as ``data`` (``journey_json.SCHEMA``): the cards are shared and belong to nobody,
    so the group starts from the journey staff built in advance. The curves are the group's to draw again."""
    try:
        data = validate_journey(data)
    except ValueError as error:
        raise WorkshopError(str(error), code="invalid_journey") from None
    with transaction.atomic():
        workshop = plan_workshop(
            actor=actor, title=title or data["title"], service=data["service"] or data["title"],
            customer_group=details.pop("customer_group", data.get("customer_group", "")), starts_at=starts_at,
            ends_at=ends_at, stages=[s["title"] for s in data["stages"]],
            lanes=[(LaneKind(lane["kind"]), lane["title"]) for lane in data["lanes"]], **details)
        if data.get("summary"):
            Workshop.objects.filter(pk=workshop.pk).update(summary=data["summary"])
            workshop.summary = data["summary"]
        Persona.objects.bulk_create([Persona(workshop=workshop, order=i, name=p["name"], situation=p["situation"],
                                             needs=p.get("needs", "")) for i, p in enumerate(data.get("personas", []))])
        stages, lanes = list(workshop.stages.all()), list(workshop.lanes.all())
        Card.objects.bulk_create([
            Card(workshop=workshop, stage=stages[c["stage"]], lane=lanes[c["lane"]], text=c["text"],
                 group_label=c.get("group", ""), order=i)
            for i, c in enumerate(data["cards"])])
    return workshop
