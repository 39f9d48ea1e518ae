"""The result of a count and, per project, why it was or was not funded, as data a page can put in words.

Every project of the election gets exactly one explanation:

- ``Funded``: bought, with its place in the order of buying and, under Equal Shares, who paid what
  (``payments``); a project bought with the money left at the end (greedy, or the completion after
  Equal Shares) was paid from the common budget, so it has no payments.
- ``NoVotes``: nobody chose it. Samenlab never funds a project nobody voted for.
- ``SupportersShort``: Equal Shares: its supporters had only ``supporters_left`` left of the ``cost``,
  because they spent their shares on ``outbid_by`` (and what came after), or because even their whole
  shares (``supporters_share``) never covered it (``outbid_by`` is ``None``).
- ``DidNotFit``: greedy: when its turn came only ``money_left`` was left of the budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction


class Method(StrEnum):
    GREEDY = "greedy"
    EQUAL_SHARES = "equal_shares"


class Completion(StrEnum):
    """What Equal Shares does with money its own rounds leave unspent."""

    NONE = "none"
    ADD1 = "add1"  # raise every voter's share by one unit (e.g. €1) while the result stays within the budget
    ADD1_GREEDY = "add1_greedy"  # add1, then buy what still fits, most votes first


class Stage(StrEnum):
    GREEDY = "greedy"
    EQUAL_SHARES = "equal_shares"
    COMPLETION = "completion"


@dataclass(frozen=True)
class Payment:
    """``voters`` supporters who gave the project ``points`` points (1 on an approval ballot) each paid
    ``amount``: their full share of the price, or everything they had left when that was less."""

    amount: Fraction
    voters: int
    points: int


@dataclass(frozen=True)
class Funded:
    project_id: str
    cost: Fraction
    votes: int
    points: int
    position: int  # 1 = bought first
    stage: Stage
    money_left: Fraction  # of the budget, after buying this one
    payments: tuple[Payment, ...] = ()
    # Under Equal Shares: what a supporter who still had enough paid per point they gave (per vote on
    # an approval ballot); the price every supporter pays unless they have less left.
    price_per_point: Fraction | None = None

    @property
    def paid(self) -> Fraction:
        return sum((payment.amount * payment.voters for payment in self.payments), Fraction(0))

    @property
    def payers(self) -> int:
        return sum(payment.voters for payment in self.payments if payment.amount > 0)

    @property
    def highest_payment(self) -> Fraction | None:
        return max((payment.amount for payment in self.payments), default=None)

    @property
    def lowest_payment(self) -> Fraction | None:
        """The least a supporter paid who paid anything."""
        return min((payment.amount for payment in self.payments if payment.amount > 0), default=None)

    @property
    def equal_share(self) -> Fraction | None:
        """The one amount every supporter paid, when they all paid the same; otherwise ``None``."""
        amounts = {payment.amount for payment in self.payments}
        return amounts.pop() if len(amounts) == 1 else None


@dataclass(frozen=True)
class NoVotes:
    project_id: str
    cost: Fraction


@dataclass(frozen=True)
class SupportersShort:
    project_id: str
    cost: Fraction
    votes: int
    points: int
    supporters_share: Fraction  # what its supporters had together before anything was bought
    supporters_left: Fraction  # what they still had together when Equal Shares ended
    outbid_by: str | None  # the purchase that took them below the cost; None if their shares never covered it
    completion_money_left: Fraction | None = None  # the budget left when the greedy completion tried it


@dataclass(frozen=True)
class DidNotFit:
    project_id: str
    cost: Fraction
    votes: int
    points: int
    money_left: Fraction


Explanation = Funded | NoVotes | SupportersShort | DidNotFit


@dataclass(frozen=True)
class Outcome:
    """``selected`` in the order bought; ``explanations`` in the order of the election's projects.
    Under Equal Shares ``voter_budget`` is each voter's share in the run that counted (raised above
    budget / voters by the add1 completion) and ``voter_spending[i]`` what ballot ``i`` paid in total."""

    method: Method
    completion: Completion
    budget: Fraction
    seed: str
    selected: tuple[str, ...]
    explanations: tuple[Explanation, ...]
    voter_budget: Fraction | None = None
    voter_spending: tuple[Fraction, ...] = ()

    @property
    def spent(self) -> Fraction:
        return sum((item.cost for item in self.explanations if isinstance(item, Funded)), Fraction(0))

    @property
    def money_left(self) -> Fraction:
        return self.budget - self.spent

    def explanation(self, project_id: str) -> Explanation:
        for item in self.explanations:
            if item.project_id == project_id:
                return item
        raise KeyError(project_id)

    @property
    def pabulib_rule(self) -> str:
        """The rule as Pabulib names it. Add1 followed by a greedy completion has no Pabulib name."""
        if self.method is Method.GREEDY:
            return "greedy"
        return {Completion.NONE: "equalshares", Completion.ADD1: "equalshares/add1"}.get(self.completion, "unknown")
