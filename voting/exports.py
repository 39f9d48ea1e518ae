"""What anyone may download once a vote is over, to check it: a budget's Pabulib file (.pb) and the anonymised
ballots as CSV.

Precondition of every function: the viewer may ``voting.view_results`` on the box and the box is closed (for a
budget: its result is published). The views ask this; these functions only read.

The ballots carry no voter, no id and no date (not even the day), and the CSV lists them in an order drawn from
the system's secure random source for every download: neither the order of casting nor the order of the random
ids in the database can be read from it (decision 32). The .pb file sorts them by what they say (the writer's
own anonymisation).
"""

from __future__ import annotations

import csv
import datetime
import io
import secrets
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext as _

from core.documents import safe_cell
from voting import counting
from voting.models import BallotBox, Budget, Poll, PollKind, ProjectState
from voting.services.results import ballots_of, election_of

COUNTRY = "Netherlands"
UNIT = "Molenlanden"
CSV_TYPE = "text/csv; charset=utf-8"
PABULIB_TYPE = "text/plain; charset=utf-8"


# The published result, as the counting core has it ------------------------------------------------------------

def published_outcome(box: BallotBox) -> counting.Outcome:
    """The published result of a budget's box (``box.result``) as an ``Outcome``: the funded projects in the order
    they were bought, by the published rule and seed. What the .pb file marks as ``selected`` is this, never a
    new count: a file and a recount that disagree must show it."""
    result = box.result
    funded = []
    for item in result["explanations"]:
        if item["kind"] != "Funded":
            continue
        funded.append(counting.Funded(
            project_id=item["project"], cost=Fraction(item["cost"]), votes=int(item.get("votes", 0)),
            points=int(item.get("points", 0)), position=int(item.get("position", 0)),
            stage=counting.Stage(item.get("stage", "greedy")), money_left=Fraction(item.get("money_left", "0"))))
    return counting.Outcome(method=counting.Method(result["method"]),
                            completion=counting.Completion(result.get("completion", "none")),
                            budget=Fraction(result["budget"]), seed=result["seed"],
                            selected=tuple(result["selected"]), explanations=tuple(funded))


def _day(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y")


def pabulib_meta(budget: Budget) -> dict[str, str]:
    """The descriptive META fields: where (Molenlanden, the kern) and when (the days the box was open)."""
    box = budget.box
    place = box.kern.name if box.kern_id else UNIT
    last_moment = box.closes_at - datetime.timedelta(microseconds=1)  # closing at midnight: the day before
    return {"description": budget.title, "country": COUNTRY, "unit": UNIT, "instance": place,
            "date_begin": _day(box.opens_at), "date_end": _day(last_moment),
            "edition": str(timezone.localtime(last_moment).year), "language": "nl", "currency": "EUR"}


def pabulib_file(budget: Budget) -> str:
    """The budget as a Pabulib file: its projects, every anonymised ballot and the published result.
    Precondition: ``budget.box`` was read with its kern, and its result is published."""
    election = election_of(budget)
    return counting.write_pabulib(election, meta=pabulib_meta(budget), outcome=published_outcome(budget.box))


def pabulib_filename(budget: Budget) -> str:
    return f"{budget.slug}.pb"


# The ballots as CSV ------------------------------------------------------------------------------------------

def shuffled(rows: list) -> list:
    """``rows`` in a new order from the operating system's secure random source (not Python's ``random``, whose
    order could be predicted from earlier downloads)."""
    secrets.SystemRandom().shuffle(rows)
    return rows


def _columns(subject) -> list[tuple[str, str]]:
    """(key in a ballot's choices, column heading) for each column of the CSV."""
    if isinstance(subject, Poll):
        if subject.kind == PollKind.SCALE:
            return [("scale", _("waarde"))]
        return [(str(option.pk), f"{option.pk}: {option.label}") for option in subject.options.all()]
    projects = subject.projects.filter(state=ProjectState.FEASIBLE).order_by("pk")
    return [(str(project.pk), f"{project.pk}: {project.title}") for project in projects]


def ballots_csv(box: BallotBox) -> bytes:
    """One row per ballot, one column per project (or option) headed by its number and title; a cell holds the
    points the ballot gave it (0 or 1, except on a points ballot; a scale poll: the value chosen). For Dutch Excel:
    ``;`` and UTF-8 with a BOM. Precondition: ``box`` was read with its poll or budget."""
    columns = _columns(box.subject)
    rows = [[choices.get(key, 0) for key, _heading in columns] for choices in ballots_of(box)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(heading) for _key, heading in columns])
    writer.writerows(shuffled(rows))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def ballots_filename(box: BallotBox) -> str:
    subject = box.subject
    if isinstance(subject, Budget):
        return f"{subject.slug}-stembiljetten.csv"
    return f"peiling-{subject.pk}-stembiljetten.csv"
