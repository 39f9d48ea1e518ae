"""The initiatives block of a kern page is kept for everyone who sees only what everyone sees, and never
shown to someone who may see more (or less)."""

import pytest
from django.test import Client

from initiatives import services
from initiatives.models import Status
from initiatives.selectors import sees_more_than_everyone
from tests import factories
from tests.factories_initiatives import InitiativeFactory
from tests.pages import build_home, build_kern_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def kern_page(kern, settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    return build_kern_page(kern, build_home())


def seen_by(user, url) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url).content.decode()


def test_only_those_with_more_to_see_get_their_own_list(kern, other_kern):
    submitted = InitiativeFactory(kern=kern, status=Status.SUBMITTED)
    council = factories.CouncilMembershipFactory(kern=kern).user
    assert sees_more_than_everyone(user=council, kern=kern)  # it waits for their council
    assert not sees_more_than_everyone(user=council, kern=other_kern)
    assert sees_more_than_everyone(user=submitted.initiator, kern=kern)
    assert sees_more_than_everyone(user=factories.StaffFactory(), kern=kern)
    assert not sees_more_than_everyone(user=factories.UserFactory(kern=kern), kern=kern)


def test_a_plan_waiting_for_the_council_never_leaks_through_the_kept_block(kern, kern_page):
    InitiativeFactory(kern=kern, status=Status.FUNDING, title="Bankje bij de kerk")
    InitiativeFactory(kern=kern, status=Status.SUBMITTED, title="Geheim plan")
    council = factories.CouncilMembershipFactory(kern=kern).user
    resident = factories.UserFactory(kern=kern)
    assert "Geheim plan" in seen_by(council, kern_page.url)  # first: the council's own list
    for viewer in (resident, None, resident):  # then the kept block, for everyone else
        text = seen_by(viewer, kern_page.url)
        assert "Bankje bij de kerk" in text and "Geheim plan" not in text
    assert "Geheim plan" in seen_by(council, kern_page.url)  # after: still their own


def test_the_kept_block_follows_what_happens(kern, kern_page, django_capture_on_commit_callbacks):
    resident = factories.UserFactory(kern=kern)
    assert "Bankje bij de kerk" not in seen_by(resident, kern_page.url)
    plan = InitiativeFactory(kern=kern, status=Status.SUBMITTED, title="Bankje bij de kerk")
    council = factories.CouncilMembershipFactory(kern=kern).user
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_initiative(actor=council, initiative=plan)
    assert "Bankje bij de kerk" in seen_by(resident, kern_page.url)


def test_a_plain_resident_gets_the_kept_block_without_reading_the_list(kern, kern_page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(3):
        InitiativeFactory(kern=kern, status=Status.FUNDING, title=f"Plan {number}")
    resident = factories.UserFactory(kern=kern)
    client = Client()
    client.force_login(resident)
    client.get(kern_page.url)
    with CaptureQueriesContext(connection) as queries:
        assert "Plan 2" in client.get(kern_page.url).content.decode()
    assert not [q for q in queries if "initiatives_initiativephoto" in q["sql"]]  # the list's photos: kept
