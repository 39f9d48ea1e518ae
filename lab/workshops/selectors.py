"""Reads of a workshop's board: only what the viewer may see, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from lab.models import Card, Dot, Workshop


def dot_counts(workshop: Workshop) -> dict[int, int]:
    """Dots per live card, in one query (a merged card's dots count for the card it went into: merging points a
    whole chain at the survivor). For the result only: nothing shows these before the facilitator does
    (``lab.view_votes``)."""
    rows = (Dot.objects.filter(card__workshop=workshop).annotate(target=Coalesce("card__merged_into_id", "card_id"))
            .values("target").annotate(n=Count("pk")).values_list("target", "n"))
    return dict(rows)


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
