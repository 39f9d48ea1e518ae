"""The reference the counting core is held to: ``pabutools`` 1.2.3, reading the same .pb text.

The settings that make pabutools count what Samenlab counts:

- greedy on approval and knapsack ballots: ``greedy_utilitarian_welfare(instance, profile,
  sat_class=Cost_Sat, tie_breaking=...)``. Its order is satisfaction per euro, and with ``Cost_Sat``
  that is (votes × cost) / cost = votes: most votes first.
- greedy on points ballots: the same call with ``sat_class=PointsTimesCostSat`` below (points × cost),
  whose satisfaction per euro is the points: most points first. (pabutools' ``Additive_Cardinal_Sat``
  would order by points per euro, which is not the rule of the issue.)
- Equal Shares: ``method_of_equal_shares(instance, profile, sat_class=..., tie_breaking=...)`` with
  ``Cost_Sat`` on approval and knapsack ballots (cost utilities, as on equalshares.net) and
  ``Additive_Cardinal_Sat`` on points ballots (cardinal utilities: a supporter pays per point given).
- add1: the same with ``voter_budget_increment=1``.
- add1 then greedy: ``completion_by_rule_combination(instance, profile, [method_of_equal_shares,
  greedy_utilitarian_welfare], [{..., "voter_budget_increment": 1}, {greedy's settings}])``.

Equal Shares gets the profile as pabutools' multiprofile (identical ballots once, with their number), which
pabutools counts the same and much faster. ``tie_breaking`` is a ``TieBreakingRule`` built here from the
documented procedure, not from Samenlab's code: (cost, minus the votes, place in
``random.Random(seed).shuffle(sorted(ids))``).
"""

import random
from functools import cache

from pabutools.election import AbstractApprovalProfile, Additive_Cardinal_Sat, AdditiveSatisfaction, Cost_Sat
from pabutools.election.pabulib import parse_pabulib, parse_pabulib_from_string
from pabutools.rules import completion_by_rule_combination, greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule

from voting.counting import Completion


class PointsTimesCostSat(AdditiveSatisfaction):
    """A voter's satisfaction with a project: the points they gave it times its cost."""

    def __init__(self, instance, profile, ballot):
        super().__init__(instance, profile, ballot, lambda _i, _p, b, project, _pre: b.get(project, 0) * project.cost)


def parse(path=None, text=None):
    return parse_pabulib(str(path)) if path is not None else parse_pabulib_from_string(text)


def tie_breaking(instance, profile, seed: str) -> TieBreakingRule:
    ids = sorted(project.name for project in instance)
    random.Random(seed).shuffle(ids)
    lot = {project_id: place for place, project_id in enumerate(ids)}
    votes = {project.name: sum(1 for ballot in profile if project in ballot) for project in instance}
    return TieBreakingRule(lambda _inst, _prof, project: (project.cost, -votes[project.name], lot[project.name]))


def _approval(profile) -> bool:
    return isinstance(profile, AbstractApprovalProfile)


def reference_greedy(instance, profile, seed: str) -> set[str]:
    sat = Cost_Sat if _approval(profile) else PointsTimesCostSat
    outcome = greedy_utilitarian_welfare(instance, profile, sat_class=sat,
                                         tie_breaking=tie_breaking(instance, profile, seed))
    return {project.name for project in outcome}


def reference_equal_shares(instance, profile, seed: str, completion: Completion) -> set[str]:
    sat = Cost_Sat if _approval(profile) else Additive_Cardinal_Sat
    tie = tie_breaking(instance, profile, seed)
    profile = profile.as_multiprofile()  # identical ballots counted once with their multiplicity: faster, same result
    mes = {"sat_class": sat, "tie_breaking": tie}
    if completion is not Completion.NONE:
        mes["voter_budget_increment"] = 1
    if completion is Completion.ADD1_GREEDY:
        greedy_sat = Cost_Sat if _approval(profile) else PointsTimesCostSat
        outcome = completion_by_rule_combination(
            instance, profile, [method_of_equal_shares, greedy_utilitarian_welfare],
            [mes, {"sat_class": greedy_sat, "tie_breaking": tie}])
    else:
        outcome = method_of_equal_shares(instance, profile, **mes)
    return {project.name for project in outcome}


@cache
def reference_for_file(path, method: str, completion: Completion, seed: str) -> frozenset[str]:
    """Cached per file: the add1 runs of the reference take seconds on the larger instances."""
    instance, profile = parse(path=path)
    if method == "greedy":
        return frozenset(reference_greedy(instance, profile, seed))
    return frozenset(reference_equal_shares(instance, profile, seed, completion))
