"""Reads for the village hall: the box with its poll or budget, codes, the counter's search, paper sheets and the
reconciliation of the register with the ballots. Every read here is one query (or a fixed few), whatever the size.

Nothing here reads what a ballot says next to who cast it: the register (``Turnout``) and the ballots are
counted apart (decision 32).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from voting.models import (
    Ballot,
    BallotBox,
    Budget,
    Channel,
    CodeEvent,
    PaperSheet,
    Poll,
    PollKind,
    ProjectState,
    Turnout,
    VotingCode,
    WhoMayVote,
)

POSTCODE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})\s*$")
SEARCH_LIMIT = 20
MIN_SEARCH = 2


def box_for_hall(pk) -> BallotBox | None:
    """The box with its poll or budget and kern (one query), or None."""
    return BallotBox.objects.select_related("poll", "budget", "kern").filter(pk=pk).first()


def postcode_of(text: str) -> str | None:
    """``"2952 AB"`` for what looks like a Dutch postcode (with or without the space, any case), else None."""
    match = POSTCODE.match(text or "")
    return f"{match.group(1)} {match.group(2).upper()}" if match else None


# --- what the ballot offers ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    """One thing to choose on the ballot, numbered as on the paper ballot."""

    key: str
    label: str
    number: int
    cost: int | None = None


def ballot_options(box: BallotBox) -> list[Option]:
    """The poll's options or the budget's projects on the ballot, in ballot order (one query; none for a scale)."""
    subject = box.subject
    if isinstance(subject, Poll):
        if subject.kind == PollKind.SCALE:
            return [Option("scale", str(value), value) for value in range(1, subject.scale_size + 1)]
        return [Option(str(pk), label, number) for number, (pk, label) in
                enumerate(subject.options.order_by("order", "pk").values_list("pk", "label"), start=1)]
    if isinstance(subject, Budget):
        rows = subject.projects.filter(state=ProjectState.FEASIBLE).order_by("pk").values_list("pk", "title", "cost")
        return [Option(str(pk), title, number, cost) for number, (pk, title, cost) in enumerate(rows, start=1)]
    return []


def chosen_options(options: list[Option], choices: dict | None) -> list[tuple[Option, int]]:
    """What an entry chose, in ballot order, with the points of each (empty for a spoiled entry)."""
    if not choices:
        return []
    if "scale" in choices:
        return [(option, 1) for option in options if option.number == choices["scale"]]
    return [(option, choices[option.key]) for option in options if choices.get(option.key)]


# --- letter codes -------------------------------------------------------------------------------------------

def codes_of(box: BallotBox, *, postcode: str | None = None):
    """The box's codes with whether each was used or replaced (annotated: no query per row), by address."""
    codes = (VotingCode.objects.filter(box=box)
             .annotate(used=Exists(Turnout.objects.filter(code=OuterRef("pk"))),
                       replaced=Exists(VotingCode.objects.filter(replaces=OuterRef("pk"))))
             .order_by("postcode", "street", "addressee", "pk"))
    if postcode:
        codes = codes.filter(postcode=postcode)
    return codes


def code_log(box: BallotBox, limit: int = 50) -> list[CodeEvent]:
    return list(CodeEvent.objects.filter(box=box).select_related("actor", "code")[:limit])


# --- the counter ----------------------------------------------------------------------------------------------

def eligible_residents(box: BallotBox):
    """People who may vote in ``box`` with their account, as the rule ``voting.is_eligible`` says (none for a box
    by letter). The rule is asked again for the one chosen; this list only finds them."""
    users = get_user_model().objects.filter(is_active=True)
    if box.who_may_vote == WhoMayVote.LETTER:
        return users.none()
    if box.who_may_vote in (WhoMayVote.RESIDENTS, WhoMayVote.VERIFIED):
        users = users.filter(kern_id=box.kern_id) if box.kern_id is not None else users.filter(kern__isnull=False)
    if box.who_may_vote == WhoMayVote.VERIFIED:
        users = users.filter(residency_verified_at__isnull=False)
    return users


def find_residents(box: BallotBox, query: str) -> list:
    """Up to 20 people who may vote in ``box`` matching every word of ``query`` (name, e-mail or postcode), each
    with ``has_voted`` (one query)."""
    query = (query or "").strip()[:100]
    if len(query) < MIN_SEARCH:
        return []
    users = eligible_residents(box)
    postcode = postcode_of(query)
    if postcode:
        users = users.filter(Q(postcode__iexact=postcode) | Q(postcode__iexact=postcode.replace(" ", "")))
    else:
        for word in query.split()[:5]:
            users = users.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                                 | Q(email__icontains=word))
    return list(users.select_related("kern")
                .annotate(has_voted=Exists(Turnout.objects.filter(box=box, voter=OuterRef("pk"))))
                .order_by("last_name", "first_name", "pk")[:SEARCH_LIMIT])


