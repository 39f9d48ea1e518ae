"""The answers of /api/v1/voting/ as plain data, built for a whole page of objects at once.

Every rule is asked per object, but what a rule reads from the database is read once per page beforehand: the
viewer's register rows for all boxes (``prefill_voted``, the cache ``voting.rules.has_voted_in`` keeps) and the
ballots of every poll whose tally the viewer may see. So a list costs the same queries for 1 or 10,000 objects.

Precondition for every function here: each box was read with its kern and with its poll and budget (both
``select_related``, so ``box.subject`` costs nothing).
"""

from __future__ import annotations

from fractions import Fraction

from django.urls import reverse

from core.permissions import may
from voting.models import Ballot, BallotBox, Budget, Poll, PollKind, Turnout
from voting.rules import has_voted_in
from voting.services.results import PollTally, tally_poll

# The rules' own per-request cache of "has this person voted in box x" (voting.rules.has_voted_in).
VOTED_CACHE = "_voted_boxes"


def prefill_voted(user, boxes: list[BallotBox]) -> None:
    """Read in one query whether ``user`` voted in each of ``boxes``, into the cache the rules ask."""
    if not user.is_authenticated or not boxes:
        return
    cache = user.__dict__.setdefault(VOTED_CACHE, {})
    wanted = [box.pk for box in boxes if box.pk not in cache]
    if not wanted:
        return
    voted = set(Turnout.objects.filter(voter=user, box_id__in=wanted).values_list("box_id", flat=True))
    for pk in wanted:
        cache[pk] = pk in voted


def _kern(box: BallotBox) -> dict | None:
    return {"name": box.kern.name, "slug": box.kern.slug} if box.kern_id else None


def box_payload(user, box: BallotBox) -> dict:
    """The box as the viewer may see it. Precondition: ``prefill_voted`` for ``user`` and ``box``."""
    may_view = may(user, "voting.view_results", box)
    return {
        "id": box.pk, "kern": _kern(box), "opens_at": box.opens_at, "closes_at": box.closes_at,
        "is_open": box.is_open(), "who_may_vote": box.who_may_vote, "secret": box.secret,
        "results_shown": box.results_shown, "result_published_at": box.result_published_at,
        "seed": box.seed if box.result_published_at is not None and may_view else None,
        "viewer": {"may_vote": may(user, "voting.vote", box),
                   "may_vote_with_code": may(user, "voting.vote_with_code", box),
                   "voted": has_voted_in(user, box), "may_view_results": may_view},
        "ballots_url": reverse("api:voting-ballots", args=[box.pk]),
        "result_url": reverse("api:voting-result", args=[box.pk]) if may_view else None,
    }


# --- Polls ----------------------------------------------------------------------------------------------------

def _tally_of(poll: Poll, ballots: dict[int, list[dict]]) -> PollTally:
    """The published tally once there is one (the result), otherwise the count of the ballots read."""
    published = poll.box.result
    if poll.box.result_published_at is not None and published is not None:
        return PollTally(ballots=int(published["ballots"]), counts=dict(published["counts"]))
    return tally_poll(poll, ballots=ballots.get(poll.box_id, []))


def poll_result(poll: Poll, tally: PollTally) -> dict:
    """Precondition: the viewer may ``voting.view_results``; ``poll.options`` is prefetched."""
    if poll.kind == PollKind.SCALE:
        scale = [{"value": value, "votes": tally.counts.get(str(value), 0), "share": tally.share(value)}
                 for value in range(1, poll.scale_size + 1)]
        return {"ballots": tally.ballots, "options": [], "scale": scale}
    options = [{"id": option.pk, "label": option.label, "votes": tally.counts.get(str(option.pk), 0),
                "share": tally.share(option.pk)} for option in poll.options.all()]
    return {"ballots": tally.ballots, "options": options, "scale": []}


