"""The initiatives list is kept for everyone who sees only what everyone sees (per filter choice and page),
and never shown to someone who may see more."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from initiatives import services
from initiatives.models import Status
from tests import factories
from tests.factories_initiatives import InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300


def seen_by(user, url="/initiatieven/") -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url).content.decode()


def test_what_waits_for_a_council_never_leaks_through_the_kept_list(kern):
    InitiativeFactory(kern=kern, status=Status.FUNDING, title="Bankje bij de kerk")
    InitiativeFactory(kern=kern, status=Status.SUBMITTED, title="Geheim plan")
    council = factories.CouncilMembershipFactory(kern=kern).user
    resident = factories.UserFactory(kern=kern)
    assert "Geheim plan" in seen_by(council)
    for viewer in (resident, factories.UserFactory(), resident):
        text = seen_by(viewer)
        assert "Bankje bij de kerk" in text and "Geheim plan" not in text
    assert "Geheim plan" in seen_by(council)


def test_the_kept_list_follows_what_happens(kern, django_capture_on_commit_callbacks):
    resident = factories.UserFactory(kern=kern)
    plan = InitiativeFactory(kern=kern, status=Status.SUBMITTED, title="Bankje bij de kerk")
    assert "Bankje bij de kerk" not in seen_by(resident)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_initiative(actor=factories.CouncilMembershipFactory(kern=kern).user, initiative=plan)
    assert "Bankje bij de kerk" in seen_by(resident)


def test_each_filter_and_page_is_kept_apart(kern, other_kern):
    InitiativeFactory(kern=kern, status=Status.FUNDING, title="Plan in Arkel")
    InitiativeFactory(kern=other_kern, status=Status.FUNDING, title="Plan in Kinderdijk")
    resident = factories.UserFactory(kern=kern)
    assert "Plan in Kinderdijk" in seen_by(resident)
    arkel = seen_by(resident, "/initiatieven/?kern=arkel")
    assert "Plan in Arkel" in arkel and "Plan in Kinderdijk" not in arkel


def test_a_search_is_never_kept_and_other_parameters_never_reach_the_links(kern):
    for number in range(14):
        InitiativeFactory(kern=kern, status=Status.FUNDING, title=f"Plan {number}")
    resident = factories.UserFactory(kern=kern)
    text = seen_by(resident, "/initiatieven/?kern=arkel&utm_source=%3Cb%3Ex&pagina=1")
    links = re.search(r'<nav class="pagination".*?</nav>', text, re.S).group(0)
    assert "pagina=2" in links and "utm_source" not in links and "kern=arkel" in links
    assert "Plan 12" in seen_by(resident)  # the whole list, kept
    found = seen_by(resident, "/initiatieven/?q=Plan+13")
    assert "Plan 13" in found and "Plan 12" not in found
    assert "Plan 12" in seen_by(resident)  # and the kept list was not replaced by the search
    other = seen_by(resident, "/initiatieven/?q=Plan+12")
    assert "Plan 12" in other and "Plan 13" not in other  # nor one search by another


def test_a_plain_resident_gets_the_kept_list_without_reading_it(kern):
    InitiativeFactory(kern=kern, status=Status.FUNDING, title="Bankje bij de kerk")
    client = Client()
    client.force_login(factories.UserFactory(kern=kern))
    client.get("/initiatieven/")
    with CaptureQueriesContext(connection) as queries:
        assert "Bankje bij de kerk" in client.get("/initiatieven/").content.decode()
    assert not [q for q in queries if "initiatives_initiativephoto" in q["sql"]]
