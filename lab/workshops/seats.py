"""Who a request is on a workshop's board: a participant found by the signed-in person or by the device token.

Rules about a board are asked with ``At(participant, target)``: ``target`` is the workshop, a stage, a lane or
a card, and ``participant`` is the request's own seat in that workshop (None when it has none). The seat is
found here and only here, so a forged token or a seat in another workshop never reaches a rule.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat

from core.aggregates import Joined
from lab.models import Card, Dot, Feeling, Lane, Participant, Stage, Workshop

DEVICE_COOKIE = "samenlab_deelnemer"
DEVICE_TOKEN_BYTES = 24


@dataclass(frozen=True)
class At:
    participant: Participant | None
    target: Workshop | Stage | Lane | Card

    @property
    def workshop(self) -> Workshop:
        return workshop_of(self.target)


def workshop_of(obj) -> Workshop:
    if isinstance(obj, At):
        return obj.workshop
    if isinstance(obj, Workshop):
        return obj
    return obj.workshop


def new_device_token() -> str:
    return secrets.token_urlsafe(DEVICE_TOKEN_BYTES)


# The device keeps its token for a month: long enough for a series of sessions, then it joins again.
DEVICE_COOKIE_AGE = timedelta(days=30)


def set_device_cookie(request, response, token: str) -> None:
    """Let this device keep its seat's token (sent only to this site, never readable by scripts)."""
    response.set_cookie(DEVICE_COOKIE, token, max_age=int(DEVICE_COOKIE_AGE.total_seconds()), httponly=True,
                        samesite="Lax", secure=request.is_secure(), path="/")


def is_device_token(value: str) -> bool:
    """Whether ``value`` has the form of a token this site hands out (32 URL-safe characters)."""
    return bool(value) and len(value) == 32 and all(c.isalnum() or c in "-_" for c in value) and value.isascii()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def seat_for(*, user, workshop: Workshop, device_token: str = "", with_board: bool = False) -> Participant | None:
    """The participant that ``user`` (signed in) or ``device_token`` is in ``workshop``, or None.

    ``with_board`` reads the seat's own dots and feelings along (``board_dots``: "card:dot" texts,
    ``board_feelings``: "stage:kind:score" texts; read them with ``core.aggregates.split_texts``): the board page
    asks for nothing else about the seat.
    """
    seats = Participant.objects.filter(workshop=workshop)
    if with_board:
        seats = seats.annotate(board_dots=_joined(Dot, "card_id", "pk"),
                               board_feelings=_joined(Feeling, "stage_id", "kind", "score"))
    if user is not None and user.is_authenticated:
        found = seats.filter(user=user).first()
        if found is not None:
            return found
    if is_device_token(device_token):
        return seats.filter(device_token_hash=token_hash(device_token)).first()
    return None


def _joined(model, *fields: str) -> Subquery:
    """The seat's rows of ``model`` as one text of "a:b…" parts (``core.aggregates.Joined``)."""
    parts = []
    for field in fields:
        parts += [Cast(field, CharField()), Value(":")]
    rows = (model.objects.filter(participant=OuterRef("pk")).values("participant")
            .annotate(joined=Joined(Concat(*parts[:-1], output_field=CharField()))).values("joined"))
    return Subquery(rows)


def seat_of(request, workshop: Workshop, *, with_board: bool = False) -> Participant | None:
    """The request's own participant in ``workshop`` (``seat_for`` with its signed-in person and device cookie)."""
    return seat_for(user=request.user, workshop=workshop, device_token=request.COOKIES.get(DEVICE_COOKIE, ""),
                    with_board=with_board)
