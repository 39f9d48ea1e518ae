"""Casting a poll's ballot from its card (on the poll page, a kern page, an initiative, a content page).

The form carries an idempotency key made when it was rendered: a double click, a retry or Back-and-send-again
is told "counted" once more, never counted twice. A resident without an account votes with the letter code the
code page kept in the session (``voting.views._session``). Afterwards the card shows "Uw stem is geteld" with the
receipt, once.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import error_text
from core.permissions import may
from voting.forms.polls import read_ballot, read_key
from voting.models import BallotBox, Poll
from voting.services._common import VotingError
from voting.services.casting import cast_ballot
from voting.views._session import code_for, forget_code
from voting.views.polls._common import back_to, remember_code_vote, remember_vote

NEEDS_CODE = gettext_lazy("Voor deze peiling hebt u de stemcode uit uw brief nodig. Vul eerst uw code in.")


@require_POST
def vote(request, pk: int):
    poll = Poll.objects.select_related("box", "initiative").filter(pk=pk).first()
    if poll is None or not may(request.user, "voting.view_poll", poll):
        raise Http404
    box = poll.box
    BallotBox.poll.related.set_cached_value(box, poll)  # cast_ballot reads the box's poll
    back = back_to(request, poll.get_absolute_url())
    code = None
    try:
        choices = read_ballot(poll.kind, request.POST)
        if box.uses_letters and not may(request.user, "voting.vote", poll):
            code = code_for(request, box)
            if code is None:
                raise VotingError(str(NEEDS_CODE), code="code_needed")
        cast = cast_ballot(actor=request.user, box=box, choices=choices, idempotency_key=read_key(request.POST),
                           code=code)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect(f"{back}#peiling-{poll.pk}")
    if code is not None:
        forget_code(request, box)
        remember_code_vote(request, box.pk)
    remember_vote(request, box.pk, cast.receipt)
    if cast.replayed:
        messages.info(request, _("Deze stem was al geteld. Iedereen stemt één keer."))
    return redirect(f"{back}#peiling-{poll.pk}")
