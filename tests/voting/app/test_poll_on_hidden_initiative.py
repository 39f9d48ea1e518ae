"""A poll on an initiative that a visitor may not see (a draft) is not there for them, at every door: the
overview, the poll list, the API's list and detail, casting, the result and the downloads (``voting.view_poll``
is part of every rule about the box)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.permissions import may
from initiatives.models import Status
from tests.factories import UserFactory
from tests.factories_initiatives import InitiativeFactory
from tests.factories_voting import BallotBoxFactory, PollFactory
from voting.models import Ballot, Poll
from voting.services.casting import cast_ballot

pytestmark = pytest.mark.django_db

QUESTION = "Waar komt de nieuwe bank?"


@pytest.fixture
def hidden_poll(kern):
    draft = InitiativeFactory(kern=kern, status=Status.DRAFT)
    return PollFactory(box=BallotBoxFactory(kern=kern), initiative=draft, question=QUESTION)


def test_not_listed_or_served_to_who_may_not_see_the_initiative(client, kern, hidden_poll):
    resident = UserFactory(kern=kern)
    client.force_login(resident)
    assert QUESTION not in client.get(reverse("voting:index")).content.decode()
    assert QUESTION not in client.get(reverse("voting:polls")).content.decode()
    assert client.get(reverse("api:voting-polls")).json()["count"] == 0
    assert client.get(reverse("api:voting-poll", args=[hidden_poll.pk])).status_code == 404
    assert list(Poll.objects.visible_to(resident)) == []
    assert list(Poll.objects.visible_to(AnonymousUser())) == []


def test_no_vote_result_or_download_for_who_may_not_see_it(client, kern, hidden_poll):
    resident = UserFactory(kern=kern)
    with pytest.raises(PermissionDenied):
        cast_ballot(actor=resident, box=hidden_poll.box, choices=[hidden_poll.options.first().pk])
    assert Ballot.objects.count() == 0
    for perm in ("voting.vote", "voting.view_results", "voting.download_ballots"):
        assert not may(resident, perm, hidden_poll)


def test_the_initiator_sees_and_votes_in_it(client, kern, hidden_poll):
    initiator = hidden_poll.initiative.initiator
    initiator.kern = kern
    initiator.save()
    assert list(Poll.objects.visible_to(initiator)) == [hidden_poll]
    client.force_login(initiator)
    assert QUESTION in client.get(reverse("voting:index")).content.decode()
    assert client.get(reverse("api:voting-poll", args=[hidden_poll.pk])).status_code == 200
    cast_ballot(actor=initiator, box=hidden_poll.box, choices=[hidden_poll.options.first().pk])
    assert Ballot.objects.count() == 1
