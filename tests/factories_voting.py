"""Factories for voting: boxes, polls with options, budgets with projects on the ballot."""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import KernFactory
from voting.models import (
    BallotBox,
    BallotFormat,
    Budget,
    BudgetPhase,
    Poll,
    PollKind,
    PollOption,
    Project,
    ProjectState,
    WhoMayVote,
)


class BallotBoxFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BallotBox

    kern = factory.SubFactory(KernFactory)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    who_may_vote = WhoMayVote.RESIDENTS

    class Params:
        closed = factory.Trait(opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=10)),
                               closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)))
        upcoming = factory.Trait(opens_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1)),
                                 closes_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=8)))


class PollFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Poll
        skip_postgeneration_save = True

    box = factory.SubFactory(BallotBoxFactory)
    question = factory.Sequence(lambda n: f"Welk idee voor het dorpsplein gaat eerst? ({n})")
    kind = PollKind.SINGLE

    @factory.post_generation
    def options(self, create, extracted, **kwargs):
        if not create:
            return
        labels = extracted if extracted is not None else ["Bankjes", "Bomen", "Speeltoestel"]
        for order, label in enumerate(labels):
            PollOption.objects.create(poll=self, label=label, order=order)


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    box = factory.SubFactory(BallotBoxFactory)
    title = factory.Sequence(lambda n: f"Kernbudget {n}")
    slug = factory.Sequence(lambda n: f"kernbudget-{n}")
    amount = 10_000
    phase = BudgetPhase.VOTING
    ballot_format = BallotFormat.KNAPSACK


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    budget = factory.SubFactory(BudgetFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    summary = "Een beter dorp."
    cost = 3_000
    state = ProjectState.FEASIBLE
