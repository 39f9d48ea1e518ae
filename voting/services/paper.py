"""The village hall: a resident hands in their letter (or is looked up) and gets a paper ballot; later two
different staff members each enter every paper ballot, and only equal entries are counted.

Handing out the paper ballot writes the register row (channel paper) and nothing else: the paper ballot
itself goes into the box without a name, so the entered sheet has no voter (decision 32).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.pagecache import invalidate_pages_after_commit
from voting.models import Ballot, BallotBox, Channel, PaperSheet, Turnout
from voting.rules import forget_vote_cache
from voting.services._common import AlreadyVoted, VotingError, lock_box, require_perm
from voting.services.casting import ALREADY_VOTED, CANNOT_VOTE, CODE_USED, find_code
from voting.services.choices import clean_choices

MAX_SHEET_NUMBER = 1_000_000


def hand_out_paper_ballot(*, actor, box: BallotBox, code: str | None = None, voter=None) -> Turnout:
    """Put the resident in the register (channel paper) before they get a paper ballot. One of ``code``
    (their letter) or ``voter`` (a resident with an account, who may vote in this box)."""
    require_perm(actor, "voting.assist_at_counter", box, _("Alleen medewerkers geven stembiljetten uit, zolang de "
                                                           "stemming open is."))
    if (code is None) == (voter is None):
        raise VotingError(_("Vul de stemcode in of kies de inwoner."), code="required")
    if voter is not None:
        require_perm(voter, "voting.vote", box, CANNOT_VOTE)
    try:
        with transaction.atomic():
            found = find_code(box, code, lock=True) if code is not None else None
            turnout = Turnout.objects.create(box=box, voter=voter, code=found, channel=Channel.PAPER,
                                             registered_by=actor)
    except IntegrityError:
        raise AlreadyVoted(str(CODE_USED if code is not None else ALREADY_VOTED), code="already_voted") from None
    if voter is not None:
        forget_vote_cache(voter)
    return turnout


def _count(box: BallotBox, choices: dict) -> None:
    """A paper ballot that counts. A poll's result shows after the close while paper is still entered, so kept
    pages start again after the commit (an online ballot cannot come after the close: it starts nothing)."""
    Ballot.objects.create(box=box, choices=choices)
    invalidate_pages_after_commit()


def _number(value) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise VotingError(_("Vul het nummer van het stembiljet in."), code="number") from None
    if not 1 <= number <= MAX_SHEET_NUMBER:
        raise VotingError(_("Het nummer van het stembiljet klopt niet."), code="number")
    return number


def enter_paper_ballot(*, actor, box: BallotBox, number, choices, spoiled: bool = False) -> PaperSheet:
    """Enter paper ballot ``number``: the first entry waits; the second (by someone else) counts it when equal,
    and flags it when not. ``spoiled``: the sheet cannot be counted (blank, unreadable, more than allowed); it is
    entered as ``{}``, and two such entries make it spoiled. Precondition: ``box`` was read with its poll or
    budget."""
    require_perm(actor, "voting.enter_paper", box, _("Alleen medewerkers voeren papieren stembiljetten in, tot de "
                                                     "uitslag er is."))
    number = _number(number)
    cleaned = {} if spoiled else clean_choices(box, choices)
    with transaction.atomic():
        lock_box(box)  # entries of one box one at a time: the paper count never passes the paper register
        sheet = PaperSheet.objects.filter(box=box, number=number).first()
        if sheet is None:
            counted = PaperSheet.objects.filter(box=box).count()
            if counted >= Turnout.objects.filter(box=box, channel=Channel.PAPER).count():
                raise VotingError(_("Er zijn niet meer papieren stembiljetten uitgegeven dan er nu zijn ingevoerd."),
                                  code="more_than_handed_out")
            return PaperSheet.objects.create(box=box, number=number, first_choices=cleaned, first_by=actor)
        if sheet.state != PaperSheet.State.WAITING:
            raise VotingError(_("Dit stembiljet is al twee keer ingevoerd."), code="done")
        if sheet.first_by_id == actor.pk:
            raise VotingError(_("U voerde dit stembiljet al in. Een collega voert het een tweede keer in."),
                              code="same_person")
        sheet.second_choices = cleaned
        sheet.second_by = actor
        if cleaned == sheet.first_choices and not cleaned:
            sheet.state = PaperSheet.State.SPOILED
        elif cleaned == sheet.first_choices:
            sheet.state = PaperSheet.State.COUNTED
            _count(box, cleaned)
        else:
            sheet.state = PaperSheet.State.MISMATCH
        sheet.save(update_fields=["second_choices", "second_by", "state"])
    return sheet


def settle_paper_ballot(*, actor, sheet: PaperSheet, choices=None, spoiled: bool = False) -> PaperSheet:
    """A third person looks at a flagged paper ballot and enters what it says (or marks it spoiled)."""
    box = sheet.box
    require_perm(actor, "voting.enter_paper", box)
    with transaction.atomic():
        lock_box(box)  # as entering does: the sheet is read again after the box's lock, so it is current
        sheet = PaperSheet.objects.get(pk=sheet.pk)
        if sheet.state != PaperSheet.State.MISMATCH:
            raise VotingError(_("Alleen een stembiljet met een verschil wordt zo afgehandeld."), code="not_mismatch")
        if actor.pk in (sheet.first_by_id, sheet.second_by_id):
            raise VotingError(_("Een derde collega bekijkt het stembiljet, niet wie het invoerde."),
                              code="same_person")
        sheet.settled_by = actor
        if spoiled:
            sheet.state = PaperSheet.State.SPOILED
        else:
            cleaned = clean_choices(box, choices)
            sheet.state = PaperSheet.State.COUNTED
            _count(box, cleaned)
        sheet.save(update_fields=["settled_by", "state"])
    return sheet
