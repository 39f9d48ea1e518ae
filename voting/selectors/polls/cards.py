"""Each viewer's card of a poll: may they vote, did they vote, may they see the result (the rules decide), and
the counts they may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.pagecache import generation
from core.permissions import may
from voting.models import Poll, PollKind, PublicVote, Turnout
from voting.rules import has_voted_in
from voting.selectors.polls.kept import PUBLIC_VOTES_SHOWN, PollData, count_polls, voting_map
from voting.services.results import PollTally

# The viewer's card --------------------------------------------------------------------------------------------

@dataclass
class ResultRow:
    label: str
    count: int
    percent: int


@dataclass
class PollCard:
    """One poll as one viewer sees it. ``tally`` is set only where ``voting.view_results`` allows it."""

    data: PollData
    poll: Poll
    state: str
    may_vote: bool = False
    may_vote_with_code: bool = False
    has_code: bool = False
    voted: bool = False
    may_change: bool = False
    shows_results: bool = False
    tally: PollTally | None = None
    public_votes: list = field(default_factory=list)
    public_votes_more: int = 0
    receipt: str | None = None  # of the ballot this browser just cast ("" after a replay); shown once

    @property
    def rows(self) -> list[ResultRow]:
        if self.tally is None:
            return []
        if self.data.kind == PollKind.SCALE:
            keys = [(str(value), str(value)) for value in range(1, self.data.scale_size + 1)]
        else:
            keys = [(str(option_id), label) for option_id, label in self.data.options]
        return [ResultRow(label=label, count=self.tally.counts.get(key, 0), percent=self.tally.share(key))
                for key, label in keys]

    @property
    def scale_values(self) -> range:
        return range(1, self.data.scale_size + 1)

    @property
    def average(self) -> float | None:
        """The mean of a scale (the template writes it with one decimal, in the page's language)."""
        if self.tally is None or self.data.kind != PollKind.SCALE or not self.tally.ballots:
            return None
        total = sum(int(key) * count for key, count in self.tally.counts.items() if key.isdigit())
        return total / self.tally.ballots

    @property
    def can_ballot(self) -> bool:
        """The ballot form is shown: with one's account, or with a letter code kept in the session."""
        return not self.voted and (self.may_vote or (self.may_vote_with_code and self.has_code))


def note_votes(user, boxes) -> None:
    """Read in one query which of ``boxes`` (ids) ``user`` voted in, into the cache ``voting.rules.has_voted_in``
    reads, so that asking the rules for every card costs nothing more."""
    if not user.is_authenticated:
        return
    cache_of_user = user.__dict__.setdefault("_voted_boxes", {})
    wanted = [pk for pk in boxes if pk not in cache_of_user]
    if not wanted:
        return
    voted = set(Turnout.objects.filter(voter=user, box_id__in=wanted).values_list("box_id", flat=True))
    for pk in wanted:
        cache_of_user[pk] = pk in voted


def cards_for(request, polls: list[PollData], *, initiative=None, public_votes: bool = False,
              session_voted=frozenset(), session_codes=frozenset()) -> list[PollCard]:
    """The cards of ``polls`` for the viewer of ``request`` that may see them: a fixed number of queries.

    ``initiative``: the (visible) initiative the polls belong to, so the rule asks no query for it.
    ``session_voted``/``session_codes``: the boxes this browser voted in or holds a checked letter code for.
    """
    user = request.user
    now = timezone.now()
    kept = voting_map()
    note_votes(user, [poll.box_id for poll in polls])
    cards = []
    for data in polls:
        poll = data.as_poll()
        if initiative is not None and data.initiative_id == initiative.pk:
            poll.initiative = initiative
        if not may(user, "voting.view_poll", poll):
            continue
        state = data.state(now)
        card = PollCard(data=data, poll=poll, state=state)
        card.may_vote = may(user, "voting.vote", poll)
        card.may_vote_with_code = may(user, "voting.vote_with_code", poll)
        card.has_code = data.box_id in session_codes
        card.voted = has_voted_in(user, poll.box) or data.box_id in session_voted
        card.may_change = may(user, "voting.change_poll", poll)
        card.shows_results = may(user, "voting.view_results", poll)
        cards.append(card)
    shown = [card for card in cards if card.shows_results]
    # A closed poll's tally is on the map; an open one's (shown after one's own vote) is kept for the generation
    # (every ballot starts a new one) or counted now.
    tallies = {card.data.id: kept.tallies[card.data.id] for card in shown if card.data.id in kept.tallies}
    tallies.update(_open_tallies([card.data for card in shown if card.data.id not in tallies]))
    for card in shown:
        card.tally = tallies[card.data.id]
    if public_votes:
        _add_public_votes([card for card in shown if not card.data.secret])
    return cards


def _open_tallies(polls: list[PollData]) -> dict[int, PollTally]:
    """The tallies of open polls, kept per page generation while pages are kept (one query for those not kept).
    Precondition: the caller shows each only where ``voting.view_results`` allows it."""
    seconds = settings.ANONYMOUS_PAGE_CACHE_SECONDS
    if not seconds or not polls:
        return count_polls(polls)
    keys = {poll.id: f"samenlab:voting:tally:{generation()}:{poll.box_id}" for poll in polls}
    stored = cache.get_many(list(keys.values()))
    found = {pk: stored[key] for pk, key in keys.items() if key in stored}
    counted = count_polls(poll for poll in polls if poll.id not in found)
    if counted:
        cache.set_many({keys[pk]: tally for pk, tally in counted.items()}, seconds)
    return {**found, **counted}


def _add_public_votes(cards: list[PollCard]) -> None:
    """Who chose what, for open votes whose results the viewer may see (one query per card, on the poll page)."""
    for card in cards:
        labels = {str(option_id): label for option_id, label in card.data.options}
        votes = list(PublicVote.objects.filter(box_id=card.data.box_id).select_related("voter")
                     .order_by("voter__first_name", "voter_id")[:PUBLIC_VOTES_SHOWN + 1])
        card.public_votes_more = max(0, len(votes) - PUBLIC_VOTES_SHOWN)
        card.public_votes = [
            (vote.voter.display_name,
             [labels.get(key, key) for key in vote.choices if key != "scale"]
             or [str(vote.choices.get("scale", ""))])
            for vote in votes[:PUBLIC_VOTES_SHOWN]]
