"""The home page is alive and personal: a welcome the way one chose, what changed since the previous visit,
what just happened in the kernen, what is coming up, and staff with a face."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from community import activities
from community.middleware import VisitMiddleware
from initiatives import services
from initiatives.models import Status
from tests import factories
from tests.factories_initiatives import InitiativeFactory
from tests.pages import build_home

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    return build_home()


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_a_visitor_gets_no_welcome_but_sees_what_happened_and_who_helps(home, kern):
    draft = InitiativeFactory(kern=kern, status=Status.SUBMITTED, title="Jeu-de-boulesbaan")
    services.approve_initiative(actor=factories.CouncilMembershipFactory(kern=kern).user, initiative=draft)
    InitiativeFactory(kern=kern, status=Status.DRAFT, title="Geheim concept")
    profile = factories.StaffProfileFactory(user__first_name="Sanne", user__last_name="Visser")
    html = Client().get("/").content.decode()
    assert "welkom terug" not in html and 'id="welcome-heading"' not in html
    assert "Net gebeurd in de kernen" in html and "Jeu-de-boulesbaan" in html and "Geheim concept" not in html
    assert "Wie helpt u graag?" in html and "Sanne Visser" in html and profile.job_title in html


def test_the_upcoming_slot_shows_what_apps_plan_soonest_first_and_stays_away_when_empty(home):
    assert "Binnenkort" not in Client().get("/").content.decode()
    now = timezone.now()

    def planned(user, kern, limit):
        return [activities.Activity(now + timedelta(days=9), "Wijkschouw Arkel", "/a/", "Wijkschouw", "Arkel"),
                activities.Activity(now + timedelta(days=2), "Werkplaats verhuizen", "/b/", "Werkplaats")]

    activities.register("tests.planned", planned)
    try:
        html = Client().get("/").content.decode()
    finally:
        activities.unregister("tests.planned")
    assert "Binnenkort" in html
    assert html.index("Werkplaats verhuizen") < html.index("Wijkschouw Arkel")


def test_a_resident_is_welcomed_back_with_what_changed(home, kern, django_capture_on_commit_callbacks):
    person = factories.UserFactory(kern=kern, first_name="Jan", last_name="de Vries", address_as="sir")
    initiative = InitiativeFactory(kern=kern, initiator=person, status=Status.FUNDING, title="Speeltuin")
    client = signed_in(person)
    first = client.get("/").content.decode()
    assert "heer De Vries" in first and "welkom terug" not in first
    session = client.session
    session[VisitMiddleware.SEEN_KEY] = (timezone.now() - timedelta(hours=3)).isoformat()
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge(pledger=factories.UserFactory(kern=kern, first_name="Petra", last_name="Goud"),
                        initiative=initiative, kind="money", idempotency_key="k", amount="40")
    html = client.get("/").content.decode()
    assert "heer De Vries, welkom terug" in html and "Heeft u al gezien dat…" in html
    assert "Petra Goud doet een toezegging voor Speeltuin" in html


def test_the_signed_in_home_page_needs_at_most_twelve_queries(home, kern, django_assert_max_num_queries,
                                                              settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300  # as in production: what all see alike is kept per generation
    person = factories.UserFactory(kern=kern)
    for _number in range(5):
        InitiativeFactory(kern=kern, status=Status.FUNDING)
        factories.StaffProfileFactory()
    client = signed_in(person)
    client.get("/")
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200
