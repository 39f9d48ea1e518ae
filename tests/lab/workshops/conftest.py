"""Fixtures for workshops: a lab facilitator who plans and runs one, an open board, seats joined through the
service, and the events its stream holds."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import Client
from django.utils import timezone

from community.rules import FACILITATORS_GROUP
from lab.models import LaneKind, Participant, Workshop
from lab.workshops import services
from lab.workshops.seats import DEVICE_COOKIE
from live.models import LiveEvent
from tests import factories


def in_group(user):
    user.groups.add(Group.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    return user


def plan(actor, **fields) -> Workshop:
    start = timezone.now() + datetime.timedelta(days=1)
    return services.plan_workshop(**{"actor": actor, "title": "Verhuizen naar Molenlanden",
                                     "service": "Een verhuizing doorgeven", "starts_at": start,
                                     "ends_at": start + datetime.timedelta(hours=2), **fields})


def cell(workshop: Workshop, kind: str = LaneKind.PAIN, stage: int = 0):
    """The (stage, lane) of ``workshop``: its ``stage``-th stage and its lane of ``kind``."""
    return list(workshop.stages.all())[stage], workshop.lanes.get(kind=kind)


def guest_joins(workshop: Workshop, name: str = "Sanne", *, anonymous: bool = False) -> Participant:
    """A seat joined without an account; its device token is ``seat.token``."""
    seat, token = services.join(user=AnonymousUser(), workshop=workshop, display_name=name, anonymous=anonymous)
    seat.token = token
    return seat


def phone(seat: Participant) -> Client:
    """The device of a seat joined without an account (its cookie set)."""
    client = Client()
    client.cookies[DEVICE_COOKIE] = seat.token
    return client


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def events(workshop: Workshop, type: str | None = None) -> list[LiveEvent]:  # noqa: A002
    found = LiveEvent.objects.filter(stream=services.stream_of(workshop)).order_by("seq")
    return list(found.filter(type=type) if type else found)


def write(seat: Participant, text: str = "Lang wachten op een brief", *, kind: str = LaneKind.PAIN, stage: int = 0,
          client_id=None):
    """``seat`` adds a card (as its own person, or as nobody signed in)."""
    s, lane = cell(Workshop.objects.get(pk=seat.workshop_id), kind, stage)
    return services.add_card(actor=seat.user or AnonymousUser(), participant=seat, stage=s, lane=lane, text=text,
                             client_id=client_id or uuid.uuid4())


@pytest.fixture
def lead(kern):
    """A facilitator of the lab, who plans the workshop and so runs it."""
    return in_group(factories.UserFactory(kern=kern, first_name="Fenna"))


@pytest.fixture
def planned(lead, kern):
    return plan(lead, kern=kern)


@pytest.fixture
def board(planned, lead):
    """The planned workshop, opened: the silent brainstorm."""
    return services.open_workshop(actor=lead, workshop=planned)


@pytest.fixture
def guest(board):
    return guest_joins(board, "Sanne")


@pytest.fixture
def other_guest(board):
    return guest_joins(board, "Kees")


@pytest.fixture
def member(board, resident):
    """``resident`` taking part as themselves."""
    return services.join(user=resident, workshop=board)[0]
