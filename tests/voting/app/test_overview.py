"""/stemmen/: open, coming and closed votes in one list, reachable from every page's menu."""

import pytest
from django.urls import reverse

from tests.factories_voting import BallotBoxFactory, BudgetFactory, PollFactory
from voting.models import Ballot

pytestmark = pytest.mark.django_db


def test_the_menu_leads_to_every_vote_by_state(client, kern, django_assert_max_num_queries):
    open_poll = PollFactory(box=BallotBoxFactory(kern=kern), question="Bankjes op het plein?")
    coming = BudgetFactory(box=BallotBoxFactory(kern=None, upcoming=True), title="Gemeentepot 2027")
    closed = PollFactory(box=BallotBoxFactory(kern=kern, closed=True), question="Zondag open?")
    for _ in range(3):
        Ballot.objects.create(box=open_poll.box, choices={str(open_poll.options.first().pk): 1})
    home = client.get("/zoeken/")
    assert reverse("voting:index") in home.content.decode()
    with django_assert_max_num_queries(6):
        page = client.get(reverse("voting:index"))
    text = page.content.decode()
    assert page.status_code == 200
    opened, coming_at, closed_at = (text.index(s) for s in ("Nu open", "Binnenkort", "Gesloten"))
    assert opened < text.index("Bankjes op het plein?") < coming_at < text.index("Gemeentepot 2027") < closed_at
    assert closed_at < text.index("Zondag open?")
    assert "De hele gemeente" in text and kern.name in text
    assert open_poll.get_absolute_url() in text and coming.get_absolute_url() in text
    assert closed.get_absolute_url() in text


def test_an_empty_overview_says_so(client, db):
    assert "Er is nu geen stemming open." in client.get(reverse("voting:index")).content.decode()
