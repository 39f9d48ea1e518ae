"""A journey map as JSON: what a workshop exports, and what a template keeps and a new workshop starts from.

The format is documented by ``SCHEMA`` (JSON Schema, draft 2020-12; served with the export) and is the same in
both directions, so an export imported as a template and exported again gives the same journey (tested).
Cards refer to their cell by the stage's and lane's position, never by database ids; people are not in it
(a card says nothing about who wrote it), only the group's averages of the curves.
"""

from __future__ import annotations

from django.db.models import Avg
from django.utils.translation import gettext as _

from lab.models import CARD_TEXT_MAX, Card, Feeling, FeelingKind, JourneyTemplate, LaneKind, Workshop

FORMAT = "samenlab.journey/1"

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Samenlab journey map",
    "type": "object",
    "required": ["format", "title", "service", "stages", "lanes", "cards"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": FORMAT},
        "title": {"type": "string", "minLength": 1, "maxLength": 150},
        "service": {"type": "string", "maxLength": 300},
        "customer_group": {"type": "string", "maxLength": 200},
        "personas": {"type": "array", "maxItems": 12, "items": {
            "type": "object", "required": ["name", "situation"], "additionalProperties": False,
            "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 60},
                           "situation": {"type": "string", "maxLength": 1000},
                           "needs": {"type": "string", "maxLength": 1000}}}},
        "stages": {"type": "array", "minItems": 1, "maxItems": 12, "items": {
            "type": "object", "required": ["title"], "additionalProperties": False,
            "properties": {"title": {"type": "string", "minLength": 1, "maxLength": 80},
                           "feeling_now": {"type": ["number", "null"], "minimum": -2, "maximum": 2},
                           "feeling_desired": {"type": ["number", "null"], "minimum": -2, "maximum": 2}}}},
        "lanes": {"type": "array", "minItems": 1, "maxItems": 12, "items": {
            "type": "object", "required": ["kind", "title"], "additionalProperties": False,
            "properties": {"kind": {"enum": LaneKind.values},
                           "title": {"type": "string", "minLength": 1, "maxLength": 80}}}},
        "cards": {"type": "array", "maxItems": 2000, "items": {
            "type": "object", "required": ["stage", "lane", "text"], "additionalProperties": False,
            "properties": {"stage": {"type": "integer", "minimum": 0}, "lane": {"type": "integer", "minimum": 0},
                           "text": {"type": "string", "minLength": 1, "maxLength": CARD_TEXT_MAX},
                           "group": {"type": "string", "maxLength": 80},
                           "dots": {"type": "integer", "minimum": 0}}}},
        "summary": {"type": "string", "maxLength": 5000},
    },
}


def export_journey(workshop: Workshop, *, with_dots: bool = False) -> dict:
    """The shared part of ``workshop``'s board as JSON (private and merged cards left out). Dots only with
    ``with_dots`` (the caller asked ``lab.view_votes``)."""
    return journey_and_cards(workshop, with_dots=with_dots)[0]


def journey_and_cards(workshop: Workshop, *, with_dots: bool = False) -> tuple[dict, list[Card]]:
    """``export_journey`` and the card rows it was made of, in the order of its ``cards`` (read once, so the two
    always agree): for what a document shows beside the JSON, a card's photo. The JSON itself never carries a
    photo: a template is reused in other workshops, and a resident's photo belongs to the workshop it was
    taken in."""
    from lab.workshops.selectors import dot_counts

    stages, lanes = list(workshop.stages.all()), list(workshop.lanes.all())
    stage_index = {s.pk: i for i, s in enumerate(stages)}
    lane_index = {lane.pk: i for i, lane in enumerate(lanes)}
    averages = {(row["stage_id"], row["kind"]): row["average"] for row in Feeling.objects.filter(
        stage__workshop=workshop).values("stage_id", "kind").annotate(average=Avg("score"))}
    counts = dot_counts(workshop) if with_dots else {}
    cards = list(Card.objects.filter(workshop=workshop, private=False, merged_into__isnull=True).order_by(
        "stage__order", "lane__order", "order", "pk"))

    def feeling(stage, kind):
        value = averages.get((stage.pk, kind))
        return None if value is None else round(float(value), 2)

    journey = {
        "format": FORMAT, "title": workshop.title, "service": workshop.service,
        "customer_group": workshop.customer_group,
        "personas": [{"name": p.name, "situation": p.situation, "needs": p.needs} for p in workshop.personas.all()],
        "stages": [{"title": s.title, "feeling_now": feeling(s, FeelingKind.CURRENT),
                    "feeling_desired": feeling(s, FeelingKind.DESIRED)} for s in stages],
        "lanes": [{"kind": lane.kind, "title": lane.title} for lane in lanes],
        "cards": [{"stage": stage_index[c.stage_id], "lane": lane_index[c.lane_id], "text": c.text,
                   "group": c.group_label, **({"dots": counts.get(c.pk, 0)} if with_dots else {})} for c in cards],
        "summary": workshop.summary,
    }
    return journey, cards


