"""Hand-made elections with known answers: the two worked examples on equalshares.net/explanation (11
voters, €1,100, five projects), counted by hand there, and greedy on the same ballots (the site's
"most cities use a simple method" paragraph), with the explanations that follow from them."""

from fractions import Fraction

from voting.counting import (
    Approval,
    Ballot,
    DidNotFit,
    Election,
    Method,
    Project,
    Stage,
    SupportersShort,
    count,
    equal_shares,
)

PROJECTS = (Project("fietspad", 700, "Fietspad"), Project("buitensport", 400, "Buitensporttoestellen"),
            Project("park", 250, "Nieuw park"), Project("speeltuin", 200, "Nieuwe speeltuin"),
            Project("bibliotheek", 100, "Kinderbibliotheek"))


def example(right_most_voter_picks: str) -> Election:
    """Voters 1–11 as in the tables on equalshares.net; voter 11 picks the bike path (example 1) or the
    outdoor gym (example 2)."""
    picks = {voter: [] for voter in range(1, 12)}
    for voter in range(1, 7):
        picks[voter] += ["fietspad", "buitensport"]
    for voter in (2, 4, 5, 7, 10):
        picks[voter].append("park")
    for voter in (7, 8, 9, 10):
        picks[voter].append("speeltuin")
    for voter in (7, 9, 10):
        picks[voter].append("bibliotheek")
    picks[11].append(right_most_voter_picks)
    return Election(PROJECTS, 1100, Approval(max_projects=None), tuple(Ballot.approving(picks[v]) for v in picks))


def test_example_1_funds_the_bike_path_then_the_playground_then_the_library():
    outcome = equal_shares(example("fietspad"), seed="x")

    assert outcome.selected == ("fietspad", "speeltuin", "bibliotheek")
    assert outcome.voter_budget == 100
    bike, playground, library = (outcome.explanation(name) for name in outcome.selected)
    assert bike.equal_share == 100 and bike.payers == 7
    assert playground.equal_share == 50 and playground.payers == 4
    assert library.equal_share == Fraction(100, 3) and library.payers == 3


def test_example_1_explains_the_park_and_the_gym():
    outcome = equal_shares(example("fietspad"), seed="x")

    park, gym = outcome.explanation("park"), outcome.explanation("buitensport")
    assert park == SupportersShort("park", 250, votes=5, points=5, supporters_share=500,
                                   supporters_left=Fraction(100, 3), outbid_by="fietspad")
    assert gym.outbid_by == "fietspad" and gym.supporters_left == 0


def test_example_2_funds_the_gym_then_the_park_then_the_playground():
    outcome = equal_shares(example("buitensport"), seed="x")

    assert outcome.selected == ("buitensport", "park", "speeltuin")
    gym, park, playground = (outcome.explanation(name) for name in outcome.selected)
    assert gym.equal_share == Fraction(400, 7)
    # Three supporters have only 300/7 (≈ €42.86) left and pay all of it; the other two share the rest.
    assert park.equal_share is None
    assert park.highest_payment == Fraction(425, 7) and park.lowest_payment == Fraction(300, 7)
    assert {(payment.amount, payment.voters) for payment in park.payments} == {(Fraction(425, 7), 2),
                                                                                (Fraction(300, 7), 3)}
    assert {(payment.amount, payment.voters) for payment in playground.payments} == {(Fraction(425, 7), 2),
                                                                                      (Fraction(275, 7), 2)}


def test_example_2_explains_the_bike_path_and_the_library():
    outcome = equal_shares(example("buitensport"), seed="x")

    bike, library = outcome.explanation("fietspad"), outcome.explanation("bibliotheek")
    # Six voters with €100 each never had the €700 together: nobody outbid it.
    assert bike.outbid_by is None and bike.supporters_share == 600 and bike.supporters_left == 3 * Fraction(300, 7)
    assert library.outbid_by == "speeltuin" and library.supporters_left == Fraction(275, 7)


def test_greedy_funds_the_most_votes_first_as_on_equalshares_net():
    """"They would select the bike path (7 votes) and then the outdoor gym (6 votes), and then stop because
    the budget is exhausted."""
    outcome = count(example("fietspad"), method=Method.GREEDY, seed="x")

    assert outcome.selected == ("fietspad", "buitensport")
    assert outcome.explanation("park") == DidNotFit("park", 250, votes=5, points=5, money_left=0)


def test_greedy_skips_a_project_that_does_not_fit_and_tries_the_next():
    election = example("fietspad")
    smaller = Election(election.projects, 1000, election.ballot_format, election.ballots)

    outcome = count(smaller, method=Method.GREEDY, seed="x")

    assert outcome.selected == ("fietspad", "park")
    assert outcome.explanation("buitensport") == DidNotFit("buitensport", 400, votes=6, points=6, money_left=300)
    assert outcome.explanation("park").money_left == 50
    assert all(outcome.explanation(name).stage is Stage.GREEDY for name in outcome.selected)
