"""The public recount: the published result and a live count of the anonymised ballots with the published seed,
side by side, and how anyone can do the same at home with the .pb file and pabutools."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from voting import exports
from voting.models import BallotFormat, Budget, CountingRule
from voting.recounts import compare
from voting.views.public._common import finished_budget, finished_poll, never_kept, url_or_none

PABUTOOLS_VERSION = "1.2.3"  # the version the counting core is checked against (tests/voting)

# How the budget's rule is called in pabutools: (import, the call); ``{sat}`` is the satisfaction class.
RULE_CALLS = {
    CountingRule.EQUAL_SHARES: ("method_of_equal_shares", "method_of_equal_shares(instance, profile, "
                                                          "sat_class={sat}, tie_breaking=tie)"),
    CountingRule.GREEDY: ("greedy_utilitarian_welfare", "greedy_utilitarian_welfare(instance, profile, "
                                                        "sat_class={sat}, tie_breaking=tie)"),
}
# Greedy on a points ballot buys most points first: pabutools orders by satisfaction per euro, so the
# satisfaction is points times cost (tests/voting/reference.py).
POINTS_TIMES_COST = '''from pabutools.election import AdditiveSatisfaction


class PointsTimesCost(AdditiveSatisfaction):
    def __init__(self, instance, profile, ballot):
        super().__init__(instance, profile, ballot, lambda i, p, b, project, pre: b.get(project, 0) * project.cost)

'''


def pabutools_script(budget: Budget, filename: str, seed: str) -> str:
    """A Python script that counts the downloaded .pb file with pabutools by this budget's rule, with the
    documented tie-break (lowest cost, most votes, then the lot from the published seed), and prints the
    numbers of the chosen projects."""
    points = budget.ballot_format == BallotFormat.POINTS
    function, call = RULE_CALLS[CountingRule(budget.counting_rule)]
    if points and budget.counting_rule == CountingRule.GREEDY:
        sat, extra, sat_import = "PointsTimesCost", POINTS_TIMES_COST, ""
    else:
        sat, extra = ("Additive_Cardinal_Sat", "") if points else ("Cost_Sat", "")
        sat_import = f", {sat}"
    return (f"import random\n\n"
            f"from pabutools.election import parse_pabulib{sat_import}\n"
            f"from pabutools.rules import {function}\n"
            f"from pabutools.tiebreaking import TieBreakingRule\n\n"
            f"{extra}"
            f'instance, profile = parse_pabulib("{filename}")\n'
            f'lot = sorted(project.name for project in instance)\n'
            f'random.Random("{seed}").shuffle(lot)\n'
            f"votes = {{project.name: sum(1 for ballot in profile if project in ballot) for project in instance}}\n"
            f"tie = TieBreakingRule(lambda i, p, project: (project.cost, -votes[project.name], "
            f"lot.index(project.name)))\n"
            f"chosen = {call.format(sat=sat)}\n"
            f"print(sorted(int(project.name) for project in chosen))\n")


@never_kept
def budget_recount(request, slug: str):
    budget = finished_budget(request, slug)
    box = budget.box
    comparison = compare(box)
    filename = exports.pabulib_filename(budget)
    return render(request, "voting/public/recount.html", {
        "subject": budget, "budget": budget, "box": box, "comparison": comparison,
        "list_url": url_or_none("voting:budgets"), "subject_url": budget.get_absolute_url(),
        "result_url": url_or_none("voting:results", budget.slug),
        "pabulib_url": reverse("voting:budget_pabulib", args=[budget.slug]),
        "ballots_url": reverse("voting:budget_ballots", args=[budget.slug]),
        "pabulib_filename": filename, "pabutools_version": PABUTOOLS_VERSION,
        "script": pabutools_script(budget, filename, box.seed),
    })


@never_kept
def poll_recount(request, pk: int):
    poll = finished_poll(request, pk)
    box = poll.box
    if box.result_published_at is None:  # nothing was published to compare with
        raise Http404
    return render(request, "voting/public/recount.html", {
        "subject": poll, "poll": poll, "box": box, "comparison": compare(box),
        "list_url": url_or_none("voting:polls"), "subject_url": poll.get_absolute_url(),
        "ballots_url": reverse("voting:poll_ballots", args=[poll.pk]),
    })
