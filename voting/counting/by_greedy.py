"""Greedy counting: the most votes (on a points ballot: the most points) first, while the money lasts.

A project that no longer fits is skipped and the next one tried. Ties go by ``TieBreak``. It is also the
completion that Equal Shares may end with: the same walk, over what Equal Shares left unbought, with the
money it left.
"""

from __future__ import annotations

from fractions import Fraction

from voting.counting.election import Election
from voting.counting.outcome import Completion, DidNotFit, Funded, Method, NoVotes, Outcome, Stage
from voting.counting.tiebreak import TieBreak


def greedy(election: Election, *, seed: str) -> Outcome:
    tie_break = TieBreak(election, seed)
    support = election.support()
    funded, skipped = buy_greedily(election, support, tie_break, bought=(), money_left=election.budget,
                                   stage=Stage.GREEDY)
    explanations = []
    for project in election.projects:
        votes, points = support[project.id]
        if project.id in funded:
            explanations.append(funded[project.id])
        elif votes == 0:
            explanations.append(NoVotes(project.id, project.cost))
        else:
            explanations.append(DidNotFit(project.id, project.cost, votes, points, skipped[project.id]))
    return Outcome(method=Method.GREEDY, completion=Completion.NONE, budget=election.budget, seed=seed,
                   selected=tuple(funded), explanations=tuple(explanations))


def buy_greedily(election: Election, support: dict[str, tuple[int, int]], tie_break: TieBreak, *,
                 bought: tuple[str, ...], money_left: Fraction, stage: Stage,
                 ) -> tuple[dict[str, Funded], dict[str, Fraction]]:
    """Walk the projects not in ``bought`` that someone voted for, best first, and buy each that fits in
    ``money_left``. Returns the projects bought (in order, numbered on after ``bought``) and, for each one
    skipped, the money that was left when its turn came."""
    score = 0 if election.ballot_format.approval_based else 1  # votes, or points
    candidates = [project for project in election.projects
                  if project.id not in bought and support[project.id][0] > 0]
    candidates.sort(key=lambda project: (-support[project.id][score], tie_break.key(project.id)))
    funded: dict[str, Funded] = {}
    skipped: dict[str, Fraction] = {}
    for project in candidates:
        if project.cost > money_left:
            skipped[project.id] = money_left
            continue
        money_left -= project.cost
        votes, points = support[project.id]
        funded[project.id] = Funded(project.id, project.cost, votes, points, position=len(bought) + len(funded) + 1,
                                    stage=stage, money_left=money_left)
    return funded, skipped
