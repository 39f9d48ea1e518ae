"""Factories for walks. They write rows directly (fixtures for any state); tests of behaviour go through
``maps.services``."""

import datetime
import uuid
from decimal import Decimal

import factory
from django.utils import timezone

from maps.models import Observation, ObservationPhoto, ObservationTheme, Walk, WalkSignup, WalkState
from tests.factories import KernFactory, UserFactory

# A street in Groot-Ammers, well inside the municipality.
LAT, LNG = Decimal("51.927500"), Decimal("4.835000")


class WalkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Walk
        skip_postgeneration_save = True

    kern = factory.SubFactory(KernFactory)
    title = factory.Sequence(lambda n: f"Wijkschouw Dorpsstraat {n}")
    description = "We lopen samen door de straten rond de kerk."
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    meeting_point = "Bij de kerk"
    meeting_latitude = LAT
    meeting_longitude = LNG
    route = factory.LazyFunction(lambda: [[4.8350, 51.9275], [4.8370, 51.9280], [4.8390, 51.9290]])
    route_description = "Van de kerk over de Dorpsstraat naar het speelveld."
    themes = factory.LazyFunction(lambda: [ObservationTheme.PAVING.value, ObservationTheme.LIGHTING.value])
    state = WalkState.PLANNED
    started_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.state in (WalkState.IN_PROGRESS, WalkState.FINISHED) else None)
    finished_at = factory.LazyAttribute(lambda o: timezone.now() if o.state == WalkState.FINISHED else None)

    @factory.post_generation
    def organisers(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisers.set(extracted)


class WalkSignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WalkSignup

    walk = factory.SubFactory(WalkFactory)
    user = factory.SubFactory(UserFactory)


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    walk = factory.SubFactory(WalkFactory, state=WalkState.IN_PROGRESS)
    author = factory.SubFactory(UserFactory)
    client_id = factory.LazyFunction(uuid.uuid4)
    theme = ObservationTheme.PAVING
    description = "Losliggende stoeptegel voor nummer 12."
    latitude = LAT
    longitude = LNG
    observed_at = factory.LazyFunction(timezone.now)


class ObservationPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObservationPhoto

    observation = factory.SubFactory(ObservationFactory)
    client_id = factory.LazyFunction(uuid.uuid4)
    alt_text = "Een losse stoeptegel"
    renditions = factory.LazyFunction(list)
