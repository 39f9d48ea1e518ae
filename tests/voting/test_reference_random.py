"""On seeded random small elections full of ties (few costs, few voters), for each ballot format, greedy and
Equal Shares (plain, add1, add1 then greedy) fund exactly what pabutools 1.2.3 funds with the same
tie-break, both reading the same .pb text (see reference.py for the pabutools calls). Where a published
instance rarely meets a tie, these meet many, so they hold the tie-break to the reference too."""

import pytest

from tests.voting.instances import SEED, as_pb, random_election
from tests.voting.reference import parse, reference_equal_shares, reference_greedy
from voting.counting import Completion, Method, count, read_pabulib

CASES = [(seed, kind) for kind in ("knapsack", "approval", "points") for seed in range(40)]


@pytest.mark.parametrize(("seed", "kind"), CASES, ids=lambda case: str(case))
def test_we_fund_what_pabutools_funds(seed, kind):
    text = as_pb(random_election(seed, kind))
    election = read_pabulib(text).election
    instance, profile = parse(text=text)

    assert set(count(election, method=Method.GREEDY, seed=SEED).selected) == reference_greedy(instance, profile, SEED)
    for completion in Completion:
        outcome = count(election, method=Method.EQUAL_SHARES, completion=completion, seed=SEED)
        assert set(outcome.selected) == reference_equal_shares(instance, profile, SEED, completion), completion


def test_the_random_elections_meet_ties():
    """The point of these cases: in at least some, projects with the same cost and the same votes compete."""
    tied = 0
    for seed, kind in CASES:
        election = random_election(seed, kind)
        support = election.support()
        keys = [(project.cost, support[project.id][0]) for project in election.projects]
        tied += len(keys) != len(set(keys))
    assert tied >= len(CASES) // 3