def polls_payload(user, polls: list[Poll]) -> list[dict]:
    """Precondition: each poll read with ``box__kern``, ``box__budget`` and its options prefetched."""
    boxes = [poll.box for poll in polls]
    prefill_voted(user, boxes)
    visible = {poll.pk for poll in polls if may(user, "voting.view_results", poll.box)}
    to_count = [poll.box_id for poll in polls if poll.pk in visible and poll.box.result_published_at is None]
    ballots: dict[int, list[dict]] = {}
    if to_count:
        for box_id, choices in Ballot.objects.filter(box_id__in=to_count).values_list("box_id", "choices"):
            ballots.setdefault(box_id, []).append(choices)
    return [{
        "id": poll.pk, "question": poll.question, "intro": poll.intro, "kind": poll.kind,
        "max_choices": poll.max_choices, "scale_size": poll.scale_size, "scale_low": poll.scale_low,
        "scale_high": poll.scale_high, "initiative": poll.initiative_id, "box": box_payload(user, poll.box),
        "options": [{"id": option.pk, "label": option.label} for option in poll.options.all()],
        "results": poll_result(poll, _tally_of(poll, ballots)) if poll.pk in visible else None,
        "url": poll.get_absolute_url(),
    } for poll in polls]


# --- Budgets and projects -----------------------------------------------------------------------------------

def project_payload(project) -> dict:
    return {"id": project.pk, "budget": project.budget_id, "title": project.title, "summary": project.summary,
            "cost": project.cost, "state": project.state, "review_reason": project.review_reason,
            "initiative": project.initiative_id, "on_ballot": project.on_ballot, "funded": project.funded,
            "progress": project.progress}


def project_detail_payload(project) -> dict:
    """Precondition: ``project.updates`` is prefetched."""
    return {**project_payload(project), "updates": [{"text": update.text, "progress": update.progress,
                                                     "at": update.at} for update in project.updates.all()]}


def _exports(budget: Budget) -> dict:
    return {"pabulib": reverse("voting:budget_pabulib", args=[budget.slug]),
            "ballots_csv": reverse("voting:budget_ballots", args=[budget.slug]),
            "recount": reverse("voting:recount", args=[budget.slug])}


def budgets_payload(user, budgets: list[Budget], *, projects: dict[int, list] | None = None) -> list[dict]:
    """Precondition: each budget read with ``box__kern`` and ``box__poll``. ``projects``: per budget id, its
    projects, for the detail."""
    prefill_voted(user, [budget.box for budget in budgets])
    answer = []
    for budget in budgets:
        item = {
            "id": budget.pk, "title": budget.title, "slug": budget.slug, "intro": budget.intro,
            "amount": budget.amount, "phase": budget.phase, "proposals_until": budget.proposals_until,
            "ballot_format": budget.ballot_format, "max_projects": budget.max_projects,
            "min_projects": budget.min_projects, "points_total": budget.points_total,
            "counting_rule": budget.counting_rule, "box": box_payload(user, budget.box),
            "url": budget.get_absolute_url(),
            "exports": _exports(budget) if may(user, "voting.view_results", budget.box) else None,
        }
        if projects is not None:
            item["projects"] = [project_payload(project) for project in projects.get(budget.pk, [])]
        answer.append(item)
    return answer


# --- Results ------------------------------------------------------------------------------------------------

def budget_result(budget: Budget, result: dict) -> dict:
    """The published result (``box.result``) with the projects' titles. Precondition: it may be seen."""
    titles = dict(budget.projects.values_list("pk", "title"))
    projects = []
    for item in result.get("explanations", []):
        pk = int(item["project"])
        projects.append({"id": pk, "title": titles.get(pk, ""), "cost": str(Fraction(item["cost"])),
                         "votes": int(item.get("votes", 0)), "points": int(item.get("points", 0)),
                         "funded": item["kind"] == "Funded", "position": item.get("position"), "why": item["kind"]})
    return {"method": result["method"], "completion": result.get("completion", "none"),
            "budget": str(Fraction(result["budget"])), "spent": str(Fraction(result["spent"])),
            "selected": [int(pk) for pk in result["selected"]], "projects": projects}


def result_payload(box: BallotBox) -> dict:
    """Precondition: the viewer may ``voting.view_results`` on ``box``."""
    subject = box.subject
    published = box.result_published_at is not None and box.result is not None
    if isinstance(subject, Budget):
        result = box.result
        return {"box": box.pk, "kind": "budget", "ballots": int(result["ballots"]),
                "published_at": box.result_published_at, "seed": box.seed, "poll": None,
                "budget": budget_result(subject, result)}
    tally = _tally_of(subject, {}) if published else tally_poll(subject)
    return {"box": box.pk, "kind": "poll", "ballots": tally.ballots, "published_at": box.result_published_at,
            "seed": box.seed if published else None, "poll": poll_result(subject, tally), "budget": None}
