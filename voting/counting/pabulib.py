"""Pabulib (.pb) files: read a published election, write ours with its result and anonymised ballots.

The format (pabulib.org/format): three sections, META (``key;value``), PROJECTS and VOTES, each a
header row and ``;``-separated rows; lists inside a cell (the projects a ballot chose, their points)
are ``,``-separated. Samenlab's ballot formats map onto it as:

- knapsack: ``vote_type`` approval with ``max_sum_cost``;
- approval up to k: ``vote_type`` approval with ``max_length`` (none: any number);
- points: ``vote_type`` cumulative with ``max_sum_points`` (``max_points`` per project, if any);
- at least m projects: ``min_length`` (left out when there is no minimum).

Written ballots are anonymised: sorted by what they chose and numbered 1, 2, 3, …, so that neither the
order nor the time of casting, nor any voter key, can be read from the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from voting.counting.election import Approval, Ballot, Election, Knapsack, Points, Project
from voting.counting.outcome import Funded, Outcome

# What the writer takes from the caller, in the order Pabulib lists META fields; the rest is counted.
DESCRIPTIVE_META = ("description", "country", "unit", "district", "subunit", "instance", "date_begin",
                    "date_end", "edition", "language", "currency", "comment", "acknowledgments")
REQUIRED_META = ("description", "country", "unit", "instance", "date_begin", "date_end")


@dataclass(frozen=True)
class PabulibFile:
    """A file read: the election, its META section and the other PROJECTS columns (``votes``,
    ``selected``, …) per project id, as text."""

    election: Election
    meta: dict[str, str]
    project_meta: dict[str, dict[str, str]]

    @property
    def selected(self) -> frozenset[str]:
        """The projects the file marks as funded (``selected`` = 1)."""
        return frozenset(project_id for project_id, columns in self.project_meta.items()
                         if columns.get("selected", "").strip() == "1")


def read_pabulib_file(path: str | Path) -> PabulibFile:
    return read_pabulib(Path(path).read_text(encoding="utf-8-sig"))


def read_pabulib(text: str) -> PabulibFile:
    """Parse a .pb file's text. Refuses (``ValueError``) a file that is not one, a vote type Samenlab
    does not count (ordinal, scoring, choose-1), and any ballot its own META section forbids."""
    sections: dict[str, list[list[str]]] = {}
    current = None
    for row in csv.reader(text.lstrip("\ufeff").splitlines(), delimiter=";"):
        if not row or not any(cell.strip() for cell in row):
            continue
        marker = row[0].strip().upper()
        if marker in ("META", "PROJECTS", "VOTES") and len(row) == 1:
            if marker in sections:
                raise ValueError(f"The file has two {marker} sections.")
            current = sections[marker] = []
        elif current is None:
            raise ValueError("A Pabulib file starts with its META section.")
        else:
            current.append([cell.strip() for cell in row])
    missing = [name for name in ("META", "PROJECTS", "VOTES") if not sections.get(name)]
    if missing:
        raise ValueError(f"The file has no {' or '.join(missing)} section (or only an empty one).")
    meta = {row[0]: row[1] if len(row) > 1 else "" for row in sections["META"][1:]}
    projects, project_meta = _read_projects(_records(sections["PROJECTS"], "PROJECTS"))
    for key in ("budget", "vote_type"):
        if key not in meta:
            raise ValueError(f"META has no {key!r}.")
    budget = _number(meta["budget"], "The budget")
    ballot_format = _ballot_format(meta)
    ballots = [_ballot(record, ballot_format) for record in _records(sections["VOTES"], "VOTES")]
    election = Election(tuple(projects), budget, ballot_format, tuple(ballots))
    return PabulibFile(election, meta, project_meta)


def write_pabulib(election: Election, *, meta: Mapping[str, str], outcome: Outcome | None = None) -> str:
    """The election as .pb text: ``meta`` supplies the descriptive META fields (description, country, unit,
    instance, date_begin, date_end required; dates as DD.MM.YYYY or YYYY); the counts, budget, vote type
    and limits come from the election, the rule and the ``selected`` column from ``outcome``."""
    unknown = sorted(set(meta) - set(DESCRIPTIVE_META))
    if unknown:
        raise ValueError(f"META fields {unknown} are not descriptive: the writer counts or derives them itself.")
    missing = [key for key in REQUIRED_META if not str(meta.get(key, "")).strip()]
    if missing:
        raise ValueError(f"Pabulib requires the META fields {missing}.")
    support = election.support()
    points_ballots = isinstance(election.ballot_format, Points)
    rows: list[list[str]] = [["META"], ["key", "value"]]
    rows += [[key, _text(meta[key])] for key in DESCRIPTIVE_META[:6] if meta.get(key)]
    rows += [["num_projects", str(len(election.projects))], ["num_votes", str(len(election.ballots))],
             ["budget", _decimal(election.budget)],
             ["vote_type", "cumulative" if points_ballots else "approval"],
             ["rule", outcome.pabulib_rule if outcome else "unknown"]]
    rows += [[key, _text(meta[key])] for key in DESCRIPTIVE_META[6:8]]
    rows += _limits(election)
    rows += [[key, _text(meta[key])] for key in DESCRIPTIVE_META[8:] if meta.get(key)]

    selected = {item.project_id for item in outcome.explanations if isinstance(item, Funded)} if outcome else None
    header = ["project_id", "cost", "votes", *(["score"] if points_ballots else []), "name",
              *(["selected"] if outcome else [])]
    rows += [["PROJECTS"], header]
    for project in election.projects:
        votes, points = support[project.id]
        rows.append([project.id, _decimal(project.cost), str(votes), *([str(points)] if points_ballots else []),
                     _text(project.name), *([str(int(project.id in selected))] if selected is not None else [])])

    rows += [["VOTES"], ["voter_id", "vote", *(["points"] if points_ballots else [])]]
    position = {project.id: index for index, project in enumerate(election.projects)}
    for number, ballot in enumerate(sorted(election.ballots, key=Ballot.sort_key), start=1):
        # Most points first, as Pabulib lists them; then in the order of the projects.
        chosen = sorted(ballot.points, key=lambda project_id: (-ballot.points[project_id], position[project_id]))
        rows.append([str(number), ",".join(chosen),
                     *([",".join(str(ballot.points[project_id]) for project_id in chosen)] if points_ballots else [])])
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return out.getvalue()


def _records(rows: list[list[str]], section: str) -> list[dict[str, str]]:
    header, *body = rows
    for number, row in enumerate(body, start=1):
        if len(row) > len(header):
            raise ValueError(f"{section} row {number} has more cells than the header names.")
    return [dict(zip(header, row, strict=False)) for row in body]


def _read_projects(records: list[dict[str, str]]) -> tuple[list[Project], dict[str, dict[str, str]]]:
    projects, project_meta = [], {}
    for record in records:
        if "project_id" not in record or "cost" not in record:
            raise ValueError("Every project needs a project_id and a cost.")
        project_id = record["project_id"]
        cost = _number(record["cost"], f"The cost of project {project_id!r}")
        projects.append(Project(project_id, cost, record.get("name", "")))
        project_meta[project_id] = {key: value for key, value in record.items()
                                    if key not in ("project_id", "cost", "name")}
    return projects, project_meta


def _ballot_format(meta: dict[str, str]) -> Knapsack | Approval | Points:
    vote_type = meta["vote_type"]
    minimum = _whole(meta.get("min_length", "0"), "min_length")
    if vote_type == "cumulative":
        if "max_sum_points" not in meta:
            raise ValueError("A cumulative (points) file needs max_sum_points.")
        per_project = _whole(meta["max_points"], "max_points") if meta.get("max_points") else None
        return Points(_whole(meta["max_sum_points"], "max_sum_points"), minimum, per_project)
    if vote_type != "approval":
        raise ValueError(f"Samenlab counts approval and cumulative ballots, not {vote_type!r}.")
    if meta.get("max_sum_cost"):
        return Knapsack(_number(meta["max_sum_cost"], "max_sum_cost"), minimum)
    maximum = _whole(meta["max_length"], "max_length") if meta.get("max_length") else None
    return Approval(maximum, minimum)


def _ballot(record: dict[str, str], ballot_format) -> Ballot:
    chosen = [item.strip() for item in record.get("vote", "").split(",") if item.strip()]
    if not isinstance(ballot_format, Points):
        return Ballot.approving(chosen)
    given = [item.strip() for item in record.get("points", "").split(",") if item.strip()]
    if len(given) != len(chosen) or len(set(chosen)) != len(chosen):
        raise ValueError(f"Voter {record.get('voter_id', '?')!r}: each project chosen once, with its points.")
    return Ballot({project_id: _whole(points, "points") for project_id, points in zip(chosen, given, strict=True)})


def _limits(election: Election) -> list[list[str]]:
    ballot_format = election.ballot_format
    rows = [["min_length", str(ballot_format.min_projects)]] if ballot_format.min_projects else []
    if isinstance(ballot_format, Approval) and ballot_format.max_projects is not None:
        rows.append(["max_length", str(ballot_format.max_projects)])
    elif isinstance(ballot_format, Knapsack):
        rows.append(["max_sum_cost", _decimal(ballot_format.limit)])
    elif isinstance(ballot_format, Points):
        if ballot_format.max_per_project is not None:
            rows.append(["max_points", str(ballot_format.max_per_project)])
        rows.append(["max_sum_points", str(ballot_format.total)])
    return rows


def _number(text: str, what: str) -> Fraction:
    try:
        return Fraction(text.replace(",", "."))  # older Pabulib files write decimal commas
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{what} is not a number: {text!r}.") from None


def _whole(text: str, what: str) -> int:
    number = _number(text, what)
    if number.denominator != 1:
        raise ValueError(f"{what} must be a whole number, not {text!r}.")
    return int(number)


def _decimal(amount: Fraction) -> str:
    """Exact decimal text; an amount that has none (a third of a euro) cannot be written."""
    if amount.denominator == 1:
        return str(amount.numerator)
    places, scaled = 0, amount
    while scaled.denominator != 1:
        places, scaled = places + 1, scaled * 10
        if places > 12:
            raise ValueError(f"{amount} has no exact decimal notation to write.")
    digits = str(scaled.numerator).rjust(places + 1, "0")  # amounts are never negative (as_money)
    return f"{digits[:-places]}.{digits[-places:]}"


def _text(value) -> str:
    """One line without surrounding spaces: Pabulib rows are lines, and its checker refuses padded cells."""
    return " ".join(str(value).split())
