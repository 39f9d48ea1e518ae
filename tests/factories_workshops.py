"""Factories for workshops. They write rows directly (fixtures for any state); tests of behaviour go through
``lab.workshops.services``.

A ``WorkshopFactory`` workshop gets the stages and lanes ``plan_workshop`` gives when none are chosen (the VNG's
five stages, the six lanes of a journey map), so a factory board and a planned board look alike.
A device participant's token is on the instance (``participant.token``); only its hash is stored.
"""

import datetime
import uuid

import factory
from django.utils import timezone

from lab.models import Card, Dot, Feeling, FeelingKind, Lane, LaneKind, Participant, Stage, Workshop, WorkshopState
from lab.workshops.seats import new_device_token, token_hash
from lab.workshops.services.workshops import DEFAULT_LANES, DEFAULT_STAGES
from tests.factories import UserFactory


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Werksessie {n}")
    service = "Een verhuizing doorgeven"
    customer_group = "Nieuwe inwoners"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    place = "Dorpshuis"
    join_code = factory.Sequence(lambda n: f"{(n * 7919) % 1_000_000:06d}")
    state = WorkshopState.PLANNED

    @factory.post_generation
    def facilitators(self, create, extracted, **kwargs):
        if create and extracted:
            self.facilitators.set(extracted)

    @factory.post_generation
    def board(self, create, extracted, **kwargs):
        """``board=False``: no stages or lanes."""
        if not create or extracted is False:
            return
        Stage.objects.bulk_create([Stage(workshop=self, title=str(t), order=i) for i, t in enumerate(DEFAULT_STAGES)])
        Lane.objects.bulk_create([Lane(workshop=self, kind=kind, title=str(kind.label), order=i)
                                  for i, kind in enumerate(DEFAULT_LANES)])


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    workshop = factory.SubFactory(WorkshopFactory, board=False)
    title = factory.Sequence(lambda n: f"Fase {n}")
    order = factory.Sequence(lambda n: n + 100)


class LaneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lane

    workshop = factory.SubFactory(WorkshopFactory, board=False)
    kind = LaneKind.PAIN
    title = factory.LazyAttribute(lambda o: str(LaneKind(o.kind).label))
    order = factory.Sequence(lambda n: n + 100)


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A signed-in resident taking part as themselves."""

    class Meta:
        model = Participant

    workshop = factory.SubFactory(WorkshopFactory)
    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda o: o.user.first_name)


class DeviceParticipantFactory(factory.django.DjangoModelFactory):
    """Someone without an account: a display name and a device token (``participant.token``)."""

    class Meta:
        model = Participant

    token = factory.LazyFunction(new_device_token)
    workshop = factory.SubFactory(WorkshopFactory)
    user = None
    display_name = factory.Sequence(lambda n: f"Gast {n}")
    device_token_hash = factory.LazyAttribute(lambda o: token_hash(o.token))

    @classmethod
    def _create(cls, model_class, *args, token, **kwargs):
        participant = super()._create(model_class, *args, **kwargs)
        participant.token = token
        return participant


class AnonymousParticipantFactory(DeviceParticipantFactory):
    """Taking part anonymously: no user and no name, only the device's seat."""

    display_name = ""
    anonymous = True


def _first(relation: str):
    return factory.LazyAttribute(lambda o: getattr(o.workshop, relation).order_by("order", "pk").first())


class CardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Card

    workshop = factory.SubFactory(WorkshopFactory, state=WorkshopState.OPEN)
    stage = _first("stages")
    lane = _first("lanes")
    author = None
    client_id = factory.LazyFunction(uuid.uuid4)
    text = factory.Sequence(lambda n: f"Kaartje {n}")
    private = False


class FeelingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feeling

    participant = factory.SubFactory(DeviceParticipantFactory)
    stage = factory.LazyAttribute(lambda o: o.participant.workshop.stages.order_by("order", "pk").first())
    kind = FeelingKind.CURRENT
    score = 0


class DotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dot

    card = factory.SubFactory(CardFactory)
    participant = factory.SubFactory(DeviceParticipantFactory, workshop=factory.SelfAttribute("..card.workshop"))
    client_id = factory.LazyFunction(uuid.uuid4)
