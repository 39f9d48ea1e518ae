"""Permission grid of the poll rules: every role of the shared cast × own kern / other kern / the whole
municipality × upcoming / open / closed (× who may vote, × results shown, × voted or not)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.permissions import may
from tests.factories_initiatives import InitiativeFactory
from tests.factories_voting import BallotBoxFactory, PollFactory
from tests.roles import LIVES_IN_KERN, ROLES, SIGNED_IN, STAFF, fresh
from voting.models import BallotBox, ResultsShown, Turnout, WhoMayVote

pytestmark = pytest.mark.django_db

STATES = ["upcoming", "open", "closed"]
WHERE = ["kern", "other_kern", "municipality"]
COUNCIL_OF = {"kern": {"council"}, "other_kern": {"council_other_kern"}, "municipality": set()}
# Who lives where (by their own profile): staff and admins have no kern.
RESIDENTS_OF = {"kern": LIVES_IN_KERN | {"council"}, "other_kern": {"resident_other_kern", "council_other_kern"},
                "municipality": LIVES_IN_KERN | {"council", "resident_other_kern", "council_other_kern"}}
# Confirmed residents: the cast's verified resident, and council members (confirmed when they joined).
VERIFIED_OF = {"kern": {"verified_resident", "council"}, "other_kern": {"council_other_kern"},
               "municipality": {"verified_resident", "council", "council_other_kern"}}


def times(state: str):
    now = timezone.now()
    return {"upcoming": (now + timedelta(days=1), now + timedelta(days=2)),
            "open": (now - timedelta(days=1), now + timedelta(days=1)),
            "closed": (now - timedelta(days=2), now - timedelta(days=1))}[state]


def build_poll(kern, other_kern, where: str, state: str, **box):
    opens_at, closes_at = times(state)
    box_kern = {"kern": kern, "other_kern": other_kern, "municipality": None}[where]
    return PollFactory(box=BallotBoxFactory(kern=box_kern, opens_at=opens_at, closes_at=closes_at, **box))


def allowed(cast, perm, obj):
    return {role for role in ROLES if may(fresh(cast[role]), perm, obj)}


@pytest.mark.parametrize("where", WHERE)
def test_create_poll(cast, kern, other_kern, where):
    box_kern = {"kern": kern, "other_kern": other_kern, "municipality": None}[where]
    assert allowed(cast, "voting.create_poll", BallotBox(kern=box_kern)) == STAFF | COUNCIL_OF[where]


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("state", STATES)
def test_change_poll_only_before_it_opens(cast, kern, other_kern, where, state):
    poll = build_poll(kern, other_kern, where, state)
    expected = STAFF | COUNCIL_OF[where] if state == "upcoming" else set()
    assert allowed(cast, "voting.change_poll", poll) == expected
    assert allowed(cast, "voting.change_poll", poll.box) == expected


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("voted", [False, True])
def test_remove_poll_only_while_nobody_voted(cast, kern, other_kern, where, voted):
    poll = build_poll(kern, other_kern, where, "open", who_may_vote=WhoMayVote.SIGNED_IN)
    if voted:
        Turnout.objects.create(box=poll.box, voter=cast["resident"], channel="web")
    assert allowed(cast, "voting.remove_poll", poll) == (set() if voted else STAFF | COUNCIL_OF[where])


@pytest.mark.parametrize("who_may_vote", WhoMayVote.values)
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("state", STATES)
def test_vote(cast, kern, other_kern, who_may_vote, where, state):
    poll = build_poll(kern, other_kern, where, state, who_may_vote=who_may_vote)
    eligible = {"signed_in": SIGNED_IN, "residents": RESIDENTS_OF[where], "verified": VERIFIED_OF[where],
                "letter": set()}[who_may_vote]
    assert allowed(cast, "voting.vote", poll) == (eligible if state == "open" else set())
    by_letter = set(ROLES) if who_may_vote == WhoMayVote.LETTER and state == "open" else set()
    assert allowed(cast, "voting.vote_with_code", poll) == by_letter


VOTERS = {"resident", "council"}  # they vote in the grid below; nobody else does


@pytest.mark.parametrize("results_shown", ResultsShown.values)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("where", WHERE)
def test_view_results(cast, kern, other_kern, results_shown, state, where):
    """Before the close nobody sees a result, staff, admins and the council included; a poll that shows it after
    one's own vote shows it to exactly those who voted, while it is open."""
    poll = build_poll(kern, other_kern, where, state, results_shown=results_shown,
                      who_may_vote=WhoMayVote.SIGNED_IN)
    for role in VOTERS:
        Turnout.objects.create(box=poll.box, voter=cast[role], channel="web")
    if state == "closed":
        expected = set(ROLES)
    elif state == "open" and results_shown == ResultsShown.AFTER_OWN_VOTE:
        expected = VOTERS
    else:
        expected = set()
    assert allowed(cast, "voting.view_results", poll) == expected


@pytest.mark.parametrize("status", ["published", "draft"])
def test_a_poll_on_an_initiative_is_seen_by_who_sees_the_initiative(cast, kern, other_kern, status):
    initiative = InitiativeFactory(kern=kern, status=status, initiator=cast["initiator"])
    poll = build_poll(kern, other_kern, "kern", "open")
    poll.initiative = initiative
    poll.save()
    expected = set(ROLES) if status == "published" else {"initiator", "council"} | STAFF
    assert allowed(cast, "voting.view_poll", poll) == expected
    assert allowed(cast, "voting.follow_box", poll) == expected


def test_any_other_poll_is_seen_by_everyone(cast, kern, other_kern):
    poll = build_poll(kern, other_kern, "other_kern", "upcoming")
    assert allowed(cast, "voting.view_poll", poll) == set(ROLES)
    assert allowed(cast, "voting.view_poll", poll.box) == set()  # the poll rule asks about a poll
