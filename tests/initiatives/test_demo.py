"""The demo data: every state present, pledges and a match fund, and safe to run twice."""

import pytest

from initiatives import demo
from initiatives.models import Initiative, MatchFund, MatchReservation, Pledge, Status

pytestmark = pytest.mark.django_db


def test_demo_covers_every_state_and_is_idempotent():
    from community import demo as community_demo

    community_demo.seed()
    demo.seed()
    states = set(Initiative.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    assert Initiative.objects.values("kern").distinct().count() >= 5
    assert Pledge.objects.filter(kind="money").count() >= 10
    assert MatchReservation.objects.exists()
    fund = MatchFund.objects.get()
    assert 0 <= fund.balance < fund.budget
    counts = (Initiative.objects.count(), Pledge.objects.count(), MatchFund.objects.count())
    demo.seed()
    assert (Initiative.objects.count(), Pledge.objects.count(), MatchFund.objects.count()) == counts
