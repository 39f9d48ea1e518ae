"""Counting a closed box, publishing its result, and the public recount.

A poll's tally is counted from its ballots whenever the rule ``voting.view_results`` lets someone see it. A
budget's result is counted once by staff after the close (``publish_result``): the lot for ties is drawn
then, the outcome is stored with its seed, and anyone can recount it from the anonymised ballots
(``recount``) and see that it is the same.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pagecache import invalidate_pages_after_commit
from voting import counting
from voting.models import Ballot, BallotBox, BallotFormat, Budget, BudgetPhase, Poll, PollKind, ProjectState
from voting.services._common import VotingError, announce, lock_box, require_perm

METHODS = {"greedy": counting.Method.GREEDY, "equal_shares": counting.Method.EQUAL_SHARES}


def ballots_of(box: BallotBox) -> list[dict[str, int]]:
    """Every ballot's choices, in the order of their random ids (not of casting)."""
    return list(Ballot.objects.filter(box=box).order_by("id").values_list("choices", flat=True))


# Polls -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PollTally:
    ballots: int
    counts: dict[str, int]  # option id (or scale value) → ballots that chose it

    def share(self, key) -> int:
        """Percentage of ballots, rounded."""
        return round(100 * self.counts.get(str(key), 0) / self.ballots) if self.ballots else 0


def tally_poll(poll: Poll, ballots: list[dict[str, int]] | None = None) -> PollTally:
    """Precondition: the caller asked ``voting.view_results`` (the tally is the result). ``ballots``: the box's
    ballots when already read (a list of polls reads them all in one query)."""
    counts: dict[str, int] = {}
    ballots = ballots if ballots is not None else ballots_of(poll.box)
    for choices in ballots:
        if poll.kind == PollKind.SCALE:
            key = str(choices.get("scale"))
            counts[key] = counts.get(key, 0) + 1
        else:
            for key in choices:
                counts[key] = counts.get(key, 0) + 1
    return PollTally(ballots=len(ballots), counts=counts)


# Budgets ---------------------------------------------------------------------------------------------------

def election_of(budget: Budget, ballots: list[dict[str, int]] | None = None) -> counting.Election:
    """The budget as the counting core sees it: the projects on the ballot, the format, the ballots."""
    projects = [counting.Project(str(project.pk), project.cost, project.title)
                for project in budget.projects.filter(state=ProjectState.FEASIBLE).order_by("pk")]
    if budget.ballot_format == BallotFormat.POINTS:
        ballot_format = counting.Points(total=budget.points_total or 1, min_projects=budget.min_projects)
    elif budget.ballot_format == BallotFormat.APPROVAL:
        ballot_format = counting.Approval(max_projects=budget.max_projects, min_projects=budget.min_projects)
    else:
        ballot_format = counting.Knapsack(min_projects=budget.min_projects)
    ballots = ballots if ballots is not None else ballots_of(budget.box)
    return counting.Election(tuple(projects), budget.amount, ballot_format,
                             tuple(counting.Ballot(choices) for choices in ballots))


def count_budget(budget: Budget, *, seed: str, ballots=None) -> counting.Outcome:
    return counting.count(election_of(budget, ballots), method=METHODS[budget.counting_rule], seed=seed)


def _money(value: Fraction) -> str:
    return str(value)


def outcome_as_data(outcome: counting.Outcome, ballots: int) -> dict:
    """The stored, published form of an outcome: exact amounts as fractions in text ("25/3")."""
    items = []
    for item in outcome.explanations:
        entry = {"project": item.project_id, "kind": type(item).__name__, "cost": _money(item.cost)}
        for name in ("votes", "points", "position", "supporters_share", "supporters_left", "outbid_by",
                     "money_left", "price_per_point", "stage"):
            value = getattr(item, name, None)
            if value is not None:
                entry[name] = _money(value) if isinstance(value, Fraction) else str(value) \
                    if name == "stage" else value
        if isinstance(item, counting.Funded):
            entry["payments"] = [{"amount": _money(p.amount), "voters": p.voters, "points": p.points}
                                 for p in item.payments]
        items.append(entry)
    return {"method": str(outcome.method), "completion": str(outcome.completion), "budget": _money(outcome.budget),
            "seed": outcome.seed, "selected": list(outcome.selected), "ballots": ballots,
            "spent": _money(outcome.spent), "explanations": items,
            "voter_budget": _money(outcome.voter_budget) if outcome.voter_budget is not None else None}


def poll_result_data(tally: PollTally) -> dict:
    return {"ballots": tally.ballots, "counts": tally.counts}


def publish_result(*, actor, box: BallotBox) -> dict:
    """Count the closed box, draw and publish the lot's seed with the result. A budget goes to its result
    phase and its chosen projects are marked. Precondition: ``box`` was read with its poll or budget."""
    require_perm(actor, "voting.publish_result", box, _("De uitslag komt pas na het sluiten, en één keer."))
    with transaction.atomic():
        locked = lock_box(box)
        if locked.result_published_at is not None:
            raise VotingError(_("De uitslag is al gepubliceerd."), code="published")
        subject = box.subject
        seed = secrets.token_hex(16)
        ballots = ballots_of(box)
        if isinstance(subject, Budget):
            outcome = count_budget(subject, seed=seed, ballots=ballots)
            data = outcome_as_data(outcome, len(ballots))
            subject.projects.filter(pk__in=[int(pk) for pk in outcome.selected]).update(funded=True)
            Budget.objects.filter(pk=subject.pk).update(phase=BudgetPhase.RESULT)
        else:
            data = poll_result_data(tally_poll(subject))
        locked.seed, locked.result, locked.result_published_at = seed, data, timezone.now()
        locked.save(update_fields=["seed", "result", "result_published_at"])
        announce(locked, "result.published", {"box": locked.pk})
    invalidate_pages_after_commit()
    return data


@dataclass(frozen=True)
class Recount:
    same: bool
    published: dict
    recounted: dict


def recount(box: BallotBox) -> Recount:
    """Count the published box again from its anonymised ballots with the published seed.
    Precondition: the result is published (the caller asked ``voting.view_results``)."""
    if box.result_published_at is None:  # published sets the result in the same save
        raise VotingError(_("Er is nog geen uitslag om na te tellen."), code="not_published")
    subject = box.subject
    ballots = ballots_of(box)
    if isinstance(subject, Budget):
        again = outcome_as_data(count_budget(subject, seed=box.seed, ballots=ballots), len(ballots))
    else:
        again = poll_result_data(tally_poll(subject))
    return Recount(same=again == box.result, published=box.result, recounted=again)
