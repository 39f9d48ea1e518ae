"""Reads of a workshop's board: only what the viewer may see, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Q

from lab.models import Card, Dot, Workshop


def dot_counts(workshop: Workshop) -> dict[int, int]:
    """Dots per live card (a merged card's dots count for the card it went into). For the result only:
    nothing shows these before the facilitator does (``lab.view_votes``)."""
    counts: dict[int, int] = {}
    merged = dict(Card.objects.filter(workshop=workshop, merged_into__isnull=False)
                  .values_list("pk", "merged_into_id"))
    for card_id, number in (Dot.objects.filter(card__workshop=workshop).values("card_id")
                            .annotate(n=Count("pk")).values_list("card_id", "n")):
        target = merged.get(card_id, card_id)
        counts[target] = counts.get(target, 0) + number
    return counts


def visible_cards(workshop: Workshop, participant=None, *, facilitator: bool = False):
    """The board's live cards as the viewer may see them: every shared card, and the private cards that are the
    viewer's own (all of them for a facilitator). Matches the rule ``lab.view_card``.

    Preconditions: the viewer may ``lab.view_board``; ``participant`` is their own seat (``seats.seat_for``);
    ``facilitator`` is whether they are one of this workshop's facilitators (``lab.rules.facilitates``)."""
    cards = Card.objects.filter(workshop=workshop, merged_into__isnull=True).select_related("author")
    if facilitator:
        return cards
    own = Q(author=participant) if participant is not None else Q(pk__in=[])
    return cards.filter(Q(private=False) | own)
