"""Paper ballots from the village hall's box, each entered by two different staff members; a sheet whose two
entries differ is settled by a third colleague (or marked spoiled), who sees both entries side by side."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from voting.forms.hall import ChoicesForm, PaperEntryForm
from voting.models import PaperSheet
from voting.selectors.hall import ballot_options, chosen_options, flagged_sheets, register_numbers, waiting_numbers
from voting.services._common import VotingError
from voting.services.paper import enter_paper_ballot, settle_paper_ballot
from voting.views.hall._common import PAPER_ONLY, box_or_404, message_of, need


def _entered_message(sheet: PaperSheet) -> str:
    if sheet.state == PaperSheet.State.WAITING:
        return _("Stembiljet %(n)s is ingevoerd. Een collega voert het nog een keer in.") % {"n": sheet.number}
    if sheet.state == PaperSheet.State.COUNTED:
        return _("Stembiljet %(n)s is twee keer gelijk ingevoerd en telt nu mee.") % {"n": sheet.number}
    if sheet.state == PaperSheet.State.SPOILED:
        return _("Stembiljet %(n)s is twee keer als ongeldig ingevoerd. Het telt niet mee.") % {"n": sheet.number}
    return _("Stembiljet %(n)s is anders ingevoerd dan de eerste keer. Een derde collega bekijkt het.") % {
        "n": sheet.number}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def paper(request, box: int):
    box = box_or_404(box)
    need(request.user, "voting.enter_paper", box, PAPER_ONLY)
    options = ballot_options(box)
    form = PaperEntryForm(request.POST or None, box=box, options=options)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sheet = enter_paper_ballot(actor=request.user, box=box, number=data["number"],
                                       choices=form.raw_choices(), spoiled=data["spoiled"])
        except (VotingError, PermissionDenied) as error:
            form.add_error(None, message_of(error))
        else:
            level = messages.WARNING if sheet.state == PaperSheet.State.MISMATCH else messages.SUCCESS
            messages.add_message(request, level, _entered_message(sheet))
            return redirect("voting:paper", box=box.pk)
    flagged = flagged_sheets(box)
    for sheet in flagged:
        sheet.first = chosen_options(options, sheet.first_choices)
        sheet.second = chosen_options(options, sheet.second_choices)
    return render(request, "voting/hall/paper.html", {
        "box": box, "form": form, "flagged": flagged, "waiting": waiting_numbers(box),
        "numbers": register_numbers(box)}, status=400 if form.errors else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def settle(request, box: int, sheet: int):
    """A flagged sheet: both entries side by side; a third colleague enters what it says or marks it spoiled."""
    box = box_or_404(box)
    need(request.user, "voting.enter_paper", box, PAPER_ONLY)
    found = (PaperSheet.objects.select_related("first_by", "second_by", "settled_by")
             .filter(box=box, pk=sheet).first())
    if found is None:
        raise Http404
    found.box = box  # read with its poll or budget
    options = ballot_options(box)
    form = ChoicesForm(request.POST or None, box=box, options=options)
    if request.method == "GET" and found.first_choices:
        form.initial_from(found.first_choices)
    if request.method == "POST" and form.is_valid():
        spoiled = request.POST.get("action") == "spoiled"
        try:
            settle_paper_ballot(actor=request.user, sheet=found, choices=None if spoiled else form.raw_choices(),
                                spoiled=spoiled)
        except (VotingError, PermissionDenied) as error:
            form.add_error(None, message_of(error))
        else:
            if spoiled:
                messages.success(request, _("Stembiljet %(n)s is ongeldig verklaard.") % {"n": found.number})
            else:
                messages.success(request, _("Stembiljet %(n)s is afgehandeld en telt nu mee.") % {"n": found.number})
            return redirect("voting:paper", box=box.pk)
    entered_it = request.user.pk in (found.first_by_id, found.second_by_id)
    rows = []
    first, second = dict(found.first_choices or {}), dict(found.second_choices or {})
    if "scale" in first or "scale" in second:
        rows.append((_("Waarde op de schaal"), first.get("scale", "-"), second.get("scale", "-"),
                     first.get("scale") != second.get("scale")))
    else:
        for option in options:
            a, b = first.get(option.key, 0), second.get(option.key, 0)
            rows.append((f"{option.number}. {option.label}", a, b, a != b))
    return render(request, "voting/hall/settle.html", {
        "box": box, "sheet": found, "form": form, "rows": rows, "entered_it": entered_it,
        "first_spoiled": not first, "second_spoiled": not second},
        status=400 if form.errors else 200)
