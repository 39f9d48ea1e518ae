"""Starting a workshop from a journey (a template or an exported file): its stages, lanes, personas and cards;
and keeping a workshop's journey as a template to start from."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lab.models import CARD_TEXT_MAX, NAME_MAX, Card, JourneyTemplate, LaneKind, Persona, Workshop
from lab.workshops.journey_json import export_journey, save_template, validate_journey
from lab.workshops.services._common import WorkshopError, plain, require_perm
from lab.workshops.services.workshops import plan_workshop

TEMPLATE_REFUSED = gettext_lazy("Alleen wie het sjabloon maakte en medewerkers veranderen het of halen het weg.")


def _clean_journey(data: dict) -> dict:
    """The texts of ``data`` that ``plan_workshop`` does not clean itself (personas, cards, summary), as plain
    text: a file from elsewhere may hold markup. Checked before anything is written."""
    personas = [{"name": plain(p["name"], field=_("persona"), max_length=NAME_MAX, required=True),
                 "situation": plain(p["situation"], field=_("situatie"), max_length=1000),
                 "needs": plain(p.get("needs", ""), field=_("wat deze persoon nodig heeft"), max_length=1000)}
                for p in data.get("personas", [])]
    cards = [{**c, "text": plain(c["text"], field=_("kaartje"), max_length=CARD_TEXT_MAX, required=True),
              "group": plain(c.get("group", ""), field=_("groep"), max_length=80)} for c in data["cards"]]
    return {**data, "personas": personas, "cards": cards,
            "summary": plain(data.get("summary", ""), field=_("samenvatting"), max_length=5000)}


def plan_from_journey(*, actor, data: dict, starts_at: datetime.datetime, ends_at: datetime.datetime,
                      title: str = "", service: str = "", **details) -> Workshop:
    """A new workshop laid out as ``data`` (``journey_json.SCHEMA``): the cards are shared and belong to nobody,
    so the group starts from the journey staff built in advance. The curves are the group's to draw again.
    ``title`` and ``service`` (and ``customer_group``), when given, take the place of the journey's."""
    try:
        data = validate_journey(data)
    except ValueError as error:
        raise WorkshopError(str(error), code="invalid_journey") from None
    data = _clean_journey(data)
    with transaction.atomic():
        workshop = plan_workshop(
            actor=actor, title=title or data["title"], service=service or data["service"] or data["title"],
            customer_group=details.pop("customer_group", None) or data.get("customer_group", ""),
            starts_at=starts_at, ends_at=ends_at, stages=[s["title"] for s in data["stages"]],
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


def save_as_template(*, actor, workshop: Workshop, title: str = "") -> JourneyTemplate:
    """``workshop``'s journey (as its export: shared cards only, no names, no dots) kept as a template (rule
    ``lab.save_template``)."""
    require_perm(actor, "lab.save_template", workshop,
                 _("Alleen de begeleiders en medewerkers bewaren deze werksessie als sjabloon."))
    title = plain(title, field=_("naam van het sjabloon"), max_length=150)
    return save_template(actor=actor, data=export_journey(workshop), title=title)


def rename_template(*, actor, template: JourneyTemplate, title: str) -> JourneyTemplate:
    """A template's new name (rule ``lab.change_template``: who made it, and staff)."""
    require_perm(actor, "lab.change_template", template, TEMPLATE_REFUSED)
    title = plain(title, field=_("naam van het sjabloon"), max_length=150, required=True)
    JourneyTemplate.objects.filter(pk=template.pk).update(title=title)
    template.title = title
    return template


def remove_template(*, actor, template: JourneyTemplate) -> None:
    """Removing a template changes no workshop planned from it: they copied the journey when they were planned."""
    require_perm(actor, "lab.change_template", template, TEMPLATE_REFUSED)
    JourneyTemplate.objects.filter(pk=template.pk).delete()
