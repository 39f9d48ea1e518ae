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


def test_each_demo_role_finds_something_to_do():
    """The README sends Anna to her moderation queue: it must hold an initiative of her own kern."""
    from community import demo as community_demo
    from community.models import User
    from initiatives import selectors

    community_demo.seed()
    demo.seed()
    anna = User.objects.get(email="anna@example.org")
    waiting = list(selectors.moderation_queue(user=anna))
    assert waiting and all(item.kern_id in anna.council_memberships.values_list("kern_id", flat=True)
                           for item in waiting)


def test_the_demo_kernen_have_thresholds_and_the_council_agenda_has_a_date_and_a_decision():
    from community import demo as community_demo
    from initiatives.models import CouncilAgendaItem, SupportThreshold

    community_demo.seed()
    demo.seed()
    demo_kernen = set(Initiative.objects.values_list("kern__slug", flat=True))
    assert demo_kernen <= set(SupportThreshold.objects.values_list("kern__slug", flat=True))
    items = list(CouncilAgendaItem.objects.all())
    assert any(item.meeting_date and not item.is_decided for item in items)
    assert any(item.is_decided and item.outcome_text for item in items)
    counts = (CouncilAgendaItem.objects.count(), SupportThreshold.objects.count())
    demo.seed()
    assert (CouncilAgendaItem.objects.count(), SupportThreshold.objects.count()) == counts
