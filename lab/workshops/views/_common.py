"""What every workshop page shares: the workshop or a 404, the request's seat, a refused step as a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery, Value
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from core.aggregates import Joined, split_ids
from core.errors import error_text
from lab.models import Workshop
from lab.workshops.seats import At, seat_of  # noqa: F401  (views take seat_of from here)
from lab.workshops.services import stream_of
from live.services import last_seq_subquery

# A board form sent by static/js/workshop-board.js carries this header: it wants the card, not a redirect.
FRAGMENT_HEADER = "HTTP_X_BOARD_FRAGMENT"


def workshop_or_404(pk: int, *related: str) -> Workshop:
    """The workshop with its facilitators' ids (the cache ``lab.rules.facilitates`` keeps) and its board's
    position (``board_seq``, the stream's last sequence number, read in the same snapshot) read along: one query."""
    ids = (Workshop.facilitators.through.objects.filter(workshop=OuterRef("pk")).values("workshop")
           .annotate(joined=Joined("user_id")).values("joined"))
    workshop = (Workshop.objects.select_related("kern", *related)
                .annotate(facilitator_ids=Subquery(ids), board_seq=last_seq_subquery(Value(stream_of(pk))))
                .filter(pk=pk).first())
    if workshop is None:
        raise Http404
    workshop._facilitator_ids = split_ids(workshop.facilitator_ids)
    return workshop


def at(seat, target) -> At:
    return At(seat, target)


def wants_fragment(request) -> bool:
    return request.META.get(FRAGMENT_HEADER) == "1"


def board_url(workshop: Workshop, *, stage_id: int | None = None, anchor: str = "") -> str:
    url = reverse("lab:board", args=[workshop.pk])
    if stage_id:
        url += f"?fase={stage_id}"
    return url + (f"#{anchor}" if anchor else "")


def post_action(request, action, success: str, back: str):
    """Run ``action`` (one service call); a refusal becomes the person's message, nothing changed."""
    try:
        action()
    except (ValidationError, PermissionDenied) as error:
        if wants_fragment(request):
            return JsonResponse({"error": error_text(error)}, status=400 if isinstance(error, ValidationError)
                                else 403)
        messages.error(request, error_text(error))
    else:
        if wants_fragment(request):
            return JsonResponse({"ok": True, "message": success})
        if success:
            messages.success(request, success)
    return redirect(back)
