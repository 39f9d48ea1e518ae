"""Publishing a result after the close, and the recount from the anonymised ballots."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from live.models import LiveEvent
from tests.factories import UserFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, PollFactory, ProjectFactory
from voting.models import Ballot, BallotBox, BudgetPhase, CountingRule, PollKind
from voting.services.casting import cast_ballot
from voting.services.results import count_budget, publish_result, recount, tally_poll

pytestmark = pytest.mark.django_db


def close(box):
    BallotBox.objects.filter(pk=box.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    return BallotBox.objects.select_related("budget", "poll").get(pk=box.pk)


@pytest.fixture
def budget(kern):
    """€ 10,000 and 10 voters; C € 4,500 chosen by all, A € 5,500 by 6, B € 4,000 by the other 4. Greedy buys
    C, then A (B no longer fits). Equal Shares gives each voter € 1,000: C costs each € 450; A's 6 supporters
    then have € 3,300 together, too little, and B's 4 have € 2,200: only C is bought."""
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern), amount=10_000, counting_rule=CountingRule.EQUAL_SHARES)
    a, b, c = (ProjectFactory(budget=budget, cost=cost, title=name) for cost, name in
               ((5_500, "A"), (4_000, "B"), (4_500, "C")))
    for n in range(10):
        voter = UserFactory(kern=kern)
        cast_ballot(actor=voter, box=budget.box, choices=[c.pk, a.pk] if n < 6 else [c.pk, b.pk])
    budget.a, budget.b, budget.c = a, b, c
    return budget


def test_publishing_counts_stores_the_seed_marks_the_chosen_and_moves_to_the_result(budget, staff):
    box = close(budget.box)
    data = publish_result(actor=staff, box=box)
    box.refresh_from_db()
    budget.refresh_from_db()
    assert box.result == data and box.result_published_at is not None and len(box.seed) == 32
    assert data["seed"] == box.seed and data["ballots"] == 10 and data["method"] == "equal_shares"
    assert data["selected"] == [str(budget.c.pk)]
    expected = count_budget(budget, seed=box.seed)
    assert data["selected"] == list(expected.selected)
    assert set(budget.projects.filter(funded=True).values_list("pk", flat=True)) == {int(p) for p in
                                                                                        expected.selected}
    assert budget.phase == BudgetPhase.RESULT
    funded = [item for item in data["explanations"] if item["kind"] == "Funded"]
    assert funded and all(item["payments"] for item in funded)
    assert LiveEvent.objects.filter(stream=f"voting.{box.pk}", type="result.published").count() == 1


def test_greedy_buys_most_votes_first_while_the_money_lasts(budget, staff):
    budget.counting_rule = CountingRule.GREEDY
    budget.save()
    box = close(budget.box)
    data = publish_result(actor=staff, box=box)
    assert data["selected"] == [str(budget.c.pk), str(budget.a.pk)]
    assert data["method"] == "greedy"


@pytest.mark.parametrize("who", ["resident", "council_member", "admin_not_staff"])
def test_only_staff_publish(budget, who, request):
    from tests.factories import AdminFactory

    box = close(budget.box)
    actor = AdminFactory(is_staff=False) if who == "admin_not_staff" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        publish_result(actor=actor, box=box)
    box.refresh_from_db()
    assert box.result is None and box.seed == ""


def test_nobody_publishes_before_the_close_and_nobody_twice(budget, staff):
    with pytest.raises(PermissionDenied):
        publish_result(actor=staff, box=budget.box)
    box = close(budget.box)
    publish_result(actor=staff, box=box)
    first = BallotBox.objects.get(pk=box.pk)
    with pytest.raises(PermissionDenied):
        publish_result(actor=staff, box=first)
    with pytest.raises(Exception, match="al gepubliceerd"):
        # a stale copy that still says "unpublished" reaches the lock: the locked row decides
        publish_result(actor=staff, box=box)
    assert BallotBox.objects.get(pk=box.pk).seed == first.seed


def test_the_recount_equals_the_published_result_and_sees_a_changed_ballot(budget, staff):
    box = close(budget.box)
    publish_result(actor=staff, box=box)
    box = BallotBox.objects.select_related("budget").get(pk=box.pk)
    assert recount(box).same
    ballot = Ballot.objects.filter(box=box, choices__has_key=str(budget.b.pk)).first()
    ballot.choices = {str(budget.a.pk): 1}
    ballot.save()
    again = recount(box)
    assert not again.same and again.published == box.result and again.recounted != box.result


def test_no_recount_before_publication(budget):
    with pytest.raises(Exception, match="nog geen uitslag"):
        recount(budget.box)


def test_a_poll_tally_and_its_published_result(kern, staff):
    poll = PollFactory(box=BallotBoxFactory(kern=kern), kind=PollKind.MULTIPLE, max_choices=2)
    a, b, c = poll.options.all()
    for choices in ([a.pk], [a.pk, b.pk], [b.pk], [a.pk]):
        cast_ballot(actor=UserFactory(kern=kern), box=poll.box, choices=choices)
    tally = tally_poll(poll)
    assert tally.ballots == 4 and tally.counts == {str(a.pk): 3, str(b.pk): 2}
    assert (tally.share(a.pk), tally.share(c.pk)) == (75, 0)
    box = close(poll.box)
    data = publish_result(actor=staff, box=box)
    assert data == {"ballots": 4, "counts": {str(a.pk): 3, str(b.pk): 2}}
    assert recount(BallotBox.objects.select_related("poll").get(pk=box.pk)).same


def test_a_scale_poll_is_tallied_per_value(kern):
    poll = PollFactory(box=BallotBoxFactory(kern=kern), kind=PollKind.SCALE, scale_size=5, options=[])
    for value in (5, 4, 5):
        cast_ballot(actor=UserFactory(kern=kern), box=poll.box, choices={"scale": value})
    assert tally_poll(poll).counts == {"5": 2, "4": 1}
