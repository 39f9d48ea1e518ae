"""What the village hall's pages share: the box or a 404, the rule or a 403, where a box's ballot is, and the
throttle of the code page."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.errors import error_text
from core.permissions import may
from voting.models import BallotBox, Budget, Poll
from voting.selectors.hall import box_for_hall

STAFF_ONLY = _("Deze pagina is voor medewerkers van de gemeente.")
CODES_ONLY = _("Alleen medewerkers beheren stemcodes, zolang de stemming niet gesloten is.")
COUNTER_ONLY = _("De balie is voor medewerkers, zolang de stemming open is.")
PAPER_ONLY = _("Alleen medewerkers voeren papieren stembiljetten in, tot de uitslag er is.")
REGISTER_ONLY = _("Het register is voor medewerkers, en na het sluiten ook voor de dorpsraad.")
HALL_PERMS = ("voting.manage_codes", "voting.assist_at_counter", "voting.enter_paper", "voting.view_register")

# The code page's throttle: allauth's rate-limit machinery (as core.throttle uses it), with its own rates. A rate
# in ACCOUNT_RATE_LIMITS["voting_code"] (settings) wins over this default: 10 tries per 10 minutes per address
# and per browser session.
CODE_ACTION = "voting_code"
CODE_RATE = "10/10m/ip,10/10m/key"
TOO_OFTEN_STATUS = 429


def box_or_404(pk: int) -> BallotBox:
    box = box_for_hall(pk)
    if box is None or box.subject is None:
        raise Http404
    return box


def need(user, perm: str, box: BallotBox, message) -> None:
    """The rule, or a 403 that says why."""
    if not may(user, perm, box):
        raise PermissionDenied(str(message))


def can(user, box: BallotBox) -> dict[str, bool]:
    """Which of the hall's doors this person may open for ``box``."""
    return {perm.split(".")[1]: may(user, perm, box) for perm in HALL_PERMS}


def ballot_url(box: BallotBox) -> str:
    """The page where a resident fills in the box's ballot, or "" while that page does not exist."""
    subject = box.subject
    try:
        if isinstance(subject, Budget):
            return reverse("voting:ballot", args=[subject.slug])
        if isinstance(subject, Poll):
            return reverse("voting:poll", args=[subject.pk])
    except NoReverseMatch:
        return ""
    return ""


def subject_url(box: BallotBox) -> str:
    subject = box.subject
    try:
        if isinstance(subject, Budget):
            return reverse("voting:budget", args=[subject.slug])
        if isinstance(subject, Poll):
            return reverse("voting:poll", args=[subject.pk])
    except NoReverseMatch:
        return ""
    return ""


def code_page_url(request) -> str:
    """The code page's full address, as printed on the letters."""
    return request.build_absolute_uri(reverse("voting:enter_code"))


def message_of(error: ValidationError | PermissionDenied) -> str:
    return error_text(error)


def allow_code_try(request) -> bool:
    """Count one try on the code page; False once this address or browser session tried too often.

    Precondition: a POST (the throttle counts nothing on GET).
    """
    from allauth.core.internal import ratelimit

    session = request.session
    if not session.session_key:
        session.save()  # an anonymous visitor gets a session to count on
    rates = (getattr(settings, "ACCOUNT_RATE_LIMITS", None) or {}).get(CODE_ACTION, CODE_RATE)
    usage = ratelimit.consume(request, app="voting", action=CODE_ACTION, config={CODE_ACTION: rates},
                              key=f"session:{session.session_key}")
    return usage is not None
