"""The voting map: what every viewer sees alike of the current polls and budgets, kept per page generation
(see the package's docstring), and the database's tally of polls."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from core.pagecache import generation
from voting.models import (
    Ballot,
    BallotBox,
    BudgetPhase,
    Poll,
    PollKind,
    PollOption,
)
from voting.services.results import PollTally

RECENT_DAYS = 30  # a poll stays on its kern page and initiative this long after it closed
SHOWN_CLOSED_DAYS = 14  # ... and on the kern page this long
MAP_SECONDS = 3600
MAP_VERSION = 1
KERN_POLLS_SHOWN = 5
PUBLIC_VOTES_SHOWN = 500
AGGREGATES_PER_QUERY = 400  # PostgreSQL allows 1,664 columns; keep well below


# The data kept ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PollData:
    """What every viewer sees of one poll (no count)."""

    id: int
    box_id: int
    kern_id: int | None
    kern_name: str
    kern_slug: str
    question: str
    intro: str
    kind: str
    max_choices: int
    scale_size: int
    scale_low: str
    scale_high: str
    options: tuple[tuple[int, str], ...]
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    who_may_vote: str
    secret: bool
    results_shown: str
    initiative_id: int | None
    page_id: int | None

    @classmethod
    def of(cls, poll: Poll, options) -> PollData:
        """Precondition: ``poll`` was read with ``box__kern``."""
        box = poll.box
        return cls(id=poll.pk, box_id=box.pk, kern_id=box.kern_id, kern_name=box.kern.name if box.kern_id else "",
                   kern_slug=box.kern.slug if box.kern_id else "", question=poll.question, intro=poll.intro,
                   kind=poll.kind, max_choices=poll.max_choices, scale_size=poll.scale_size,
                   scale_low=poll.scale_low, scale_high=poll.scale_high,
                   options=tuple((option.pk, option.label) for option in options), opens_at=box.opens_at,
                   closes_at=box.closes_at, who_may_vote=box.who_may_vote, secret=box.secret,
                   results_shown=box.results_shown, initiative_id=poll.initiative_id, page_id=poll.page_id)

    def as_poll(self) -> Poll:
        """A ``Poll`` with its ``BallotBox`` for the rules, made without a query (never saved)."""
        box = BallotBox(pk=self.box_id, kern_id=self.kern_id, opens_at=self.opens_at, closes_at=self.closes_at,
                        who_may_vote=self.who_may_vote, secret=self.secret, results_shown=self.results_shown)
        poll = Poll(pk=self.id, box=box, question=self.question, intro=self.intro, kind=self.kind,
                    max_choices=self.max_choices, scale_size=self.scale_size, scale_low=self.scale_low,
                    scale_high=self.scale_high, initiative_id=self.initiative_id, page_id=self.page_id)
        BallotBox.poll.related.set_cached_value(box, poll)
        return poll

    def state(self, now: datetime.datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


@dataclass(frozen=True)
class BudgetData:
    id: int
    slug: str
    title: str
    phase: str
    amount: int
    kern_id: int | None
    opens_at: datetime.datetime
    closes_at: datetime.datetime


@dataclass(frozen=True)
class VotingMap:
    built_at: float
    valid_until: float
    polls: dict[int, PollData]
    budgets: tuple[BudgetData, ...]
    tallies: dict[int, PollTally]  # closed polls only
    boundaries: tuple[float, ...] = ()  # every opening and closing of the boxes on the map, sorted

    def last_boundary_before(self, moment: float) -> float | None:
        passed = [boundary for boundary in self.boundaries if boundary <= moment]
        return passed[-1] if passed else None

    def kern_polls(self, kern_id: int, now: datetime.datetime) -> list[PollData]:
        """Open polls of the kern (closing soonest first), then upcoming ones, then those closed lately."""
        shown_after = now - datetime.timedelta(days=SHOWN_CLOSED_DAYS)
        mine = [poll for poll in self.polls.values()
                if poll.kern_id == kern_id and poll.initiative_id is None and poll.closes_at > shown_after]
        order = {"open": 0, "upcoming": 1, "closed": 2}

        def key(poll: PollData):
            state = poll.state(now)
            moment = poll.closes_at.timestamp() if state == "open" else poll.opens_at.timestamp()
            return order[state], -moment if state == "closed" else moment

        return sorted(mine, key=key)[:KERN_POLLS_SHOWN]

    def initiative_polls(self, initiative_id: int) -> list[PollData]:
        return sorted((poll for poll in self.polls.values() if poll.initiative_id == initiative_id),
                      key=lambda poll: (poll.opens_at, poll.id))

    def kern_budgets(self, kern_id: int) -> list[BudgetData]:
        return [budget for budget in self.budgets if budget.kern_id == kern_id]


# Counting ---------------------------------------------------------------------------------------------------

def count_polls(polls) -> dict[int, PollTally]:
    """The tally of each poll (``PollData``), counted by the database: a few rows, whatever the number of ballots.

    Precondition: the caller shows a tally only where ``voting.view_results`` allows it. Equals
    ``voting.services.results.tally_poll`` (a test holds the two together)."""
    polls = list(polls)
    if not polls:
        return {}
    columns: list[tuple[str, int, str, Q]] = []  # (alias, poll id, key in the tally, filter)
    for poll in polls:
        if poll.kind == PollKind.SCALE:
            keys = [(str(value), Q(choices__scale=value)) for value in range(1, poll.scale_size + 1)]
        else:
            keys = [(str(option_id), Q(choices__has_key=str(option_id))) for option_id, _label in poll.options]
        for key, condition in keys:
            columns.append((f"c{len(columns)}", poll.id, key, condition))
    box_of_poll = {poll.id: poll.box_id for poll in polls}
    counts: dict[int, dict[str, int]] = {poll.id: {} for poll in polls}
    totals: dict[int, int] = {poll.id: 0 for poll in polls}
    for start in range(0, len(columns), AGGREGATES_PER_QUERY):
        chunk = columns[start:start + AGGREGATES_PER_QUERY]
        by_box = {box_of_poll[poll_id]: poll_id for _alias, poll_id, _key, _condition in chunk}
        rows = (Ballot.objects.filter(box_id__in=list(by_box)).order_by().values("box_id")
                .annotate(ballots=Count("id"), **{alias: Count("id", filter=condition)
                                                  for alias, _poll, _key, condition in chunk}))
        for row in rows:
            poll_id = by_box[row["box_id"]]
            totals[poll_id] = row["ballots"]
            for alias, owner, key, _condition in chunk:
                if owner == poll_id and row[alias]:
                    counts[poll_id][key] = row[alias]
    return {poll.id: PollTally(ballots=totals[poll.id], counts=counts[poll.id]) for poll in polls}


# The map ----------------------------------------------------------------------------------------------------

def _build(now: datetime.datetime) -> VotingMap:
    """Three queries: the boxes (with poll or budget and kern), the polls' options, the closed polls' counts."""
    recent = now - datetime.timedelta(days=RECENT_DAYS)
    boxes = list(BallotBox.objects.select_related("kern", "poll", "budget")
                 .filter(Q(poll__isnull=False, closes_at__gte=recent)
                         | Q(budget__isnull=False) & ~Q(budget__phase=BudgetPhase.REALISATION))
                 .order_by("opens_at", "pk"))
    polls = []
    budgets = []
    for box in boxes:
        subject = box.subject
        if isinstance(subject, Poll):
            subject.box = box
            polls.append(subject)
        elif subject is not None:
            budgets.append(BudgetData(id=subject.pk, slug=subject.slug, title=subject.title, phase=subject.phase,
                                      amount=subject.amount, kern_id=box.kern_id, opens_at=box.opens_at,
                                      closes_at=box.closes_at))
    options: dict[int, list[PollOption]] = {poll.pk: [] for poll in polls}
    if polls:
        for option in PollOption.objects.filter(poll_id__in=list(options)).order_by("order", "pk"):
            options[option.poll_id].append(option)
    data = {poll.pk: PollData.of(poll, options[poll.pk]) for poll in polls}
    tallies = count_polls(poll for poll in data.values() if poll.closes_at <= now)
    moments = sorted({box.opens_at.timestamp() for box in boxes} | {box.closes_at.timestamp() for box in boxes})
    built = now.timestamp()
    later = [moment for moment in moments if moment > built]
    later += [poll.closes_at.timestamp() + RECENT_DAYS * 86400 for poll in data.values()]
    return VotingMap(built_at=built, valid_until=min([*later, built + MAP_SECONDS]), polls=data,
                     budgets=tuple(budgets), tallies=tallies, boundaries=tuple(moments))


# The map of the current generation, kept in this process too (read from the shared cache only when it changes).
_in_process: tuple[int, VotingMap] | None = None


def _key(current) -> str:
    return f"samenlab:voting-map:{MAP_VERSION}:{current}"


def voting_map() -> VotingMap:
    """The map of the current page generation, built again once its next opening or closing has passed."""
    global _in_process
    current = generation()
    now = time.time()
    kept = _in_process
    if kept is not None and kept[0] == current and now < kept[1].valid_until:
        return kept[1]
    found = cache.get(_key(current))
    if found is None or now >= found.valid_until:
        found = _build(timezone.now())
        cache.set(_key(current), found, timeout=MAP_SECONDS)
    _in_process = (current, found)
    return found


def keep_for_generation(found: VotingMap) -> None:
    """Keep ``found`` for the current generation too (after the clock started one: what it shows is the same)."""
    global _in_process
    current = generation()
    cache.set(_key(current), found, timeout=MAP_SECONDS)
    _in_process = (current, found)


# Reading polls -------------------------------------------------------------------------------------------------

def poll_data(pk: int) -> PollData | None:
    """One poll from the map, or from the database when it is older (two queries)."""
    found = voting_map().polls.get(pk)
    if found is not None:
        return found
    poll = Poll.objects.select_related("box__kern").filter(pk=pk).first()
    return PollData.of(poll, poll.options.all()) if poll is not None else None


def closed_polls(*, kern=None, user=None):
    """Closed polls ``user`` may see, the latest first: a queryset for a paginated list (question, kern, dates)."""
    polls = (Poll.objects.visible_to(user).select_related("box__kern").filter(box__closes_at__lte=timezone.now())
             .order_by("-box__closes_at", "-pk"))
    return polls.filter(box__kern=kern) if kern is not None else polls


def current_polls(*, kern=None, now=None, user=None) -> list[PollData]:
    """Open polls (closing soonest first), then upcoming ones, from the map: those ``user`` may see (a poll on an
    initiative only for who may see that initiative; one query when there are such polls)."""
    now = now or timezone.now()
    polls = [poll for poll in voting_map().polls.values()
             if poll.closes_at > now and (kern is None or poll.kern_id == kern.pk)]
    on_initiatives = {poll.initiative_id for poll in polls if poll.initiative_id is not None}
    if on_initiatives:
        from initiatives.models import Initiative

        seen = set(Initiative.objects.visible_to(user).filter(pk__in=on_initiatives).values_list("pk", flat=True))
        polls = [poll for poll in polls if poll.initiative_id is None or poll.initiative_id in seen]
    return sorted(polls, key=lambda poll: (poll.state(now) != "open", poll.closes_at if poll.state(now) == "open"
                                           else poll.opens_at, poll.id))
