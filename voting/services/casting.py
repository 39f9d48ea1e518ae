"""Casting a ballot: one person (or one letter code), one ballot, whatever the channel or the number of servers.

The register row (``Turnout``) and the ballot are written in one transaction; the register's unique
constraints make the second of two parallel requests fail before its ballot exists (decision 32).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from voting.models import Ballot, BallotBox, BallotDraft, Channel, PublicVote, Turnout, VotingCode
from voting.rules import forget_vote_cache
from voting.services._common import (
    RECEIPT_LENGTH,
    AlreadyVoted,
    VotingError,
    grouped,
    hash_secret,
    random_secret,
    require_perm,
)
from voting.services.choices import clean_choices

KEY_MAX = 64
CANNOT_VOTE = gettext_lazy("U kunt nu niet stemmen bij deze stemming. Kijk of de stemming open is en of u mag "
                           "meedoen.")
ALREADY_VOTED = gettext_lazy("U hebt al gestemd. Iedereen stemt één keer.")
CODE_NOT_VALID = gettext_lazy("Deze stemcode klopt niet of is niet meer geldig. Kijk de code na of bel de gemeente.")
CODE_USED = gettext_lazy("Met deze stemcode is al gestemd.")


@dataclass(frozen=True)
class Cast:
    """What the voter hears: counted, with a receipt to check it; ``replayed``: this was a retry of a counted
    ballot (the receipt was shown the first time and is not kept anywhere, so it cannot be shown again)."""

    receipt: str | None
    replayed: bool


def owner_key(*, voter=None, code_hash: str = "") -> str:
    """Who a draft belongs to: ``user:<id>`` or ``code:<hash>``."""
    return f"code:{code_hash}" if code_hash else f"user:{voter.pk}"


def find_code(box: BallotBox, code: str, *, lock: bool = False) -> VotingCode:
    """The box's unrevoked code for what was typed, or ``VotingError``."""
    queryset = VotingCode.objects.filter(box=box, code_hash=hash_secret(code), revoked_at__isnull=True)
    found = (queryset.select_for_update(of=("self",)) if lock else queryset).first()
    if found is None:
        raise VotingError(str(CODE_NOT_VALID), code="code_invalid")
    return found


def _key(idempotency_key) -> str:
    if idempotency_key in (None, ""):
        return ""
    if not isinstance(idempotency_key, str) or len(idempotency_key) > KEY_MAX or not idempotency_key.isprintable():
        raise VotingError(_("De sleutel van dit verzoek is ongeldig."), code="idempotency_key")
    return idempotency_key


def cast_ballot(*, actor, box: BallotBox, choices, idempotency_key: str = "", code: str | None = None,
                for_voter=None, at_counter: bool = False) -> Cast:
    """Cast the ballot of ``actor`` (web), of a letter ``code`` (online), or at the counter (``at_counter``:
    ``actor`` is the staff member helping the resident, who is ``for_voter`` or the holder of ``code``).

    Precondition: ``box`` was read with its poll or budget (``select_related``). Raises ``VotingError`` or
    ``PermissionDenied`` and changes nothing when the ballot may not be cast or says something invalid.
    """
    key = _key(idempotency_key)
    assisted = at_counter or for_voter is not None
    if assisted and code is None and for_voter is None:
        raise VotingError(_("Kies de inwoner of vul de stemcode in."), code="required")
    if assisted:
        require_perm(actor, "voting.assist_at_counter", box, CANNOT_VOTE)
    if code is not None:
        require_perm(actor, "voting.vote_with_code", box, CANNOT_VOTE)
        voter = None
    else:
        voter = for_voter if for_voter is not None else actor
        require_perm(voter, "voting.vote", box, CANNOT_VOTE)
    cleaned = clean_choices(box, choices)
    channel = Channel.COUNTER if assisted else (Channel.CODE if code is not None else Channel.WEB)
    receipt = random_secret(RECEIPT_LENGTH)
    found = None
    try:
        with transaction.atomic():
            found = find_code(box, code, lock=True) if code is not None else None
            Turnout.objects.create(box=box, voter=voter, code=found, channel=channel, idempotency_key=key,
                                   registered_by=actor if assisted else None)
            Ballot.objects.create(box=box, choices=cleaned, receipt_hash=hash_secret(receipt))
            if not box.secret and voter is not None:
                PublicVote.objects.create(box=box, voter=voter, choices=cleaned)
            BallotDraft.objects.filter(
                box=box, owner=owner_key(voter=voter, code_hash=found.code_hash if found else "")).delete()
    except IntegrityError:
        return _replay(box, voter=voter, code=found, key=key)
    if voter is not None:
        forget_vote_cache(voter)
    # No new page generation: no kept page shows a ballot or the turnout (decision 35), and a busy vote would
    # otherwise empty the whole page cache with every ballot.
    return Cast(receipt=grouped(receipt), replayed=False)


def _replay(box: BallotBox, *, voter, code: VotingCode | None, key: str) -> Cast:
    """The register already holds this voter or ``code`` (the row read under its lock): the same request again
    (same key) is told "counted"; anything else is refused."""
    if code is not None:
        turnout, refusal = Turnout.objects.filter(code=code).first(), CODE_USED
    else:
        turnout, refusal = Turnout.objects.filter(box=box, voter=voter).first(), ALREADY_VOTED
    if key and getattr(turnout, "idempotency_key", None) == key:
        return Cast(receipt=None, replayed=True)
    raise AlreadyVoted(str(refusal), code="already_voted")


def receipt_counted(box: BallotBox, receipt: str) -> bool:
    """Whether the ballot with this receipt is in ``box`` (and so in the count). Says nothing of its content."""
    if not isinstance(receipt, str) or not receipt.strip() or len(receipt) > 64:
        return False
    return Ballot.objects.filter(box=box, receipt_hash=hash_secret(receipt)).exists()
