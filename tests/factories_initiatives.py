"""Factories for initiatives. They write rows directly (fixtures for any state); tests of behaviour go
through ``initiatives.services``."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from initiatives.models import Initiative, InitiativeEvent, MatchFund, Pledge, Status, Theme
from tests.factories import KernFactory, UserFactory


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Speeltuin opknappen {n}")
    summary = "Een veilige speeltuin voor de kinderen in het dorp."
    story = "<p>We willen de oude speeltuin opknappen met nieuwe toestellen.</p>"
    kern = factory.SubFactory(KernFactory)
    theme = Theme.PLAY
    initiator = factory.SubFactory(UserFactory, kern=factory.SelfAttribute("..kern"))
    status = Status.DRAFT
    goal = Decimal("1000.00")
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status not in (Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED,
                                                     Status.DECLINED) else None)


class InitiativeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InitiativeEvent

    initiative = factory.SubFactory(InitiativeFactory)
    action = "submit"
    from_status = Status.DRAFT
    to_status = Status.SUBMITTED


class MatchFundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchFund

    name = factory.Sequence(lambda n: f"Dorpsfonds {n}")
    budget = Decimal("5000.00")
    balance = factory.SelfAttribute("budget")
    ratio = Decimal("1.00")
    cap_per_initiative = Decimal("500.00")


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    initiative = factory.SubFactory(InitiativeFactory, status=Status.FUNDING)
    pledger = factory.SubFactory(UserFactory)
    kind = Pledge.Kind.MONEY
    amount = Decimal("25.00")
    idempotency_key = factory.Sequence(lambda n: f"key-{n}")
