"""The code page (``/stemcode/``): a resident types the code from their letter and goes on to the ballot.

Anyone may use it, signed in or not. Every try counts against a throttle (per address and per browser session),
so codes cannot be guessed here; they carry 130 random bits anyway. A code that is right is checked with
``find_code`` and kept in the session (``voting.views._session``) until the ballot is cast.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.permissions import may
from voting.forms.hall import CodeEntryForm
from voting.selectors.hall import code_by_hash
from voting.services._common import ALPHABET, CODE_LENGTH, VotingError, hash_secret, normalise
from voting.services.casting import CODE_NOT_VALID, CODE_USED, find_code
from voting.views._session import remember_code
from voting.views.hall._common import TOO_OFTEN_STATUS, allow_code_try, ballot_url

WRONG = gettext_lazy("Deze stemcode kennen we niet. Kijk de code in uw brief na en probeer het opnieuw.")
REVOKED = gettext_lazy("Deze stemcode is ingetrokken. Misschien kreeg u een nieuwe brief. Gebruik de code uit de "
                       "nieuwste brief.")
TOO_OFTEN = gettext_lazy("U hebt te vaak een stemcode geprobeerd. Probeer het over tien minuten opnieuw. Of bel de "
                         "gemeente op 14 0184.")
NOT_YET = gettext_lazy("De stemming is nog niet begonnen. U kunt stemmen vanaf %(start)s.")
CLOSED = gettext_lazy("De stemming is gesloten. Stemmen kan niet meer.")
NO_PAGE = gettext_lazy("Deze stemming heeft nog geen stembiljet op de website. Bel de gemeente op 14 0184.")


def _refusal(user, typed: str) -> tuple[str, object | None]:
    """Why ``typed`` does not lead to a ballot now ("" when it does), and the code it is (if it is one)."""
    code = normalise(typed)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return str(WRONG), None
    found = code_by_hash(hash_secret(code))
    if found is None:
        return str(WRONG), None
    if found.is_revoked:
        return str(REVOKED), None
    if found.used:
        return str(CODE_USED), None
    box = found.box
    if not box.uses_letters:
        return str(WRONG), None
    if not may(user, "voting.vote_with_code", box):
        if not box.has_started():
            start = formats.date_format(timezone.localtime(box.opens_at), "j F Y, H:i")
            return str(NOT_YET) % {"start": start}, None
        return str(CLOSED), None
    return "", found


@never_cache
@require_http_methods(["GET", "POST"])
def enter_code(request):
    form = CodeEntryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not allow_code_try(request):
            form.is_valid()
            form.add_error(None, str(TOO_OFTEN))
            status = TOO_OFTEN_STATUS
        elif form.is_valid():
            reason, found = _refusal(request.user, form.cleaned_data["code"])
            target = ballot_url(found.box) if found is not None else ""
            if found is not None and not target:
                reason = str(NO_PAGE)
            if not reason:
                code = normalise(form.cleaned_data["code"])
                try:
                    find_code(found.box, code)  # the contract of the ballot pages: checked before it is kept
                except VotingError:
                    reason = str(CODE_NOT_VALID)
                else:
                    remember_code(request, found.box, code)
                    return redirect(target)
            form.add_error("code", reason)
        if form.errors and status == 200:
            status = 400
    return render(request, "voting/hall/enter_code.html", {"form": form, "title": _("Stemmen met uw stemcode")},
                  status=status)
