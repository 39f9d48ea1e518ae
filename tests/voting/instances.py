"""The elections the tests count: the published Pabulib instances kept in pabulib/ (see its README) and
seeded random ones, small and full of ties, written out as .pb text so that both counters read the same file."""

import random
from pathlib import Path

from voting.counting import Approval, Ballot, Election, Knapsack, Points, Project, write_pabulib

PABULIB_DIR = Path(__file__).parent / "pabulib"
PUBLISHED = sorted(PABULIB_DIR.glob("*.pb"))
SEED = "Molenlanden kernbudget 2026"

META = {"description": "Kernbudget Testdorp", "country": "Netherlands", "unit": "Molenlanden", "subunit": "Testdorp",
        "instance": "2026", "date_begin": "01.03.2026", "date_end": "31.03.2026", "language": "nl",
        "currency": "EUR"}


def random_election(seed: int, ballot_kind: str) -> Election:
    """A small election where ties are likely: few costs, few voters; on approval ballots some are empty.
    Every project gets a vote, so that the comparison with the reference does not meet the one deliberate
    difference (unvoted projects)."""
    rng = random.Random(seed)
    projects = tuple(Project(f"p{number}", rng.choice((100, 200, 300, 400)), f"Project {number}")
                     for number in range(1, rng.randint(4, 8) + 1))
    budget = rng.choice((500, 600, 800, 1000))
    ids = [project.id for project in projects]
    if ballot_kind == "points":
        ballot_format = Points(total=5, min_projects=1)
    elif ballot_kind == "knapsack":
        ballot_format = Knapsack(budget, min_projects=1)
    else:
        ballot_format = Approval(max_projects=3, min_projects=0)  # an empty ballot still holds a share
    while True:
        ballots = [_random_ballot(rng, projects, budget, ballot_format) for _ in range(rng.randint(5, 30))]
        if {project_id for ballot in ballots for project_id in ballot.points} == set(ids):
            return Election(projects, budget, ballot_format, tuple(ballots))


def _random_ballot(rng: random.Random, projects, budget, ballot_format) -> Ballot:
    if isinstance(ballot_format, Points):
        chosen = rng.sample(projects, rng.randint(1, min(3, len(projects))))
        points = dict.fromkeys((project.id for project in chosen), 1)
        for _ in range(rng.randint(0, ballot_format.total - len(chosen))):
            points[rng.choice(chosen).id] += 1
        return Ballot(points)
    if isinstance(ballot_format, Knapsack):
        chosen, spent = [], 0
        for project in rng.sample(projects, len(projects)):
            if spent + project.cost <= budget and rng.random() < 0.5:
                chosen.append(project.id)
                spent += project.cost
        return Ballot.approving(chosen or [min(projects, key=lambda project: project.cost).id])
    return Ballot.approving(project.id for project in rng.sample(projects, rng.randint(0, 3)))


def as_pb(election: Election) -> str:
    return write_pabulib(election, meta=META)
