"""What the board's stream and the API say about a card, a stage, a lane and the workshop.

Every payload is fit for every participant (the stream does not filter): a private card is said to exist, in
its cell, without its text or its author; dots are never in a payload before the facilitator shows the result.
"""

from __future__ import annotations

from lab.models import Card, Lane, Stage, Workshop


def card_payload(card: Card) -> dict:
    """The card as everyone on the board may see it (a private card without text, author or photo)."""
    data = {"id": card.pk, "stage": card.stage_id, "lane": card.lane_id, "private": card.private,
            "merged_into": card.merged_into_id, "order": card.order}
    if card.private:
        return data
    author = card.author
    data.update(text=card.text, group=card.group_label, author_id=card.author_id,
                author=author.public_name if author is not None else "", photo=card.photo_payload())
    return data


def gone_card_payload(card: Card) -> dict:
    """A removed card in the events stored before it went: that it was there, nothing it said."""
    return {"id": card.pk, "stage": card.stage_id, "lane": card.lane_id, "private": True,
            "merged_into": card.merged_into_id, "order": card.order}


def own_card_payload(card: Card) -> dict:
    """The card as its author and the facilitators see it (the text of a private card too)."""
    data = card_payload(card)
    author = card.author
    data.update(text=card.text, group=card.group_label, author_id=card.author_id,
                author=author.public_name if author is not None else "", photo=card.photo_payload())
    return data


def stage_payload(stage: Stage) -> dict:
    return {"id": stage.pk, "title": stage.title, "order": stage.order}


def lane_payload(lane: Lane) -> dict:
    return {"id": lane.pk, "kind": lane.kind, "title": lane.title, "order": lane.order, "locked": lane.locked,
            "votable": lane.votable}


def workshop_state_payload(workshop: Workshop) -> dict:
    """The facilitator's controls as every device shows them."""
    return {
        "state": workshop.state, "phase": workshop.phase, "revealed": workshop.revealed,
        "board_locked": workshop.board_locked, "votes_shown": workshop.votes_shown,
        "dots_per_participant": workshop.dots_per_participant,
        "timer_ends_at": workshop.timer_ends_at.isoformat() if workshop.timer_ends_at else None,
        "spotlight": workshop.spotlight_id, "focus_stage": workshop.focus_stage_id,
    }