def validate_journey(data) -> dict:
    """``data`` checked against ``SCHEMA`` and its cards' cells against its stages and lanes; ValueError with a
    readable reason when it is not a journey."""
    import jsonschema

    try:
        jsonschema.validate(data, SCHEMA)
    except jsonschema.ValidationError as error:
        raise ValueError(reason_of(error)) from None
    for number, card in enumerate(data["cards"], start=1):
        if card["stage"] >= len(data["stages"]) or card["lane"] >= len(data["lanes"]):
            raise ValueError(_("Kaartje %(n)s staat in een fase of rij die niet bestaat.") % {"n": number})
    return data


def _part_names() -> dict:
    return {"title": _("titel"), "service": _("dienst"), "customer_group": _("klantgroep"), "personas": _("persona"),
            "stages": _("fase"), "lanes": _("rij"), "cards": _("kaartje"), "summary": _("samenvatting"),
            "name": _("naam"), "situation": _("situatie"), "needs": _("wat de persoon nodig heeft"),
            "feeling_now": _("gevoel zoals het nu is"), "feeling_desired": _("gevoel zoals het zou moeten"),
            "kind": _("soort rij"), "stage": _("fase"), "lane": _("rij"), "text": _("tekst"), "group": _("groep"),
            "dots": _("stippen")}


def _where(path) -> str:
    """``cards/0/text`` as a person reads it: "kaartje 1, tekst"."""
    names, parts = _part_names(), []
    for step in path:
        if isinstance(step, int) and parts:
            parts[-1] = f"{parts[-1]} {step + 1}"
        else:
            parts.append(str(names.get(step, step)))
    return ", ".join(parts).capitalize() if parts else _("Het bestand")


def reason_of(error) -> str:
    """What is wrong with a journey file, in plain Dutch (or English), from the schema's ``ValidationError``."""
    where, rule, value, found = _where(error.absolute_path), error.validator, error.validator_value, error.instance
    if list(error.absolute_path) == ["format"]:
        return _("De soort bestand (format) klopt niet.")
    if rule == "required":
        missing = [key for key in value if isinstance(found, dict) and key not in found]
        return _("%(where)s: %(what)s ontbreekt.") % {"where": where, "what": ", ".join(
            str(_part_names().get(key, key)) for key in missing)}
    if rule == "additionalProperties":
        extra = sorted(set(found) - set(error.schema.get("properties", {}))) if isinstance(found, dict) else []
        return _("%(where)s: “%(what)s” kennen we niet.") % {"where": where, "what": ", ".join(extra)}
    messages = {
        "minLength": _("%(where)s is leeg."),
        "maxLength": _("%(where)s is te lang: hoogstens %(n)s tekens."),
        "minItems": _("%(where)s: te weinig, er moet minstens %(n)s zijn."),
        "maxItems": _("%(where)s: te veel, hoogstens %(n)s."),
        "minimum": _("%(where)s: het getal is kleiner dan %(n)s."),
        "maximum": _("%(where)s: het getal is groter dan %(n)s."),
        "enum": _("%(where)s: deze waarde kennen we niet."),
        "const": _("%(where)s: deze waarde kennen we niet."),
        "type": _("%(where)s: hier hoort een andere soort waarde."),
    }
    return messages.get(rule, _("%(where)s klopt niet.")) % {"where": where, "n": value}


def save_template(*, actor, data: dict, title: str = "") -> JourneyTemplate:
    """Keep a journey (an export, or a file someone made) as a template to start workshops from."""
    from core.permissions import require

    require(actor, "lab.plan_workshop", None)
    data = validate_journey(data)
    return JourneyTemplate.objects.create(title=(title or data["title"])[:150], service=data["service"],
                                          data=data, created_by=actor)
