"""The pages residents use signed in need at most twelve queries, however much there is on them."""

import pytest
from django.test import Client

from community.middleware import VisitMiddleware
from discussion import services as discussion_services
from initiatives import services
from initiatives.models import Status
from tests import factories
from tests.factories_discussion import CommentFactory, kern_thread
from tests.factories_initiatives import InitiativeFactory, PledgeFactory
from tests.pages import build_home, build_kern_page

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def busy_kern(kern, person, count: int) -> None:
    thread = kern_thread(kern)
    for _number in range(count):
        initiative = InitiativeFactory(kern=kern, status=Status.FUNDING)
        PledgeFactory(initiative=initiative, pledger=factories.UserFactory(kern=kern))
        services.follow(user=person, initiative=initiative)
        CommentFactory(thread=thread, author=factories.UserFactory(kern=kern))
        factories.StaffProfileFactory().kernen.add(kern)
    discussion_services.post_comment(thread=thread, author=person, body="Ik doe mee")


@pytest.fixture
def person(kern, settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300  # as in production: what all see alike is kept per generation
    return factories.CouncilMembershipFactory(kern=kern).user


@pytest.mark.parametrize("count", [1, 12])
@pytest.mark.parametrize("path", ["/initiatieven/", "/mijn/meldingen/", "/", "/mijn/", "kern page", "initiative page"])
def test_signed_in_pages_need_at_most_twelve_queries(path, count, kern, person, django_assert_max_num_queries):
    home = build_home()
    kern_page = build_kern_page(kern, home)
    busy_kern(kern, person, count)
    mine = InitiativeFactory(kern=kern, initiator=person, status=Status.FUNDING)
    url = {"kern page": kern_page.url, "initiative page": mine.get_absolute_url()}.get(path, path)
    client = Client()
    client.force_login(person)
    client.get(url)  # the visit starts, and what all see alike is kept
    session = client.session
    assert session.get(VisitMiddleware.SEEN_KEY)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