# --- paper ---------------------------------------------------------------------------------------------------

def flagged_sheets(box: BallotBox) -> list[PaperSheet]:
    return list(PaperSheet.objects.filter(box=box, state=PaperSheet.State.MISMATCH)
                .select_related("first_by", "second_by").order_by("number"))


def waiting_numbers(box: BallotBox, limit: int = 200) -> list[int]:
    return list(PaperSheet.objects.filter(box=box, state=PaperSheet.State.WAITING)
                .order_by("number").values_list("number", flat=True)[:limit])


# --- the reconciliation ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RegisterNumbers:
    """The register beside the ballots. Every channel but paper makes its ballot in the same transaction as its
    register row; a paper ballot becomes a ballot when its sheet is counted."""

    channels: dict[str, int]  # channel → people in the register
    ballots: int
    sheets: dict[str, int]  # paper sheet state → sheets
    codes_issued: int
    codes_used: int
    codes_revoked: int

    @property
    def registered(self) -> int:
        return sum(self.channels.values())

    @property
    def online(self) -> int:
        return self.registered - self.paper_handed_out

    @property
    def paper_handed_out(self) -> int:
        return self.channels.get(Channel.PAPER, 0)

    @property
    def sheets_entered(self) -> int:
        return sum(self.sheets.values())

    @property
    def paper_not_entered(self) -> int:
        return self.paper_handed_out - self.sheets_entered

    @property
    def expected_ballots(self) -> int:
        return self.online + self.sheets.get(PaperSheet.State.COUNTED, 0)

    @property
    def not_yet_ballots(self) -> int:
        """People in the register without a ballot in the count (yet): the paper that is not counted."""
        return self.registered - self.ballots

    @property
    def adds_up(self) -> bool:
        return self.ballots == self.expected_ballots and self.paper_not_entered >= 0

    @property
    def codes_open(self) -> int:
        return self.codes_issued - self.codes_used - self.codes_revoked


def _count(queryset):
    """``queryset``'s size as a subquery of the box (0 when empty)."""
    return Coalesce(Subquery(queryset.order_by().values("box").annotate(n=Count("pk")).values("n")[:1]), 0)


def register_numbers(box: BallotBox) -> RegisterNumbers:
    """One query, whatever the number of voters: every figure is a counted subquery of the box's row."""
    turnout = Turnout.objects.filter(box=OuterRef("pk"))
    sheets = PaperSheet.objects.filter(box=OuterRef("pk"))
    codes = VotingCode.objects.filter(box=OuterRef("pk"))
    figures = {f"channel_{value}": _count(turnout.filter(channel=value)) for value in Channel.values}
    figures |= {f"sheet_{value}": _count(sheets.filter(state=value)) for value in PaperSheet.State.values}
    figures |= {"n_ballots": _count(Ballot.objects.filter(box=OuterRef("pk"))), "codes_issued": _count(codes),
                "codes_revoked": _count(codes.filter(revoked_at__isnull=False)),
                "codes_used": _count(Turnout.objects.filter(box=OuterRef("pk"), code__isnull=False))}
    row = BallotBox.objects.filter(pk=box.pk).values(**figures).get()
    return RegisterNumbers(
        channels={value: row[f"channel_{value}"] for value in Channel.values if row[f"channel_{value}"]},
        ballots=row["n_ballots"],
        sheets={value: row[f"sheet_{value}"] for value in PaperSheet.State.values if row[f"sheet_{value}"]},
        codes_issued=row["codes_issued"], codes_used=row["codes_used"], codes_revoked=row["codes_revoked"])


def register_rows(box: BallotBox):
    """Who voted by which channel (never how, never when): people by name, letters by addressee."""
    return (Turnout.objects.filter(box=box).select_related("voter", "code", "registered_by")
            .order_by("channel", "voter__last_name", "voter__first_name", "code__postcode", "code__addressee", "pk"))


def code_by_hash(code_hash: str) -> VotingCode | None:
    """The code with this hash, its box (with poll or budget) and whether it was used, in one query."""
    return (VotingCode.objects.select_related("box__poll", "box__budget", "box__kern")
            .annotate(used=Exists(Turnout.objects.filter(code=OuterRef("pk"))))
            .filter(code_hash=code_hash).first())
