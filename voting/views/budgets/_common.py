"""What the budget pages share: finding the budget, the voter of a ballot (account or letter code), and the
clear page that says why someone cannot vote now and what they can do."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.permissions import may
from voting.models import Budget, BudgetPhase, WhoMayVote
from voting.rules import has_voted_in
from voting.selectors import budgets as selectors
from voting.services._common import VotingError
from voting.services.casting import CANNOT_VOTE, CODE_NOT_VALID, find_code
from voting.views._session import code_for

CAST_KEY = "voting_cast"  # session: {box id: idempotency key} of a ballot cast from this browser
RECEIPT_KEY = "voting_receipt"  # session: {box id: receipt, or "" for a replay}, until the receipt page shows it

ALREADY_VOTED = gettext_lazy("U hebt al gestemd bij dit kernbudget. Iedereen stemt één keer.")
NEEDS_CODE = gettext_lazy("Voor deze stemming hebt u de stemcode uit uw brief nodig.")
SIGN_IN = gettext_lazy("Log in om te stemmen. Hebt u nog geen account? Maak er dan een.")
NOT_HERE = gettext_lazy("Deze stemming is voor inwoners van %(kern)s. Uw account hoort bij een andere kern.")
NO_KERN = gettext_lazy("Kies eerst in welke kern u woont. Dan ziet u of u mag stemmen.")
NOT_VERIFIED = gettext_lazy("Voor deze stemming moet bevestigd zijn dat u in de kern woont. De dorpsraad of de "
                            "gemeente doet dat.")
NOT_STARTED = gettext_lazy("De stemming is nog niet begonnen.")
STARTS_AT = gettext_lazy("De stemming begint op %(start)s.")
CLOSED = gettext_lazy("De stemming is gesloten.")


def budget_or_404(slug: str) -> Budget:
    budget = selectors.budget_by_slug(slug)
    if budget is None:
        raise Http404
    return budget


def optional_url(name: str, *candidates) -> str:
    """The address of ``name`` with the first argument list that fits, or "" while no page has that name."""
    for args in candidates or ((),):
        try:
            return reverse(name, args=list(args))
        except NoReverseMatch:
            continue
    return ""


def enter_code_url() -> str:
    return optional_url("voting:enter_code") or "/stemcode/"


@dataclass
class Way:
    label: str
    url: str


@dataclass
class Voter:
    """Who fills in this ballot: the signed-in person, or the holder of the letter code in the session."""

    actor: object
    code: str | None = None
    reason: str = ""
    ways: list[Way] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.reason)


def voter_for(request, budget: Budget, *, check_voted: bool = True) -> Voter:
    """The voter of this request, or a ``Voter`` with the reason they cannot vote now and what they can do.

    The rules ``voting.vote`` / ``voting.vote_with_code`` decide; the state only picks the words. Without
    ``check_voted`` a voter who is already in the register passes (casting tells a retry from a second vote)."""
    box, user = budget.box, request.user
    code = code_for(request, box) if box.uses_letters else None
    back = Way(_("Terug naar het kernbudget"), reverse("voting:budget", args=[budget.slug]))
    if check_voted and str(box.pk) in (request.session.get(CAST_KEY) or {}):
        return Voter(user, code, str(ALREADY_VOTED), _voted_ways(budget, back))
    allowed = may(user, "voting.vote_with_code" if box.uses_letters else "voting.vote", budget)
    if not allowed:
        return Voter(user, code, *_why_not(request, budget, back))
    if box.uses_letters:
        if code is None:
            return Voter(user, None, str(NEEDS_CODE), [Way(_("Vul uw stemcode in"), enter_code_url()), back])
        try:
            found = find_code(box, code)
        except VotingError:
            return Voter(user, None, str(CODE_NOT_VALID), [Way(_("Vul uw stemcode opnieuw in"), enter_code_url()),
                                                         back])
        if check_voted and selectors.code_has_voted(found):
            return Voter(user, code, str(ALREADY_VOTED), _voted_ways(budget, back))
        return Voter(user, code)
    if check_voted and has_voted_in(user, box):
        return Voter(user, None, str(ALREADY_VOTED), _voted_ways(budget, back))
    return Voter(user)


def already_voted(budget: Budget) -> Voter:
    back = Way(_("Terug naar het kernbudget"), reverse("voting:budget", args=[budget.slug]))
    return Voter(None, None, str(ALREADY_VOTED), _voted_ways(budget, back))


def _voted_ways(budget: Budget, back: Way) -> list[Way]:
    ways = [back]
    check = optional_url("voting:check_receipt")
    if check:
        ways.insert(0, Way(_("Kijk met uw bewijscode of uw stem meetelt"), check))
    return ways


def _why_not(request, budget: Budget, back: Way) -> tuple[str, list[Way]]:
    box, user = budget.box, request.user
    if not budget.phase_reached(BudgetPhase.VOTING) or not box.has_started():
        start = formats.date_format(timezone.localtime(box.opens_at), "j F Y, H:i")
        return (str(STARTS_AT) % {"start": start} if budget.phase == BudgetPhase.VOTING else str(NOT_STARTED)), [back]
    if box.is_closed() or budget.phase != BudgetPhase.VOTING:
        ways = [back]
        if may(user, "voting.view_results", budget):
            ways.insert(0, Way(_("Bekijk de uitslag"), reverse("voting:results", args=[budget.slug])))
        return str(CLOSED), ways
    if not user.is_authenticated:
        login = reverse("account_login") + "?next=" + request.path
        return str(SIGN_IN), [Way(_("Inloggen"), login), Way(_("Account maken"), reverse("account_signup")), back]
    if box.who_may_vote in (WhoMayVote.RESIDENTS, WhoMayVote.VERIFIED):
        if user.kern_id is None:
            return str(NO_KERN), [Way(_("Kies uw kern"), reverse("community:choose_kern")), back]
        if box.kern_id is not None and user.kern_id != box.kern_id:
            return str(NOT_HERE) % {"kern": box.kern.name}, [back]
        if box.who_may_vote == WhoMayVote.VERIFIED and user.residency_verified_at is None:
            return str(NOT_VERIFIED), [back]
    return str(CANNOT_VOTE), [back]


def cannot_vote(request, budget: Budget, voter: Voter, *, status: int = 403):
    """The page that says why this person cannot vote now, and what they can do instead."""
    return render(request, "voting/budgets/cannot_vote.html", {"budget": budget, "voter": voter}, status=status)
