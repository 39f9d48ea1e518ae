"""Reads for the API: the board as one viewer may see it, and the results, in a fixed number of queries.

Every card is decided by the rule ``lab.view_card`` in memory (the cards carry the workshop already loaded): a
card the viewer may read comes with its text (``own_card_payload``), any other only with its place
(``card_payload``), as the live stream says it. Dots are counted only when ``lab.view_votes`` allows it.
"""

from __future__ import annotations

from django.db.models import Avg, Count, Max, Q

from core.permissions import may
from lab.models import Card, Dot, Feeling, Lane, Participant, Stage, Workshop
from lab.workshops.seats import At
from lab.workshops.selectors import dot_counts
from lab.workshops.services.payloads import (
    card_payload,
    lane_payload,
    own_card_payload,
    stage_payload,
    workshop_state_payload,
)


def _layout(workshop: Workshop) -> tuple[list[Stage], list[Lane]]:
    stages, lanes = list(Stage.objects.filter(workshop=workshop)), list(Lane.objects.filter(workshop=workshop))
    for item in (*stages, *lanes):
        item.workshop = workshop
    return stages, lanes


def _curve(workshop: Workshop, seat: Participant | None = None) -> tuple[list[dict], list[dict]]:
    """Per stage and kind the average and how many placed one; and ``seat``'s own scores (one query)."""
    rows = (Feeling.objects.filter(stage__workshop=workshop).values("stage_id", "kind")
            .annotate(average=Avg("score"), count=Count("pk")).order_by("stage_id", "kind"))
    if seat is not None:
        rows = rows.annotate(mine=Max("score", filter=Q(participant=seat)))
    curve, mine = [], []
    for row in rows:
        curve.append({"stage": row["stage_id"], "kind": row["kind"], "average": round(float(row["average"]), 2),
                      "count": row["count"]})
        if row.get("mine") is not None:
            mine.append({"stage_id": row["stage_id"], "kind": row["kind"], "score": row["mine"]})
    return curve, mine


def dot_totals(workshop: Workshop) -> dict[str, int]:
    """Dots per live card id, in one query (a merged card's dots count for the card it went into, as in
    ``selectors.dot_counts``). Only for a viewer who may ``lab.view_votes``."""
    return {str(target): n for target, n in sorted(dot_counts(workshop).items())}


def _cards(workshop: Workshop, lanes: list[Lane], **filters) -> list[Card]:
    by_id = {lane.pk: lane for lane in lanes}
    cards = list(Card.objects.filter(workshop=workshop, merged_into__isnull=True, **filters)
                 .select_related("author__user").order_by("order", "pk"))
    for card in cards:
        card.workshop, card.lane = workshop, by_id[card.lane_id]
    return cards


def card_as_seen(user, seat: Participant | None, card: Card) -> dict:
    """Precondition: ``card.workshop`` is loaded (the rule reads its facilitators and state)."""
    return own_card_payload(card) if may(user, "lab.view_card", At(seat, card)) else card_payload(card)


def board(user, workshop: Workshop, seat: Participant | None) -> dict:
    """Precondition: the viewer may ``lab.view_board``; ``workshop`` was read with ``known_last_seq`` (before the
    rows: whatever happens after is replayed, nothing is missed) and with the facilitators the rule needs."""
    stages, lanes = _layout(workshop)
    cards = _cards(workshop, lanes)
    place = At(seat, workshop)
    curve, feelings = _curve(workshop, seat)
    dots = list(Dot.objects.filter(participant=seat).order_by("pk")) if seat is not None else []
    return {
        "workshop": workshop.pk,
        "last_seq": workshop.known_last_seq,
        "live": workshop_state_payload(workshop),
        "viewer": {"seat": seat, "facilitator": may(user, "lab.run_workshop", place)},
        "stages": [stage_payload(stage) for stage in stages],
        "lanes": [lane_payload(lane) for lane in lanes],
        "cards": [card_as_seen(user, seat, card) for card in cards],
        "curve": curve,
        "my_feelings": feelings,
        "my_dots": dots,
        "dots_left": max(workshop.dots_per_participant - len(dots), 0) if seat is not None else None,
        "votes": _votes(user, place),
    }


def _votes(user, place: At) -> dict[str, int] | None:
    if not may(user, "lab.view_votes", place):
        return None
    return dot_totals(place.workshop)


def results(user, workshop: Workshop, seat: Participant | None) -> dict:
    """Precondition: the viewer may ``lab.view_results``. Only shared cards: what was never revealed stays the
    author's."""
    stages, lanes = _layout(workshop)
    return {
        "workshop": workshop,
        "summary": workshop.summary,
        "stages": [stage_payload(stage) for stage in stages],
        "lanes": [lane_payload(lane) for lane in lanes],
        "cards": [card_payload(card) for card in _cards(workshop, lanes, private=False)],
        "curve": _curve(workshop)[0],
        "votes": _votes(user, At(seat, workshop)),
    }
