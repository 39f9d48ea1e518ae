"""Bad input to the counting core is refused with a ValueError that says what is wrong: money that is not an
exact amount or is negative, projects that cannot be on a ballot, ballots the budget's format forbids,
counting options that do not exist. One case per guard, so that removing any guard fails a test."""

from decimal import Decimal
from fractions import Fraction

import pytest

from voting.counting import (
    Approval,
    Ballot,
    Completion,
    Election,
    Knapsack,
    Method,
    Points,
    Project,
    as_money,
    count,
    equal_shares,
)

PROJECTS = (Project("speeltuin", 300), Project("bankjes", 200), Project("bloembakken", 100))


def election(ballots, ballot_format=None, budget=400) -> Election:
    return Election(PROJECTS, budget, ballot_format or Approval(None), tuple(ballots))


@pytest.mark.parametrize(("value", "message"), [
    (-1, "cannot be negative"),
    ("-0.01", "cannot be negative"),
    (0.1, "exact amount"),
    (True, "exact amount"),
    ("honderd", "is not an amount"),
    (None, "is not an amount"),
    ("1/0", "is not an amount"),
    (Decimal("Infinity"), "is not an amount"),
])
def test_money_must_be_an_exact_amount_of_at_least_zero(value, message):
    with pytest.raises(ValueError, match=message):
        as_money(value, what="De kosten")


def test_money_may_be_written_as_text_or_decimal():
    assert as_money("12.50", what="x") == as_money(Decimal("12.5"), what="x") == Fraction(25, 2)


@pytest.mark.parametrize(("arguments", "message"), [
    (("bankjes", -200), "cannot be negative"),
    (("bankjes", 0), "costs nothing"),
    (("bankjes", 200.0), "exact amount"),
    (("", 200), "non-empty"),
    ((" bankjes", 200), "surrounding spaces"),
    (("bank;jes", 200), "may not contain"),
    (("bank,jes", 200), "may not contain"),
])
def test_a_project_needs_a_usable_id_and_a_cost(arguments, message):
    with pytest.raises(ValueError, match=message):
        Project(*arguments)


def test_two_projects_cannot_share_an_id():
    with pytest.raises(ValueError, match="Two projects have the id 'bankjes'"):
        Election((Project("bankjes", 200), Project("bankjes", 300)), 400, Approval(None))


def test_the_budget_cannot_be_negative():
    with pytest.raises(ValueError, match="The budget cannot be negative"):
        election([], budget=-1)


def test_the_ballot_format_must_be_one_samenlab_counts():
    with pytest.raises(ValueError, match="Unknown ballot format"):
        election([], ballot_format="knapsack")


@pytest.mark.parametrize(("make", "message"), [
    (lambda: Approval(max_projects=0), "max_projects must be a whole number of at least 1"),
    (lambda: Approval(max_projects=1, min_projects=2), "max_projects must be a whole number of at least 2"),
    (lambda: Approval(max_projects=None, min_projects=-1), "min_projects"),
    (lambda: Approval(max_projects=True), "max_projects"),
    (lambda: Points(total=0), "total must be a whole number of at least 1"),
    (lambda: Points(total=10, max_per_project=0), "max_per_project"),
    (lambda: Knapsack(limit=-5), "knapsack limit cannot be negative"),
])
def test_a_ballot_format_needs_sensible_limits(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_ballot_naming_a_project_that_does_not_exist_is_refused():
    with pytest.raises(ValueError, match=r"Ballot 2 names projects that are not on the ballot: \['zwembad'\]"):
        election([Ballot.approving(["bankjes"]), Ballot.approving(["bankjes", "zwembad"])])


def test_a_ballot_naming_a_project_twice_is_refused():
    with pytest.raises(ValueError, match="more than once"):
        Ballot.approving(["bankjes", "bankjes"])


def test_a_knapsack_ballot_over_the_budget_is_refused():
    election([Ballot.approving(["speeltuin", "bloembakken"])], Knapsack())  # exactly the budget: fine

    with pytest.raises(ValueError, match="Ballot 1: The projects chosen cost 500 together, more than the 400"):
        election([Ballot.approving(["speeltuin", "bankjes"])], Knapsack())


def test_a_knapsack_ballot_over_a_lower_limit_is_refused():
    with pytest.raises(ValueError, match="more than the 250"):
        election([Ballot.approving(["speeltuin"])], Knapsack(limit=250))


def test_an_approval_ballot_over_k_is_refused():
    with pytest.raises(ValueError, match="approves 3 projects; at most 2"):
        election([Ballot.approving(["speeltuin", "bankjes", "bloembakken"])], Approval(max_projects=2))


@pytest.mark.parametrize("ballot_format", [Approval(max_projects=2, min_projects=2), Knapsack(min_projects=2)])
def test_an_approval_ballot_under_its_minimum_is_refused(ballot_format):
    with pytest.raises(ValueError, match="at least 2 must be chosen"):
        election([Ballot.approving(["bankjes"])], ballot_format)


def test_an_approval_ballot_gives_no_points():
    with pytest.raises(ValueError, match="does not give points"):
        election([Ballot({"bankjes": 2})], Approval(None))


def test_a_points_ballot_over_n_is_refused():
    election([Ballot({"bankjes": 3, "speeltuin": 2})], Points(total=5))  # all five: fine

    with pytest.raises(ValueError, match="spreads 6 points; only 5"):
        election([Ballot({"bankjes": 4, "speeltuin": 2})], Points(total=5))


@pytest.mark.parametrize("points", [0, -1, 1.5, True, "2"])
def test_points_are_whole_numbers_of_at_least_one(points):
    with pytest.raises(ValueError, match="whole numbers of at least 1"):
        election([Ballot({"bankjes": points})], Points(total=5))


def test_a_points_ballot_over_the_points_per_project_is_refused():
    with pytest.raises(ValueError, match="at most 3 per project"):
        election([Ballot({"bankjes": 4})], Points(total=5, max_per_project=3))


def test_a_points_ballot_over_fewer_than_m_projects_is_refused():
    with pytest.raises(ValueError, match="at least 2 must get some"):
        election([Ballot({"bankjes": 5})], Points(total=5, min_projects=2))


def test_greedy_takes_no_completion():
    with pytest.raises(ValueError, match="no completion"):
        count(election([Ballot.approving(["bankjes"])]), method=Method.GREEDY, completion=Completion.ADD1, seed="x")


def test_the_add1_step_must_be_more_than_zero():
    with pytest.raises(ValueError, match="more than 0"):
        equal_shares(election([Ballot.approving(["bankjes"])]), seed="x", completion=Completion.ADD1, increment=0)
