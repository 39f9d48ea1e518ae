"""The counter in the village hall: find the resident (an account holder who may vote in this box, or the holder
of a letter code), then hand out a paper ballot, or help them vote on this computer.

Helping to vote uses the counter's own ballot page: the whole ballot in one form, cast with ``at_counter``, so the
register says "met hulp aan de balie" and who helped. Who is being helped is kept in the staff member's session
until the ballot is cast (a letter's code never goes into the page).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from voting.forms.hall import ChoicesForm, CounterCodeForm, ResidentSearchForm
from voting.models import Turnout
from voting.selectors.hall import ballot_options, eligible_residents, find_residents
from voting.services._common import VotingError, normalise
from voting.services.casting import CODE_USED, cast_ballot, find_code
from voting.services.paper import hand_out_paper_ballot
from voting.views.hall._common import COUNTER_ONLY, box_or_404, message_of, need

SESSION_KEY = "voting_counter"  # {box id: {"voter": id} or {"code": code}}: whom this staff member is helping
NOT_ELIGIBLE = gettext_lazy("Deze inwoner mag bij deze stemming niet stemmen.")
HAS_VOTED = gettext_lazy("Deze inwoner heeft al gestemd. Iedereen stemt één keer.")


def _helping(request, box) -> dict | None:
    return (request.session.get(SESSION_KEY) or {}).get(str(box.pk))


def _help(request, box, who: dict | None) -> None:
    helping = dict(request.session.get(SESSION_KEY) or {})
    if who is None:
        helping.pop(str(box.pk), None)
    else:
        helping[str(box.pk)] = who
    request.session[SESSION_KEY] = helping


def _resident(box, pk) -> object | None:
    """The account holder ``pk`` if they may vote in ``box`` (the list the counter searches), else None."""
    if not str(pk).isdigit():
        return None
    return eligible_residents(box).filter(pk=int(pk)).first()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def counter(request, box: int):
    box = box_or_404(box)
    need(request.user, "voting.assist_at_counter", box, COUNTER_ONLY)
    if request.method == "POST":
        return _act(request, box)
    search = ResidentSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    return render(request, "voting/hall/counter.html", {
        "box": box, "search": search, "query": query,
        "residents": find_residents(box, query) if not box.uses_letters else [],
        "code_form": CounterCodeForm(auto_id="code-%s"), "helping": _helping(request, box)})


def _act(request, box):
    """"Geef papieren stembiljet" or "Help bij stemmen", for the resident chosen or the code typed."""
    action = request.POST.get("action")
    back = redirect("voting:counter", box=box.pk)
    voter, code = None, None
    if "voter" in request.POST:
        voter = _resident(box, request.POST.get("voter"))
        if voter is None:
            messages.error(request, str(NOT_ELIGIBLE))
            return back
        who, name = {"voter": voter.pk}, voter.display_name
    else:
        form = CounterCodeForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors.get("code", [])))
            return back
        code = normalise(form.cleaned_data["code"])
        try:
            found = find_code(box, code)
        except VotingError as error:
            messages.error(request, message_of(error))
            return back
        who, name = {"code": code}, found.addressee
    if action == "paper":
        try:
            hand_out_paper_ballot(actor=request.user, box=box, code=code, voter=voter)
        except (VotingError, PermissionDenied) as error:
            messages.error(request, message_of(error))
        else:
            messages.success(request, _("%(name)s staat nu in het register. Geef een papieren stembiljet. Het "
                                        "biljet gaat zonder naam in de stembus.") % {"name": name})
        return back
    if action == "assist":
        voted = (Turnout.objects.filter(box=box, voter=voter).exists() if voter is not None
                 else Turnout.objects.filter(code=found).exists())
        if voted:
            messages.error(request, str(HAS_VOTED if voter is not None else CODE_USED))
            return back
        _help(request, box, {**who, "name": name})
        return redirect("voting:counter_ballot", box=box.pk)
    messages.error(request, _("Kies wat u wilt doen."))
    return back


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def counter_ballot(request, box: int):
    """The ballot in one form, for the resident this staff member is helping."""
    box = box_or_404(box)
    need(request.user, "voting.assist_at_counter", box, COUNTER_ONLY)
    who = _helping(request, box)
    if who is None:
        messages.info(request, _("Zoek eerst de inwoner die u helpt."))
        return redirect("voting:counter", box=box.pk)
    options = ballot_options(box)
    form = ChoicesForm(request.POST or None, box=box, options=options)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "stop":
        _help(request, box, None)
        messages.info(request, _("U helpt niemand meer bij deze stemming. Er is niet gestemd."))
        return redirect("voting:counter", box=box.pk)
    if request.method == "POST" and form.is_valid():
        voter = _resident(box, who["voter"]) if "voter" in who else None
        try:
            if "voter" in who and voter is None:
                raise VotingError(str(NOT_ELIGIBLE), code="not_eligible")
            cast = cast_ballot(actor=request.user, box=box, choices=form.raw_choices(),
                               idempotency_key=request.POST.get("key", ""), code=who.get("code"), for_voter=voter,
                               at_counter=True)
        except (VotingError, PermissionDenied) as error:
            form.add_error(None, message_of(error))
        else:
            _help(request, box, None)
            if cast.replayed:
                messages.success(request, _("Deze stem was al geteld."))
            else:
                messages.success(request, _("De stem van %(name)s is geteld. De controlecode is %(receipt)s. Geef "
                                            "die aan de inwoner.") % {"name": who["name"], "receipt": cast.receipt})
            return redirect("voting:counter", box=box.pk)
    if form.errors:
        status = 400
    return render(request, "voting/hall/counter_ballot.html", {
        "box": box, "form": form, "who": who, "key": request.POST.get("key") or uuid.uuid4().hex}, status=status)
