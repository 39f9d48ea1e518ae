"""For any sequence of pledges, withdrawals, retries and deadline runs by any people: the books balance.

Invariants after every step (docs/decisions/0012-match-funding-for-people.md):
- per fund: balance ≥ 0 and balance + held (reserved + committed) == budget, to the cent;
- per (fund, initiative, person): held ≤ the fund's cap per person;
- per (fund, initiative): held ≤ the fund's cap per initiative;
- per initiative: held matching + the money pledges that carry held matching ≤ the goal (matching never
  takes an initiative past its goal), and one person's active money ≤ the goal;
- an initiative's total is the sum of its active (and, once funded, collected) money pledges;
- no reservation of a cancelled or released pledge is still held.
"""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from initiatives import selectors, services
from initiatives.models import Initiative, MatchFund, MatchReservation, Pledge, Status
from initiatives.services.errors import InitiativeError
from tests.factories import KernFactory, UserFactory
from tests.factories_initiatives import InitiativeFactory, MatchFundFactory

HELD = ("reserved", "committed")
amounts = st.one_of(st.decimals(min_value=Decimal("1.00"), max_value=Decimal("400.00"), places=2),
                    st.sampled_from([Decimal("10000.00"), Decimal("0.50"), Decimal("250.00")]))
steps = st.lists(
    st.one_of(
        st.tuples(st.just("pledge"), st.integers(0, 2), st.integers(0, 3), amounts, st.booleans()),
        st.tuples(st.just("cancel"), st.integers(0, 50)),
        st.tuples(st.just("deadline"), st.integers(0, 2)),
        st.tuples(st.just("retry"), st.integers(0, 50)),
    ),
    max_size=16,
)
money = st.decimals(min_value=Decimal("1.00"), max_value=Decimal("600.00"), places=2)
fund_specs = st.lists(st.tuples(money, st.sampled_from([Decimal("0.50"), Decimal("1.00"), Decimal("1.33"),
                                                       Decimal("2.00")]),
                                st.decimals(min_value=Decimal("1.00"), max_value=Decimal("300.00"), places=2),
                                st.decimals(min_value=Decimal("1.00"), max_value=Decimal("150.00"), places=2)),
                      min_size=1, max_size=3)
goals = st.lists(st.sampled_from([Decimal("50.00"), Decimal("300.00"), Decimal("777.77")]), min_size=3, max_size=3)


class TestBooksBalance(TestCase):
    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=steps, specs=fund_specs, goals=goals)
    def test_totals_and_funds(self, steps, specs, goals):
        kern = KernFactory()
        funds = [MatchFundFactory(kern=kern if n % 2 == 0 else None, budget=budget, ratio=ratio,
                                  cap_per_initiative=cap, cap_per_person=per_person)
                 for n, (budget, ratio, cap, per_person) in enumerate(specs)]
        today = datetime.date(2030, 1, 10)
        initiatives = [InitiativeFactory(kern=kern, status=Status.FUNDING, goal=goals[n],
                                         deadline=today + datetime.timedelta(days=n)) for n in range(3)]
        users = [UserFactory(kern=kern) for _ in range(4)]
        made: list[Pledge] = []
        clock = today - datetime.timedelta(days=1)
        for step in steps:
            try:
                if step[0] == "pledge":
                    _, which, who, amount, repeat = step
                    made.append(services.pledge(pledger=users[who], initiative=initiatives[which], kind="money",
                                                amount=amount, idempotency_key=f"p{len(made)}",
                                                confirm_repeat=repeat).pledge)
                elif step[0] == "retry" and made:
                    original = made[step[1] % len(made)]
                    again = services.pledge(pledger=original.pledger, initiative=original.initiative, kind="money",
                                            amount=original.amount, idempotency_key=original.idempotency_key)
                    assert again.pledge.pk == original.pk and not again.created
                elif step[0] == "cancel" and made:
                    target = made[step[1] % len(made)]
                    services.cancel_pledge(actor=target.pledger, pledge=target, today=clock)
                elif step[0] == "deadline":
                    clock = clock + datetime.timedelta(days=step[1])
                    services.process_deadlines(today=clock)
            except InitiativeError:
                pass  # refused (closed, over the goal, a likely repeat): must have changed nothing, checked below
            self.check_books(initiatives, funds, users)

    def check_books(self, initiatives, funds, users):
        held = MatchReservation.objects.filter(status__in=HELD)
        for fund in MatchFund.objects.filter(pk__in=[f.pk for f in funds]):
            assert fund.balance >= 0
            assert fund.balance + (held.filter(fund=fund).aggregate(t=Sum("amount"))["t"] or 0) == fund.budget
            for initiative in initiatives:
                for_initiative = held.filter(fund=fund, initiative=initiative)
                assert (for_initiative.aggregate(t=Sum("amount"))["t"] or 0) <= fund.cap_per_initiative
                for user in users:
                    person = for_initiative.filter(pledge__pledger=user).aggregate(t=Sum("amount"))["t"] or 0
                    assert person <= fund.cap_per_person
        assert not MatchReservation.objects.filter(
            status__in=HELD, pledge__status__in=(Pledge.Status.CANCELLED, Pledge.Status.RELEASED)).exists()
        for initiative in Initiative.objects.filter(pk__in=[i.pk for i in initiatives]):
            counted = Pledge.objects.filter(initiative=initiative, kind="money", status__in=("active", "collected"))
            expected = sum((p.amount for p in counted), Decimal("0"))
            progress = selectors.funding_progress(initiative)
            assert progress.pledged == expected
            matched = held.filter(initiative=initiative).aggregate(t=Sum("amount"))["t"] or Decimal("0")
            assert progress.matched == matched
            matched_pledges = counted.filter(match_reservation__status__in=HELD).aggregate(t=Sum("amount"))["t"] or 0
            assert matched + matched_pledges <= initiative.goal
            for user in users:
                mine = counted.filter(pledger=user, status="active").aggregate(t=Sum("amount"))["t"] or 0
                assert mine <= initiative.goal
            if initiative.status == Status.NOT_FUNDED:
                assert not counted.exists() and matched == 0
            if initiative.status == Status.FUNDING:
                assert not Pledge.objects.filter(initiative=initiative, status__in=("collected", "released")).exists()


pytestmark = pytest.mark.django_db
