"""The public recount side by side: what was published and what a count of the anonymised ballots gives now.

The page ``voting:recount`` (and ``voting:poll_recount``) and the command ``manage.py recount`` both show this.
Precondition for ``compare``: the box's result is published and the viewer may ``voting.view_results``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from voting.models import BallotBox, Budget, Poll, PollKind
from voting.services._common import VotingError
from voting.services.results import recount

# Why a project was or was not funded (the kinds of ``voting.counting.outcome``), in a word or two.
WHY = {
    "Funded": _("gekozen"),
    "NoVotes": _("geen stemmen"),
    "SupportersShort": _("te weinig geld over bij wie ervoor stemde"),
    "DidNotFit": _("paste niet meer in het budget"),
}


@dataclass(frozen=True)
class Side:
    """One result's figures for one project or option."""

    votes: int
    chosen: bool = False
    why: str = ""


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    published: Side | None
    recounted: Side | None

    @property
    def same(self) -> bool:
        return self.published == self.recounted


@dataclass(frozen=True)
class Comparison:
    same: bool
    seed: str
    ballots_published: int
    ballots_recounted: int
    rows: list[Row] = field(default_factory=list)
    problem: str = ""  # the ballots could not be counted at all (e.g. one names a project not on the ballot)


def _budget_sides(result: dict) -> dict[str, Side]:
    return {item["project"]: Side(votes=int(item.get("votes", 0)), chosen=item["kind"] == "Funded",
                                  why=str(WHY.get(item["kind"], item["kind"])))
            for item in result.get("explanations", [])}


def _poll_sides(result: dict) -> dict[str, Side]:
    return {str(key): Side(votes=int(count)) for key, count in (result.get("counts") or {}).items()}


def _labels(subject) -> dict[str, str]:
    if isinstance(subject, Budget):
        return {str(pk): title for pk, title in subject.projects.order_by("pk").values_list("pk", "title")}
    if subject.kind == PollKind.SCALE:
        ends = {1: subject.scale_low, subject.scale_size: subject.scale_high}
        return {str(value): f"{value} ({ends[value]})" if ends.get(value) else str(value)
                for value in range(1, subject.scale_size + 1)}
    return {str(pk): label for pk, label in subject.options.values_list("pk", "label")}


def compare(box: BallotBox) -> Comparison:
    """Count ``box`` again (``voting.services.results.recount``) and set the two results side by side.
    Precondition: ``box`` was read with its poll or budget; its result is published."""
    subject = box.subject
    published = box.result or {}
    try:
        again = recount(box)
    except (ValueError, VotingError) as error:  # a ballot the count refuses: that alone is a difference
        return Comparison(same=False, seed=box.seed, ballots_published=int(published.get("ballots", 0)),
                          ballots_recounted=box.ballots.count(), problem=str(getattr(error, "message", error)))
    sides = _budget_sides if isinstance(subject, Budget) else _poll_sides
    before, after = sides(again.published), sides(again.recounted)
    labels = _labels(subject)
    keys = list(labels) + [key for key in [*before, *after] if key not in labels]
    rows = []
    for key in dict.fromkeys(keys):
        if isinstance(subject, Poll):  # an option nobody chose has no count: it is 0 on both sides
            rows.append(Row(key, labels.get(key, key), before.get(key, Side(0)), after.get(key, Side(0))))
        elif key in before or key in after:
            rows.append(Row(key, labels.get(key, key), before.get(key), after.get(key)))
    return Comparison(same=again.same, seed=box.seed, ballots_published=int(again.published.get("ballots", 0)),
                      ballots_recounted=int(again.recounted.get("ballots", 0)), rows=rows)
