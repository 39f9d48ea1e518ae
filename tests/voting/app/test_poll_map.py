"""The voting map every page shares: what it keeps (never the count of an open poll), when it is built again,
the database's tally equal to the service's, and the clock that empties kept pages at an opening or closing."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from core.pagecache import generation, invalidate_pages
from tests.factories import UserFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, PollFactory
from voting.clock import HANDLED_KEY, settle
from voting.models import Poll, PollKind
from voting.selectors.polls import PollData, count_polls, voting_map
from voting.services.casting import cast_ballot
from voting.services.results import tally_poll

pytestmark = pytest.mark.django_db


def voted_poll(kern, kind, ballots):
    poll = PollFactory(box=BallotBoxFactory(kern=kern), kind=kind,
                       options=[] if kind == PollKind.SCALE else ["A", "B", "C", "D"])
    Poll.objects.filter(pk=poll.pk).update(max_choices=3, scale_size=7)
    poll.refresh_from_db()
    ids = list(poll.options.values_list("pk", flat=True))
    for n, choice in enumerate(ballots):
        choices = {"scale": choice} if kind == PollKind.SCALE else [ids[i] for i in choice]
        cast_ballot(actor=UserFactory(kern=kern), box=poll.box, choices=choices, idempotency_key=f"k{n}")
    return poll


@pytest.mark.parametrize(("kind", "ballots"), [
    (PollKind.SINGLE, [[0], [0], [1], [3]]),
    (PollKind.MULTIPLE, [[0, 1], [0, 2, 3], [1], [0, 1, 2]]),
    (PollKind.SCALE, [1, 7, 7, 4, 2]),
    (PollKind.SINGLE, []),
])
def test_the_database_counts_as_the_service_does(kern, kind, ballots, django_assert_max_num_queries):
    poll = voted_poll(kern, kind, ballots)
    other = voted_poll(kern, PollKind.SINGLE, [[2], [2]])
    polls = [PollData.of(Poll.objects.select_related("box__kern").get(pk=p.pk), p.options.all()) for p in (poll, other)]
    with django_assert_max_num_queries(1):
        counted = count_polls(polls)
    assert counted[poll.pk] == tally_poll(poll) and counted[other.pk] == tally_poll(other)


def test_many_polls_are_counted_in_a_few_queries(kern, django_assert_max_num_queries):
    polls = [voted_poll(kern, PollKind.SINGLE, [[n % 4]]) for n in range(40)]
    data = [PollData.of(Poll.objects.select_related("box__kern").get(pk=p.pk), p.options.all()) for p in polls]
    with django_assert_max_num_queries(1):
        counted = count_polls(data)
    assert all(counted[p.pk].ballots == 1 for p in polls)


def test_the_map_keeps_the_tally_of_closed_polls_only(kern):
    open_poll = voted_poll(kern, PollKind.SINGLE, [[0]])
    closed = voted_poll(kern, PollKind.SINGLE, [[1], [1]])
    closed.box.opens_at, closed.box.closes_at = timezone.now() - timedelta(days=3), timezone.now()
    closed.box.save()
    BudgetFactory(box=BallotBoxFactory(kern=kern), title="Kernbudget")
    invalidate_pages()
    kept = voting_map()
    assert set(kept.polls) == {open_poll.pk, closed.pk}
    assert set(kept.tallies) == {closed.pk} and kept.tallies[closed.pk].ballots == 2
    assert [budget.title for budget in kept.budgets] == ["Kernbudget"]
    assert "Kernbudget" not in repr(kept.tallies) and open_poll.pk not in kept.tallies


def test_the_map_is_kept_for_the_generation_and_built_again_when_a_box_closes(kern, django_assert_num_queries):
    poll = voted_poll(kern, PollKind.SINGLE, [[0]])
    poll.box.closes_at = timezone.now() + timedelta(seconds=1)
    poll.box.save()
    invalidate_pages()
    first = voting_map()
    with django_assert_num_queries(0):
        assert voting_map() is first
    assert poll.pk not in first.tallies and first.valid_until == poll.box.closes_at.timestamp()
    time.sleep(max(0.0, first.valid_until - time.time()) + 0.1)
    rebuilt = voting_map()
    assert rebuilt is not first and rebuilt.tallies[poll.pk].ballots == 1


def test_old_polls_leave_the_map(kern):
    old = PollFactory(box=BallotBoxFactory(kern=kern, opens_at=timezone.now() - timedelta(days=90),
                                           closes_at=timezone.now() - timedelta(days=31)))
    invalidate_pages()
    assert old.pk not in voting_map().polls


def test_a_poll_from_the_map_is_asked_by_the_rules_without_a_query(kern, resident, django_assert_num_queries):
    poll = PollFactory(box=BallotBoxFactory(kern=kern))
    invalidate_pages()
    data = voting_map().polls[poll.pk]
    from core.permissions import may

    resident.__dict__["_voted_boxes"] = {poll.box_id: False}
    resident._council_kern_ids = frozenset()
    with django_assert_num_queries(0):
        made = data.as_poll()
        assert made.box.subject is made and may(resident, "voting.vote", made)
        assert not may(resident, "voting.view_results", made) and not may(resident, "voting.change_poll", made)


def test_the_clock_empties_kept_pages_once_per_opening_or_closing(kern, settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    poll = PollFactory(box=BallotBoxFactory(kern=kern, upcoming=True))
    poll.box.opens_at = timezone.now() + timedelta(seconds=1)
    poll.box.save()
    invalidate_pages()
    settle()  # nothing has opened or closed yet
    before = generation()
    settle()
    assert generation() == before  # nothing happened since
    time.sleep(max(0.0, (poll.box.opens_at - timezone.now()).total_seconds()) + 0.1)
    settle()
    opened = generation()
    assert opened != before and cache.get(HANDLED_KEY) == poll.box.opens_at.timestamp()
    settle()
    assert generation() == opened  # once per opening, whichever process sees it first


def test_the_clock_rests_while_pages_are_not_kept(kern, settings, django_assert_num_queries):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    PollFactory(box=BallotBoxFactory(kern=kern, closed=True))
    invalidate_pages()
    with django_assert_num_queries(0):
        settle()


def test_the_clock_asks_only_for_requests_that_may_get_a_kept_page(kern, settings, django_assert_num_queries):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    PollFactory(box=BallotBoxFactory(kern=kern, closed=True))
    invalidate_pages()
    with django_assert_num_queries(0):  # the map is not even built for them
        settle(environ={"REQUEST_METHOD": "POST"})
        settle(environ={"REQUEST_METHOD": "GET", "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}=abc"})
        settle(scope={"type": "http", "method": "GET", "headers": [(b"cookie", b"sessionid=abc")]})
    before = generation()
    settle(scope={"type": "http", "method": "GET", "headers": [(b"accept", b"text/html")]})
    assert generation() != before  # the box closed before anyone handled it
