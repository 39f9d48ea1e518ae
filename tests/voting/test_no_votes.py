"""A project nobody voted for is never funded, by any rule, even when money is left: the one place where
Samenlab deliberately differs from pabutools, whose greedy buys it with what is left."""

import pytest

from tests.voting.instances import META
from tests.voting.reference import parse, reference_equal_shares, reference_greedy
from voting.counting import Approval, Ballot, Completion, Election, Method, NoVotes, Project, count, write_pabulib


def election() -> Election:
    projects = (Project("speeltuin", 300), Project("bankjes", 200), Project("vergeten", 100))
    return Election(projects, 500, Approval(None), (Ballot.approving(["speeltuin"]), Ballot.approving(["speeltuin"])))


@pytest.mark.parametrize(("method", "completion"), [(Method.GREEDY, Completion.NONE),
                                                    (Method.EQUAL_SHARES, Completion.NONE),
                                                    (Method.EQUAL_SHARES, Completion.ADD1),
                                                    (Method.EQUAL_SHARES, Completion.ADD1_GREEDY)])
def test_a_project_without_votes_is_not_funded(method, completion):
    outcome = count(election(), method=method, completion=completion, seed="x")

    assert outcome.selected == ("speeltuin",)
    assert outcome.explanation("vergeten") == NoVotes("vergeten", 100)
    assert outcome.explanation("bankjes") == NoVotes("bankjes", 200)


def test_where_the_reference_would_fund_it():
    instance, profile = parse(text=write_pabulib(election(), meta=META))

    assert reference_greedy(instance, profile, "x") == {"speeltuin", "vergeten"}
    assert reference_equal_shares(instance, profile, "x", Completion.ADD1_GREEDY) == {"speeltuin", "vergeten"}
