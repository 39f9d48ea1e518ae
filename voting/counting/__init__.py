"""Counting a village budget (participatory budgeting): pure Python, no Django, exact fractions.

    election = Election(projects, budget, Knapsack(), ballots)   # refuses bad input with ValueError
    outcome = count(election, method=Method.EQUAL_SHARES, completion=Completion.ADD1, seed="published seed")
    outcome.selected, outcome.explanation("speeltuin")
    write_pabulib(election, meta={...}, outcome=outcome)          # the result and anonymised ballots

The results equal those of the reference implementation ``pabutools`` (tests/voting), with one
deliberate difference: a project nobody voted for is never funded (pabutools' greedy buys it when
money is left).
"""

from voting.counting.by_equal_shares import equal_shares
from voting.counting.by_greedy import greedy
from voting.counting.election import Approval, Ballot, BallotFormat, Election, Knapsack, Points, Project, as_money
from voting.counting.outcome import (
    Completion,
    DidNotFit,
    Explanation,
    Funded,
    Method,
    NoVotes,
    Outcome,
    Payment,
    Stage,
    SupportersShort,
)
from voting.counting.pabulib import PabulibFile, read_pabulib, read_pabulib_file, write_pabulib
from voting.counting.tiebreak import TieBreak, lot_order


def count(election: Election, *, method: Method, seed: str, completion: Completion = Completion.NONE) -> Outcome:
    """Count by the rule the budget sets. ``completion`` applies to Equal Shares only."""
    if Method(method) is Method.GREEDY:
        if Completion(completion) is not Completion.NONE:
            raise ValueError("Greedy counting spends what fits by itself; it takes no completion.")
        return greedy(election, seed=seed)
    return equal_shares(election, seed=seed, completion=completion)


__all__ = [
    "Approval", "Ballot", "BallotFormat", "Completion", "DidNotFit", "Election", "Explanation", "Funded",
    "Knapsack", "Method", "NoVotes", "Outcome", "PabulibFile", "Payment", "Points", "Project", "Stage",
    "SupportersShort", "TieBreak", "as_money", "count", "equal_shares", "greedy", "lot_order", "read_pabulib",
    "read_pabulib_file", "write_pabulib",
]
