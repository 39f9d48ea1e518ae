"""The Method of Equal Shares (equalshares.net), as counted in Aarau, Wieliczka and Świecie.

Every voter gets an equal share of the budget. Round by round, the project whose supporters can pay for
it at the lowest price ``rho`` is bought: each supporter pays ``rho`` times their utility for it, or
everything they have left when that is less. Utility is the project's cost on approval and knapsack
ballots ("cost utilities", the usual choice, so ``rho`` is a price per euro of project) and the points
given on a points ballot. Ties in ``rho`` go by ``TieBreak``. Counting ends when no project's supporters
can pay for it any more.

Completion (``Completion``): *add1* counts again with every share one unit (e.g. €1) higher, as long as
the result stays within the real budget and does not yet spend it fully; *add1_greedy* then buys what
still fits, most votes first. This is the definition of ``pabutools`` 1.2.3 (``method_of_equal_shares``
with ``voter_budget_increment=1``, then ``greedy_utilitarian_welfare`` through
``completion_by_rule_combination``) and of the reference code on equalshares.net, which the tests hold
this module to.

How it stays fast (2,000 ballots in about ten milliseconds; bench/counting.py): voters with the same money
left form one class, so a project's price comes from counting its supporters per class (``Counter`` over
ids, in C) and walking the classes poorest first, not the voters; money is exact whole numbers of a fine
unit rather than ``Fraction`` objects; and a project whose price last round already exceeds the best
price found this round is not priced again, since prices only rise as money is spent.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass
from fractions import Fraction

from voting.counting.by_greedy import buy_greedily
from voting.counting.election import Election, Money, as_money
from voting.counting.outcome import (
    Completion,
    Funded,
    Method,
    NoVotes,
    Outcome,
    Payment,
    Stage,
    SupportersShort,
)
from voting.counting.tiebreak import TieBreak


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: cheap as a dict key
class _Candidate:
    """A project someone voted for. ``groups``: (weight, points, voter indices) per number of points given;
    a supporter's share of the price is proportional to their weight: 1 on approval ballots, the points
    on a points ballot. ``price_unit`` turns a price per weight into the reference's rho (per euro of the
    project on approval ballots, per point on points ballots)."""

    id: str
    cost: Fraction
    groups: tuple[tuple[int, int, tuple[int, ...]], ...]
    price_unit: Fraction
    lowest_price: Fraction  # rho if every supporter still had their whole share: a lower bound
    sort_scale: int  # a multiple of every weight, to sort money per weight in whole numbers


@dataclass
class _Purchase:
    candidate: _Candidate
    price: Fraction  # rho
    payments: Counter  # (amount in units of 1/scale, points) -> voters
    scale: int


class _Run:
    """One count at a fixed share per voter. Precondition: ``candidates`` holds only projects with votes.

    Money is kept in whole numbers of 1/``scale`` euro (``scale`` grows when a price needs a finer unit),
    which is exact and several times faster than ``Fraction`` arithmetic. Voters with the same money left
    share a class; a class keeps its money for good (rescaling changes the unit, not the amount)."""

    def __init__(self, candidates: list[_Candidate], voters: int, voter_budget: Fraction, tie_key,
                 stop_above: Fraction | None = None):
        self.voter_budget = voter_budget
        self.scale = math.lcm(voter_budget.denominator, *(candidate.cost.denominator for candidate in candidates))
        self.budgets: list[int] = [voter_budget.numerator * (self.scale // voter_budget.denominator)]
        self.class_of: list[int] = [0] * voters
        self._class_with: dict[int, int] = {self.budgets[0]: 0}
        self.purchases: list[_Purchase] = []
        self.cost = Fraction(0)
        self.snapshots: list[list[int]] = [list(self.class_of)]  # class_of after each purchase, for explaining
        self._count(candidates, tie_key, stop_above)

    def _count(self, candidates: list[_Candidate], tie_key, stop_above: Fraction | None) -> None:
        bounds = {candidate: candidate.lowest_price for candidate in candidates}
        while bounds:
            best: Fraction | None = None
            tied: list[tuple[_Candidate, tuple[int, int]]] = []
            for candidate in sorted(bounds, key=bounds.__getitem__):  # the order among equal bounds does not matter
                if best is not None and bounds[candidate] > best:
                    break
                found = self._price(candidate)
                if found is None:  # its supporters cannot pay for it any more, nor ever again
                    del bounds[candidate]
                    continue
                to_cover, weight = found
                price = Fraction(to_cover, weight * self.scale) / candidate.price_unit
                bounds[candidate] = price
                if best is None or price < best:
                    best, tied = price, [(candidate, found)]
                elif price == best:
                    tied.append((candidate, found))
            if best is None:
                return
            chosen, found = min(tied, key=lambda item: tie_key(item[0].id))
            del bounds[chosen]
            self._buy(chosen, best, *found)
            if stop_above is not None and self.cost > stop_above:
                return  # the caller rejects a result over the budget, whatever else it would buy

    def _price(self, candidate: _Candidate) -> tuple[int, int] | None:
        """The lowest price per weight at which the supporters pay the whole cost, each paying min(money
        left, price * weight), as (cost the others cover, their total weight); ``None`` when all their
        money together is less than the cost."""
        budgets, class_of = self.budgets, self.class_of
        entries = []
        total_weight = 0
        for weight, _points, voters in candidate.groups:
            per_weight = candidate.sort_scale // weight
            for voter_class, count in Counter(map(class_of.__getitem__, voters)).items():
                money = budgets[voter_class]
                if money:  # a supporter with nothing left adds nothing, as in the reference
                    entries.append((money * per_weight, money, weight, count))
                    total_weight += weight * count
        entries.sort()
        to_cover = candidate.cost.numerator * (self.scale // candidate.cost.denominator)
        for _per_weight, money, weight, count in entries:  # the poorest (per weight) first
            if to_cover * weight <= money * total_weight:
                return to_cover, total_weight  # everyone from here on can pay their full share
            to_cover -= money * count  # these pay everything they have
            total_weight -= weight * count
        return None

    def _buy(self, candidate: _Candidate, price: Fraction, to_cover: int, total_weight: int) -> None:
        divisor = math.gcd(to_cover, total_weight)
        per_weight, finer = to_cover // divisor, total_weight // divisor
        if finer != 1:  # the price per weight is per_weight / finer: count in a unit that is finer times smaller
            self.scale *= finer
            self.budgets = [money * finer for money in self.budgets]
            self._class_with = {money: voter_class for voter_class, money in enumerate(self.budgets)}
        budgets, class_of = self.budgets, self.class_of
        payments: Counter = Counter()
        for weight, points, voters in candidate.groups:
            share = per_weight * weight
            moved: dict[int, int] = {}
            for voter_class, count in Counter(map(class_of.__getitem__, voters)).items():
                money = budgets[voter_class]
                amount = money if money < share else share
                moved[voter_class] = self._class_for(money - amount)
                payments[(amount, points)] += count
            # class_of[voter] = moved[class_of[voter]] for every supporter, looped in C
            deque(map(class_of.__setitem__, voters, map(moved.__getitem__, map(class_of.__getitem__, voters))),
                  maxlen=0)
        self.purchases.append(_Purchase(candidate, price, payments, self.scale))
        self.cost += candidate.cost
        self.snapshots.append(list(class_of))

    def _class_for(self, money: int) -> int:
        voter_class = self._class_with.get(money)
        if voter_class is None:
            voter_class = self._class_with[money] = len(self.budgets)
            self.budgets.append(money)
        return voter_class

    def money_left(self, voter_class: int) -> Fraction:
        return Fraction(self.budgets[voter_class], self.scale)

    def money_of(self, candidate: _Candidate, after: int) -> Fraction:
        """What the candidate's supporters had together after the first ``after`` purchases."""
        class_of = self.snapshots[after]
        total = sum(self.budgets[voter_class] * count for _weight, _points, voters in candidate.groups
                    for voter_class, count in Counter(map(class_of.__getitem__, voters)).items())
        return Fraction(total, self.scale)


