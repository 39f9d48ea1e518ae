"""Money under concurrency, on PostgreSQL: threads with their own connections hit the real services."""

import datetime
import os
import signal
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, connections
from django.db.models import Sum
from django.utils import timezone

from initiatives import selectors, services
from initiatives.models import Initiative, MatchFund, MatchReservation, Payment, Pledge, Status
from initiatives.services.deadlines import money_raised
from tests import server
from tests.factories import UserFactory
from tests.factories_initiatives import InitiativeFactory, MatchFundFactory
from tests.services import require_service

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")


def in_threads(function, items, workers=20):
    def run(item):
        try:
            return function(item)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, items))


def test_200_parallel_pledges_exact_to_the_cent(kern):
    initiative = InitiativeFactory(kern=kern, status=Status.FUNDING, goal=Decimal("99999.00"))
    users = [UserFactory(kern=kern) for _ in range(50)]
    # Amounts with awkward cents: a float sum of these would drift.
    amounts = [Decimal("0.01") * (n * 137 % 9999 + 1) for n in range(200)]

    def give(n):
        return services.pledge(pledger=users[n % 50], initiative=initiative, kind="money", amount=amounts[n],
                               idempotency_key=f"parallel-{n}").created

    assert all(in_threads(give, range(200)))
    assert Pledge.objects.filter(initiative=initiative).count() == 200
    expected = sum(amounts, Decimal("0"))
    assert Pledge.objects.aggregate(total=Sum("amount"))["total"] == expected
    assert selectors.funding_progress(Initiative.objects.get(pk=initiative.pk)).pledged == expected


def test_parallel_pledges_never_overdraw_a_match_fund(kern):
    fund = MatchFundFactory(kern=kern, budget=Decimal("333.33"), ratio=Decimal("1.50"),
                            cap_per_initiative=Decimal("200.00"))
    initiatives = [InitiativeFactory(kern=kern, status=Status.FUNDING) for _ in range(4)]
    users = [UserFactory(kern=kern) for _ in range(20)]

    def give(n):
        services.pledge(pledger=users[n % 20], initiative=initiatives[n % 4], kind="money",
                        amount=Decimal("7.77"), idempotency_key=f"fund-{n}")

    in_threads(give, range(120))
    fund.refresh_from_db()
    reserved = MatchReservation.objects.aggregate(total=Sum("amount"))["total"]
    assert fund.balance >= 0
    assert fund.balance + reserved == fund.budget
    assert fund.balance == Decimal("0.00")  # 120 × 7.77 × 1.5 is far above the budget: all of it is used
    for initiative in initiatives:
        held = MatchReservation.objects.filter(initiative=initiative).aggregate(total=Sum("amount"))["total"]
        assert held <= fund.cap_per_initiative


def test_same_idempotency_key_ten_times_gives_one_pledge(kern, resident):
    initiative = InitiativeFactory(kern=kern, status=Status.FUNDING)
    MatchFundFactory(kern=kern)

    def give(_n):
        result = services.pledge(pledger=resident, initiative=initiative, kind="money", amount="25.00",
                                 idempotency_key="dubbelklik")
        return result.pledge.pk, result.created

    outcomes = in_threads(give, range(10), workers=10)
    assert len({pk for pk, _created in outcomes}) == 1
    assert [created for _pk, created in outcomes].count(True) == 1
    assert Pledge.objects.count() == 1
    assert MatchReservation.objects.count() == 1


def _state(initiatives):
    return [
        (Initiative.objects.get(pk=i.pk).status,
         sorted(Pledge.objects.filter(initiative=i).values_list("status", flat=True)),
         sorted(MatchReservation.objects.filter(initiative=i).values_list("status", flat=True)),
         Payment.objects.filter(pledge__initiative=i).count(), i.events.filter(action="deadline").count())
        for i in initiatives
    ]


def _scenario(kern, n=8):
    fund = MatchFundFactory(kern=kern, budget=Decimal("1000.00"), cap_per_initiative=Decimal("50.00"))
    initiatives = [InitiativeFactory(kern=kern, status=Status.FUNDING, goal=Decimal("100.00")) for _ in range(n)]
    pledger = UserFactory(kern=kern)
    for index, initiative in enumerate(initiatives):
        # Even ones reach the goal with matching (50 + 50), odd ones do not (20 + 20).
        services.pledge(pledger=pledger, initiative=initiative, kind="money",
                        amount="50.00" if index % 2 == 0 else "20.00", idempotency_key=f"s-{index}")
    return fund, initiatives


KILLER = textwrap.dedent("""
    import datetime, os, signal, django
    django.setup()
    from initiatives.services.deadlines import process_deadlines
    done = []
    def after_each(pk, status):
        done.append(pk)
        if len(done) == int(os.environ["KILL_AFTER"]):
            os.kill(os.getpid(), signal.SIGKILL)
    process_deadlines(today=datetime.date.fromisoformat(os.environ["TODAY"]), after_each=after_each)
""")


def test_deadline_job_killed_half_way_and_rerun_gives_same_end_state(kern, other_kern):
    """A real process is SIGKILLed after settling 3 of 8 initiatives; a re-run ends where a clean run ends."""
    today = timezone.localdate() + datetime.timedelta(days=60)
    fund, initiatives = _scenario(kern)
    env = {**os.environ, "SAMENLAB_TESTING": "true", "DJANGO_SETTINGS_MODULE": "config.settings",
           "DATABASE_URL": server.test_database_url(), "KILL_AFTER": "3", "TODAY": today.isoformat()}
    connections.close_all()
    process = subprocess.run([sys.executable, "-c", KILLER], cwd=BASE_DIR, env=env, capture_output=True,
                             timeout=120)
    assert process.returncode == -signal.SIGKILL, process.stderr.decode()[-2000:]
    halfway = [Initiative.objects.get(pk=i.pk).status for i in initiatives]
    assert halfway.count(Status.FUNDING) == 5

    services.process_deadlines(today=today)
    services.process_deadlines(today=today)  # and once more: nothing changes
    after_kill = _state(initiatives)
    fund.refresh_from_db()
    balance_after_kill = fund.balance

    # The same scenario (in another kern, with its own fund), run cleanly once, ends the same way.
    clean_fund, clean = _scenario(other_kern)
    services.process_deadlines(today=today)
    clean_fund.refresh_from_db()
    assert _state(clean) == after_kill
    assert balance_after_kill == clean_fund.balance == Decimal("800.00")
    assert [s[0] for s in after_kill] == [Status.FUNDED, Status.NOT_FUNDED] * 4
    for initiative in initiatives:
        pledged, matched = money_raised(initiative)
        funded = Initiative.objects.get(pk=initiative.pk).status == Status.FUNDED
        assert pledged + matched == (Decimal("100.00") if funded else Decimal("0.00"))
    assert MatchFund.objects.filter(balance__lt=0).count() == 0
