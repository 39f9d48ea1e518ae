"""What the poll pages share: what this browser did (voted, its receipt), where to go back to, the code page."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from voting.views._session import SESSION_KEY as CODES_KEY

RECEIPTS_KEY = "voting_poll_receipts"  # session: {box id: receipt ("" after a replay)}, until a card shows it
VOTED_KEY = "voting_poll_voted"  # session: box ids this browser voted in with a letter code
BACK_FIELD = "terug"
BACK_MAX = 500


def remember_vote(request, box_id: int, receipt: str | None) -> None:
    receipts = dict(request.session.get(RECEIPTS_KEY) or {})
    receipts[str(box_id)] = receipt or ""
    request.session[RECEIPTS_KEY] = receipts


def remember_code_vote(request, box_id: int) -> None:
    voted = list(request.session.get(VOTED_KEY) or [])
    if box_id not in voted:
        request.session[VOTED_KEY] = [*voted, box_id]


def take_receipt(request, box_id: int) -> str | None:
    """The receipt of the ballot this browser just cast in ``box_id`` ("" after a replay), shown once: it is
    forgotten as it is read. None when there is none."""
    session = getattr(request, "session", None)
    if session is None or not session.get(RECEIPTS_KEY):
        return None
    receipts = dict(session[RECEIPTS_KEY])
    receipt = receipts.pop(str(box_id), None)
    if receipt is not None:
        session[RECEIPTS_KEY] = receipts
    return receipt


def session_boxes(request) -> tuple[frozenset[int], frozenset[int]]:
    """The boxes this browser voted in with a letter code, and those it holds a checked letter code for."""
    session = getattr(request, "session", None)
    if session is None:
        return frozenset(), frozenset()
    voted = frozenset(int(pk) for pk in session.get(VOTED_KEY) or [] if str(pk).isdigit())
    codes = frozenset(int(pk) for pk in (session.get(CODES_KEY) or {}) if str(pk).isdigit())
    return voted, codes


def viewer_cards(request, polls, **kwargs) -> list:
    """``voting.selectors.polls.cards_for`` with what this browser did: letter-code votes, codes it holds, and the
    receipt of a ballot it just cast (taken, so shown once)."""
    from voting.selectors.polls import cards_for

    voted, codes = session_boxes(request)
    cards = cards_for(request, polls, session_voted=voted, session_codes=codes, **kwargs)
    for card in cards:
        card.receipt = take_receipt(request, card.data.box_id)
        card.voted = card.voted or card.receipt is not None
    return cards


def back_to(request, default: str) -> str:
    """Where the ballot form came from (a page of this site), or ``default``."""
    target = request.POST.get(BACK_FIELD, "")
    if (isinstance(target, str) and 0 < len(target) <= BACK_MAX and target.startswith("/")
            and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())):
        return target.split("#")[0]
    return default


def code_page_url() -> str:
    """The page where a resident types the code from their letter ("" while it does not exist)."""
    try:
        return reverse("voting:enter_code")
    except NoReverseMatch:
        return ""
