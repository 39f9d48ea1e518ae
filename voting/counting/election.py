"""What is counted: the projects of a village budget, the ballot format the budget sets, and the ballots.

Money is exact: amounts are ``Fraction`` throughout, so that a count gives the same result on every
machine and equals the reference implementation, which also counts in exact fractions. Every guard
raises ``ValueError`` with a sentence that says what is wrong and where.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType

# Pabulib separates cells with ";" and list items with ","; an id holding either could not be written back.
FORBIDDEN_IN_IDS = frozenset(";,\r\n\"")

Money = int | str | decimal.Decimal | Fraction


def as_money(value: Money, *, what: str) -> Fraction:
    """An exact amount. Floats are refused: 0.1 is not exactly a tenth, and a count must not depend on rounding."""
    if isinstance(value, bool | float):
        raise ValueError(f"{what} must be an exact amount (int, Decimal, Fraction or text), not {value!r}.")
    try:
        amount = Fraction(value.strip()) if isinstance(value, str) else Fraction(value)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError):
        raise ValueError(f"{what} is not an amount: {value!r}.") from None
    if amount < 0:
        raise ValueError(f"{what} cannot be negative: {value!r}.")
    return amount


@dataclass(frozen=True)
class Project:
    """A project on the ballot. ``id`` is what ballots name; ``cost`` is what it takes from the budget."""

    id: str
    cost: Fraction
    name: str = ""

    def __post_init__(self):
        if not isinstance(self.id, str) or not self.id.strip() or self.id != self.id.strip():
            raise ValueError(f"A project id must be non-empty text without surrounding spaces, not {self.id!r}.")
        if FORBIDDEN_IN_IDS & set(self.id):
            raise ValueError(f"Project id {self.id!r} may not contain ';', ',', quotes or line breaks.")
        object.__setattr__(self, "cost", as_money(self.cost, what=f"The cost of project {self.id!r}"))
        if self.cost == 0:
            # Equal Shares prices a project per euro of its cost; a free project needs no budget vote.
            raise ValueError(f"Project {self.id!r} costs nothing; only projects that cost money go on the ballot.")


@dataclass(frozen=True)
class Ballot:
    """One voter's choice: the projects chosen, with the points each got (1 for each project on an approval
    ballot). Kept as a plain mapping; the ballot format of the budget decides what is allowed."""

    points: Mapping[str, int]

    def __post_init__(self):
        object.__setattr__(self, "points", MappingProxyType(dict(self.points)))  # a cast ballot does not change

    def __hash__(self):
        return hash(self.sort_key())

    @classmethod
    def approving(cls, project_ids: Iterable[str]) -> Ballot:
        """An approval (or knapsack) ballot. A project named twice is refused, not silently merged."""
        ids = list(project_ids)
        if len(set(ids)) != len(ids):
            raise ValueError(f"A ballot names a project more than once: {sorted(ids)}.")
        return cls({project_id: 1 for project_id in ids})

    @property
    def projects(self) -> frozenset[str]:
        return frozenset(self.points)

    def sort_key(self) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(self.points.items()))


@dataclass(frozen=True)
class Knapsack:
    """Choose any projects whose costs add up to at most ``limit`` (the budget itself when not set)."""

    limit: Fraction | None = None
    min_projects: int = 1
    approval_based = True

    def __post_init__(self):
        if self.limit is not None:
            object.__setattr__(self, "limit", as_money(self.limit, what="The knapsack limit"))
        _check_count(self.min_projects, "min_projects")

    def check(self, ballot: Ballot, election: Election) -> None:
        _check_approval(ballot, self.min_projects)
        limit = election.budget if self.limit is None else self.limit
        total = sum((election.project(project_id).cost for project_id in ballot.points), Fraction(0))
        if total > limit:
            raise ValueError(f"The projects chosen cost {total} together, more than the {limit} a ballot may spend.")


@dataclass(frozen=True)
class Approval:
    """Approve at most ``max_projects`` projects (any number when ``None``), at least ``min_projects``."""

    max_projects: int | None
    min_projects: int = 1
    approval_based = True

    def __post_init__(self):
        _check_count(self.min_projects, "min_projects")
        if self.max_projects is not None:
            _check_count(self.max_projects, "max_projects", minimum=max(self.min_projects, 1))

    def check(self, ballot: Ballot, election: Election) -> None:
        _check_approval(ballot, self.min_projects)
        if self.max_projects is not None and len(ballot.points) > self.max_projects:
            raise ValueError(f"A ballot approves {len(ballot.points)} projects; at most {self.max_projects} may.")


@dataclass(frozen=True)
class Points:
    """Spread at most ``total`` whole points over at least ``min_projects`` projects (cardinal ballots)."""

    total: int
    min_projects: int = 1
    max_per_project: int | None = None
    approval_based = False

    def __post_init__(self):
        _check_count(self.min_projects, "min_projects")
        _check_count(self.total, "total", minimum=1)
        if self.max_per_project is not None:
            _check_count(self.max_per_project, "max_per_project", minimum=1)

    def check(self, ballot: Ballot, election: Election) -> None:
        for project_id, points in ballot.points.items():
            if isinstance(points, bool) or not isinstance(points, int) or points < 1:
                raise ValueError(f"Points must be whole numbers of at least 1; {project_id!r} got {points!r}.")
            if self.max_per_project is not None and points > self.max_per_project:
                raise ValueError(f"{project_id!r} got {points} points; at most {self.max_per_project} per project.")
        spent = sum(ballot.points.values())
        if spent > self.total:
            raise ValueError(f"A ballot spreads {spent} points; only {self.total} are there to spread.")
        if len(ballot.points) < self.min_projects:
            raise ValueError(f"A ballot gives points to {len(ballot.points)} projects; at least "
                             f"{self.min_projects} must get some.")


BallotFormat = Knapsack | Approval | Points


@dataclass(frozen=True)
class Election:
    """A village budget ready to count. Precondition for counting: none; every ballot is checked here against
    the projects and the ballot format, and the first fault found is raised as ``ValueError``."""

    projects: tuple[Project, ...]
    budget: Fraction
    ballot_format: BallotFormat
    ballots: tuple[Ballot, ...] = ()
    _by_id: dict[str, Project] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "projects", tuple(self.projects))
        object.__setattr__(self, "ballots", tuple(self.ballots))
        object.__setattr__(self, "budget", as_money(self.budget, what="The budget"))
        if not isinstance(self.ballot_format, Knapsack | Approval | Points):
            raise ValueError(f"Unknown ballot format {self.ballot_format!r}: use Knapsack, Approval or Points.")
        if isinstance(self.ballot_format, Knapsack) and self.ballot_format.limit is None:
            # One spelling for "as much as the budget", so that an election equals itself read back from a file.
            object.__setattr__(self, "ballot_format", Knapsack(self.budget, self.ballot_format.min_projects))
        by_id: dict[str, Project] = {}
        for project in self.projects:
            if project.id in by_id:
                raise ValueError(f"Two projects have the id {project.id!r}.")
            by_id[project.id] = project
        object.__setattr__(self, "_by_id", by_id)
        for number, ballot in enumerate(self.ballots, start=1):
            unknown = sorted(set(ballot.points) - by_id.keys())
            if unknown:
                raise ValueError(f"Ballot {number} names projects that are not on the ballot: {unknown}.")
            try:
                self.ballot_format.check(ballot, self)
            except ValueError as error:
                raise ValueError(f"Ballot {number}: {error}") from None

    def project(self, project_id: str) -> Project:
        return self._by_id[project_id]

    def support(self) -> dict[str, tuple[int, int]]:
        """Per project id: (votes, points): how many ballots chose it, and the points they gave it together."""
        votes = dict.fromkeys(self._by_id, 0)
        points = dict.fromkeys(self._by_id, 0)
        for ballot in self.ballots:
            for project_id, given in ballot.points.items():
                votes[project_id] += 1
                points[project_id] += given
        return {project_id: (votes[project_id], points[project_id]) for project_id in self._by_id}


def _check_count(value: int, name: str, minimum: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, not {value!r}.")


def _check_approval(ballot: Ballot, min_projects: int) -> None:
    if any(points != 1 for points in ballot.points.values()):
        raise ValueError("An approval ballot chooses projects; it does not give points.")
    if len(ballot.points) < min_projects:
        raise ValueError(f"A ballot chooses {len(ballot.points)} projects; at least {min_projects} must be chosen.")
