"""The documented tie-break, in its order: lowest cost, then most votes, then the lot drawn with the
published seed; the same seed always draws the same lot, another seed may draw another."""

import random

import pytest

from voting.counting import Approval, Ballot, Completion, Election, Method, Points, Project, count, lot_order


def tied_on_price_cheaper_second() -> Election:
    """Two voters (€150 each) both want the €200 and the €150 project: both cost them half per euro, a tie.
    Whichever is bought first leaves too little for the other."""
    projects = (Project("duur", 200), Project("goedkoop", 150))
    return Election(projects, 300, Approval(None), (Ballot.approving(["duur", "goedkoop"]),) * 2)


def tied_on_price_and_cost() -> Election:
    """Voter A gives 2 points to "breed" and 4 to "smal"; voter B gives 2 to "breed". Both cost €100 and have
    4 points: €25 a point each, a tie. "breed" has two voters, "smal" one. "breed" first leaves A €50 of the
    €100 "smal" needs; "smal" first leaves B able to pay for "breed" alone: the order changes the result."""
    projects = (Project("smal", 100), Project("breed", 100))
    ballots = (Ballot({"breed": 2, "smal": 4}), Ballot({"breed": 2}))
    return Election(projects, 200, Points(total=6), ballots)


def tied_on_everything(names=("a", "b")) -> Election:
    """One voter wants two €100 projects but has only €100: same price, cost and votes; only the lot decides."""
    return Election(tuple(Project(name, 100) for name in names), 100, Approval(None), (Ballot.approving(names),))


def test_lowest_cost_wins_a_tie():
    assert count(tied_on_price_cheaper_second(), method=Method.EQUAL_SHARES, seed="x").selected == ("goedkoop",)


def test_with_the_same_cost_most_votes_win_a_tie():
    outcome = count(tied_on_price_and_cost(), method=Method.EQUAL_SHARES, seed="x")

    assert outcome.selected == ("breed",)
    assert outcome.explanation("smal").outbid_by == "breed"


def test_greedy_breaks_ties_in_points_the_same_way():
    """On a points ballot greedy orders by points; equal points and cost go to the project with more votes."""
    projects = (Project("smal", 100), Project("breed", 100))
    ballots = (Ballot({"smal": 4}), Ballot({"breed": 2}), Ballot({"breed": 2}))
    election = Election(projects, 100, Points(total=4), ballots)

    assert count(election, method=Method.GREEDY, seed="x").selected == ("breed",)


@pytest.mark.parametrize("seed", ["kernbudget Arkel 2026", "kernbudget Giessenburg 2026", "3", "Molenlanden"])
def test_equal_cost_and_votes_go_by_the_lot_of_the_seed(seed):
    winner = lot_order(["a", "b"], seed)[0]

    for method in Method:
        assert count(tied_on_everything(), method=method, seed=seed).selected == (winner,)


def test_the_same_seed_gives_the_same_result_and_another_seed_may_differ():
    election = tied_on_everything(names=("a", "b", "c", "d"))
    seeds = [f"zaad {number}" for number in range(20)]

    results = {seed: count(election, method=Method.EQUAL_SHARES, completion=Completion.ADD1, seed=seed).selected
               for seed in seeds}

    assert all(count(election, method=Method.EQUAL_SHARES, completion=Completion.ADD1, seed=seed).selected == result
               for seed, result in results.items())
    assert len(set(results.values())) > 1


def test_the_lot_is_a_shuffle_anyone_can_redo():
    """Sort the ids, shuffle with random.Random(seed): pinned here, so that a change of procedure shows."""
    ids = ["speeltuin", "bankjes", "jeu-de-boules", "bloembakken"]
    expected = sorted(ids)
    random.Random("kernbudget Arkel 2026").shuffle(expected)

    assert lot_order(ids, "kernbudget Arkel 2026") == expected
    assert lot_order(list(reversed(ids)), "kernbudget Arkel 2026") == expected
    assert expected == ["jeu-de-boules", "speeltuin", "bankjes", "bloembakken"]


def test_a_lot_needs_a_published_seed():
    with pytest.raises(ValueError, match="seed"):
        count(tied_on_everything(), method=Method.GREEDY, seed="")
