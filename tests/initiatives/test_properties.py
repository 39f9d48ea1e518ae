"""For any sequence of pledges, cancellations and deadline runs: the books balance.

- an initiative's total equals the sum of its active (and, once funded, collected) money pledges;
- a fund's balance never goes below zero, and balance + held reservations == budget;
- what an initiative holds from a fund never exceeds the fund's cap per initiative.
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

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("400.00"), places=2)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("pledge"), st.integers(0, 2), st.integers(0, 3), amounts),
        st.tuples(st.just("cancel"), st.integers(0, 50)),
        st.tuples(st.just("deadline"), st.integers(0, 2)),
        st.tuples(st.just("retry"), st.integers(0, 50)),
    ),
    max_size=25,
)


class TestBooksBalance(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=steps, budget=st.decimals(min_value=Decimal("1.00"), max_value=Decimal("600.00"), places=2),
           ratio=st.sampled_from([Decimal("0.50"), Decimal("1.00"), Decimal("1.33"), Decimal("2.00")]))
    def test_totals_and_funds(self, steps, budget, ratio):
        kern = KernFactory()
        fund = MatchFundFactory(kern=kern, budget=budget, ratio=ratio, cap_per_initiative=Decimal("250.00"))
        today = datetime.date(2030, 1, 10)
        initiatives = [InitiativeFactory(kern=kern, status=Status.FUNDING, goal=Decimal("500.00"),
                                         deadline=today + datetime.timedelta(days=n)) for n in range(3)]
        users = [UserFactory(kern=kern) for _ in range(4)]
        made: list[Pledge] = []
        clock = today - datetime.timedelta(days=1)
        for step in steps:
            try:
                if step[0] == "pledge":
                    _, which, who, amount = step
                    made.append(services.pledge(pledger=users[who], initiative=initiatives[which], kind="money",
                                                amount=amount, idempotency_key=f"p{len(made)}").pledge)
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
                pass  # refused (e.g. closed, already cancelled): must have changed nothing, checked below
            self.check_books(initiatives, fund)

    def check_books(self, initiatives, fund):
        fund = MatchFund.objects.get(pk=fund.pk)
        held = MatchReservation.objects.filter(fund=fund, status__in=("reserved", "committed"))
        assert fund.balance >= 0
        assert fund.balance + (held.aggregate(t=Sum("amount"))["t"] or 0) == fund.budget
        for initiative in Initiative.objects.filter(pk__in=[i.pk for i in initiatives]):
            counted = Pledge.objects.filter(initiative=initiative, kind="money", status__in=("active", "collected"))
            expected = sum((p.amount for p in counted), Decimal("0"))
            progress = selectors.funding_progress(initiative)
            assert progress.pledged == expected
            matched = held.filter(initiative=initiative).aggregate(t=Sum("amount"))["t"] or Decimal("0")
            assert progress.matched == matched <= fund.cap_per_initiative
            if initiative.status == Status.NOT_FUNDED:
                assert not counted.exists() and matched == 0
            if initiative.status == Status.FUNDING:
                assert not Pledge.objects.filter(initiative=initiative, status__in=("collected", "released")).exists()


pytestmark = pytest.mark.django_db