def equal_shares(election: Election, *, seed: str, completion: Completion = Completion.NONE,
                 increment: Money = 1) -> Outcome:
    """Count ``election`` by Equal Shares. ``increment`` is the add1 step per voter (one unit of the
    currency the costs are in); it is used only with a completion."""
    completion = Completion(completion)
    step = as_money(increment, what="The add1 increment")
    if step == 0:
        raise ValueError("The add1 increment must be more than 0.")
    tie_break = TieBreak(election, seed)
    support = election.support()
    candidates = _candidates(election, support)
    voters = len(election.ballots)
    if voters == 0:
        return Outcome(method=Method.EQUAL_SHARES, completion=completion, budget=election.budget, seed=seed,
                       selected=(), explanations=tuple(NoVotes(p.id, p.cost) for p in election.projects))
    run = _Run(candidates, voters, election.budget / voters, tie_break.key)
    if completion is not Completion.NONE:
        run = _add1(run, candidates, voters, election.budget, step, tie_break.key)
    return _outcome(election, support, tie_break, candidates, run, completion, seed)


def _candidates(election: Election, support: dict[str, tuple[int, int]]) -> list[_Candidate]:
    approval_based = election.ballot_format.approval_based
    groups: dict[str, dict[int, list[int]]] = {project.id: {} for project in election.projects}
    for voter, ballot in enumerate(election.ballots):
        for project_id, points in ballot.points.items():
            groups[project_id].setdefault(points, []).append(voter)
    candidates = []
    for project in election.projects:
        if support[project.id][0] == 0:
            continue
        project_groups = tuple((1 if approval_based else points, points, tuple(voters))
                               for points, voters in sorted(groups[project.id].items()))
        total_weight = sum(weight * len(voters) for weight, _points, voters in project_groups)
        price_unit = project.cost if approval_based else Fraction(1)
        candidates.append(_Candidate(
            project.id, project.cost, project_groups, price_unit=price_unit,
            lowest_price=project.cost / total_weight / price_unit,
            sort_scale=math.lcm(*(weight for weight, _points, _voters in project_groups))))
    return candidates


