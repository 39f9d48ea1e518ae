"""Fund locks under real concurrency, on PostgreSQL: each test fails when its ``select_for_update`` goes.

Found by mutation testing (``make mutate``, docs/testing.md): on SQLite a dropped lock changes nothing, and
no other test raced two writers on one fund row or one reservation.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from initiatives import services
from initiatives.models import MatchFund, MatchReservation, Pledge, Status
from initiatives.services import funds
from tests.factories import StaffFactory, UserFactory
from tests.factories_initiatives import InitiativeFactory, MatchFundFactory
from tests.services import require_service

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")


def all_at_once(function, items):
    """Run ``function`` over ``items`` in threads that start together, each with its own connection."""
    barrier = threading.Barrier(len(items))

    def run(item):
        try:
            barrier.wait(timeout=30)
            return function(item)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(run, items))


def test_parallel_top_ups_add_up_to_the_cent(kern):
    staff = StaffFactory()
    fund = MatchFundFactory(kern=kern, budget=Decimal("100.00"))
    all_at_once(lambda n: services.add_to_budget(actor=staff, fund=MatchFund.objects.get(pk=fund.pk),
                                                 amount="0.01"), range(16))
    fund.refresh_from_db()
    assert (fund.budget, fund.balance) == (Decimal("100.16"), Decimal("100.16"))


def test_one_reservation_returned_in_parallel_goes_back_once(kern):
    fund = MatchFundFactory(kern=kern, budget=Decimal("100.00"))
    initiative = InitiativeFactory(kern=kern, status=Status.FUNDING)
    given = services.pledge(pledger=UserFactory(kern=kern), initiative=initiative, kind=Pledge.Kind.MONEY,
                            amount="40.00", idempotency_key="k").pledge
    reservation = MatchReservation.objects.get(pledge=given)

    def give_back(_):
        with transaction.atomic():
            funds.return_match(reservation=MatchReservation.objects.get(pk=reservation.pk))

    all_at_once(give_back, range(12))
    fund.refresh_from_db()
    assert fund.balance == Decimal("100.00")


def test_many_reservations_returned_in_parallel_all_reach_the_fund(kern):
    fund = MatchFundFactory(kern=kern, budget=Decimal("100.00"))
    initiatives = [InitiativeFactory(kern=kern, status=Status.FUNDING) for _ in range(12)]
    reservations = [
        services.pledge(pledger=UserFactory(kern=kern), initiative=i, kind=Pledge.Kind.MONEY, amount="1.01",
                        idempotency_key="k").pledge.match_reservation
        for i in initiatives]
    assert MatchFund.objects.get(pk=fund.pk).balance == Decimal("87.88")

    def give_back(reservation):
        with transaction.atomic():
            funds.return_match(reservation=reservation)

    all_at_once(give_back, reservations)
    fund.refresh_from_db()
    assert fund.balance == Decimal("100.00")
