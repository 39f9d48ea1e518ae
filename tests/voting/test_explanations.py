"""The explanation per project adds up, on every published instance and every Equal Shares variant: each
project bought by Equal Shares is paid in full by its own supporters, nobody pays more than their share,
and each project not bought says truthfully why."""

import pytest

from tests.voting.instances import PUBLISHED, SEED
from voting.counting import (
    Completion,
    DidNotFit,
    Funded,
    Method,
    NoVotes,
    Stage,
    SupportersShort,
    count,
    read_pabulib_file,
)


@pytest.fixture(scope="module", params=PUBLISHED, ids=lambda path: path.stem[:40])
def election(request):
    return read_pabulib_file(request.param).election


@pytest.fixture(scope="module")
def counted(election):
    """Equal Shares per completion, counted once per instance (add1 counts many times over)."""
    return {completion: count(election, method=Method.EQUAL_SHARES, completion=completion, seed=SEED)
            for completion in Completion}


@pytest.mark.parametrize("completion", list(Completion))
def test_each_project_bought_by_equal_shares_is_paid_in_full_by_its_supporters(counted, completion):
    outcome = counted[completion]

    bought = [item for item in outcome.explanations if isinstance(item, Funded) and item.stage is Stage.EQUAL_SHARES]
    assert bought
    for item in bought:
        assert item.paid == item.cost
        assert sum(payment.voters for payment in item.payments) == item.votes  # every supporter, once
        assert all(0 <= payment.amount <= item.price_per_point * payment.points for payment in item.payments)
        assert item.highest_payment == max(payment.amount for payment in item.payments)


@pytest.mark.parametrize("completion", list(Completion))
def test_nobody_pays_more_than_their_share(election, counted, completion):
    outcome = counted[completion]

    if completion is Completion.NONE:
        assert outcome.voter_budget == election.budget / len(election.ballots)
    assert outcome.voter_budget >= election.budget / len(election.ballots)
    assert len(outcome.voter_spending) == len(election.ballots)
    assert all(0 <= spent <= outcome.voter_budget for spent in outcome.voter_spending)
    paid_by_voters = sum(item.cost for item in outcome.explanations
                         if isinstance(item, Funded) and item.stage is Stage.EQUAL_SHARES)
    assert sum(outcome.voter_spending) == paid_by_voters
    assert outcome.spent <= election.budget


@pytest.mark.parametrize("completion", list(Completion))
def test_a_project_not_bought_says_why(election, counted, completion):
    outcome = counted[completion]

    assert [item.project_id for item in outcome.explanations] == [project.id for project in election.projects]
    for item in outcome.explanations:
        assert not isinstance(item, DidNotFit)  # that is greedy's reason
        if isinstance(item, SupportersShort):
            assert item.supporters_left < item.cost
            assert item.supporters_share == item.votes * outcome.voter_budget
            if item.outbid_by is None:
                assert item.supporters_share < item.cost
            else:
                assert item.supporters_share >= item.cost
                assert isinstance(outcome.explanation(item.outbid_by), Funded)
            if completion is Completion.ADD1_GREEDY:
                assert item.completion_money_left is not None and item.completion_money_left < item.cost
            else:
                assert item.completion_money_left is None
        elif isinstance(item, NoVotes):
            assert all(item.project_id not in ballot.points for ballot in election.ballots)


def test_greedy_explains_each_project(election):
    outcome = count(election, method=Method.GREEDY, seed=SEED)

    money_left = election.budget
    for position, project_id in enumerate(outcome.selected, start=1):
        item = outcome.explanation(project_id)
        money_left -= item.cost
        assert (item.position, item.stage, item.money_left, item.payments) == (position, Stage.GREEDY, money_left, ())
    for item in outcome.explanations:
        if isinstance(item, DidNotFit):
            assert item.money_left < item.cost