def _add1(run: _Run, candidates: list[_Candidate], voters: int, budget: Fraction, step: Fraction, tie_key) -> _Run:
    """Raise the share per voter by ``step`` while the result stays within ``budget``; stop at the first
    result that spends the budget fully (no unbought project with votes still fits)."""
    while True:
        spent = run.cost
        bought = {purchase.candidate.id for purchase in run.purchases}
        if not any(candidate.id not in bought and spent + candidate.cost <= budget
                   for candidate in candidates):
            return run
        raised = _Run(candidates, voters, run.voter_budget + step, tie_key, stop_above=budget)
        if raised.cost > budget:
            return run
        run = raised


def _outcome(election: Election, support, tie_break: TieBreak, candidates: list[_Candidate], run: _Run,
             completion: Completion, seed: str) -> Outcome:
    funded: dict[str, Funded] = {}
    money_left = election.budget
    for position, purchase in enumerate(run.purchases, start=1):
        candidate = purchase.candidate
        money_left -= candidate.cost
        votes, points = support[candidate.id]
        payments = tuple(Payment(Fraction(amount, purchase.scale), count, given) for (amount, given), count in
                         sorted(purchase.payments.items(), key=lambda item: (-item[0][0], item[0][1])))
        funded[candidate.id] = Funded(
            candidate.id, candidate.cost, votes, points, position=position, stage=Stage.EQUAL_SHARES,
            money_left=money_left, payments=payments, price_per_point=purchase.price * candidate.price_unit)
    completed: dict[str, Fraction] = {}
    if completion is Completion.ADD1_GREEDY:
        extra, completed = buy_greedily(election, support, tie_break, bought=tuple(funded), money_left=money_left,
                                        stage=Stage.COMPLETION)
        funded.update(extra)
    by_id = {candidate.id: candidate for candidate in candidates}
    explanations = []
    for project in election.projects:
        if project.id in funded:
            explanations.append(funded[project.id])
        elif project.id not in by_id:
            explanations.append(NoVotes(project.id, project.cost))
        else:
            explanations.append(_short(run, by_id[project.id], support, completed.get(project.id)))
    left = [run.money_left(voter_class) for voter_class in range(len(run.budgets))]
    spending = tuple(run.voter_budget - left[voter_class] for voter_class in run.class_of)
    return Outcome(method=Method.EQUAL_SHARES, completion=completion, budget=election.budget, seed=seed,
                   selected=tuple(funded), explanations=tuple(explanations), voter_budget=run.voter_budget,
                   voter_spending=spending)


def _short(run: _Run, candidate: _Candidate, support, completion_money_left: Fraction | None) -> SupportersShort:
    """Why Equal Shares did not buy ``candidate``: find the purchase after which its supporters' money fell
    below its cost (their money only falls, so a binary search over the purchases finds it)."""
    votes, points = support[candidate.id]
    share = run.money_of(candidate, 0)
    outbid_by = None
    if share >= candidate.cost:
        low, high = 1, len(run.purchases)  # money_of(high) < cost: counting ended without buying it
        while low < high:
            middle = (low + high) // 2
            if run.money_of(candidate, middle) < candidate.cost:
                high = middle
            else:
                low = middle + 1
        outbid_by = run.purchases[low - 1].candidate.id
    return SupportersShort(candidate.id, candidate.cost, votes, points, supporters_share=share,
                           supporters_left=run.money_of(candidate, len(run.purchases)), outbid_by=outbid_by,
                           completion_money_left=completion_money_left)
