"""Mijn Samenlab: greeted as one chose, "welkom terug" with what changed since the previous visit, one's own
initiatives, pledges, follows and conversations, and by role what waits; the same queries for a little or a lot."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.middleware import VisitMiddleware
from community.models import CallbackRequest, User
from community.notifications import services as notification_services
from discussion import services as discussion_services
from initiatives import services
from initiatives.models import Status
from tests import factories
from tests.factories_discussion import kern_thread
from tests.factories_initiatives import InitiativeFactory, PledgeFactory

pytestmark = pytest.mark.django_db

URL = reverse("community:home")


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def end_the_visit(client: Client) -> None:
    """As if the person left and came back more than half an hour later."""
    session = client.session
    session[VisitMiddleware.SEEN_KEY] = (timezone.now() - timedelta(hours=2)).isoformat()
    session.save()


def test_greeted_the_way_one_chose_and_welcomed_back_only_on_a_return(kern):
    person = factories.UserFactory(kern=kern, first_name="Jan", last_name="de Vries", address_as="sir")
    client = signed_in(person)
    first = client.get(URL).content.decode()
    assert "heer De Vries" in first and "welkom terug" not in first
    assert "welkom terug" not in client.get(URL).content.decode()  # the same visit
    end_the_visit(client)
    assert "heer De Vries, welkom terug" in client.get(URL).content.decode()


def test_a_visit_is_recorded_once_and_since_is_the_previous_one(kern):
    person = factories.UserFactory(kern=kern)
    client = signed_in(person)
    client.get(URL)
    first_visit = User.objects.get(pk=person.pk).last_visit_at
    client.get(URL)
    assert User.objects.get(pk=person.pk).last_visit_at == first_visit
    end_the_visit(client)
    client.get(URL)
    assert User.objects.get(pk=person.pk).last_visit_at > first_visit
    assert client.session[VisitMiddleware.SINCE_KEY] == first_visit.isoformat()


def test_what_changed_since_the_previous_visit_and_not_before(kern, django_capture_on_commit_callbacks):
    person = factories.UserFactory(kern=kern)
    initiative = InitiativeFactory(kern=kern, initiator=person, status=Status.FUNDING)
    with django_capture_on_commit_callbacks(execute=True):
        services.support(user=factories.UserFactory(kern=kern, first_name="Oud", last_name="Nieuws"),
                         initiative=initiative)
    client = signed_in(person)
    client.get(URL)
    end_the_visit(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge(pledger=factories.UserFactory(kern=kern, first_name="Petra", last_name="Goud"),
                        initiative=initiative, kind="money", idempotency_key="k", amount="50")
    page = client.get(URL).content.decode()
    assert "Petra Goud doet een toezegging voor" in page and "€\xa050,00" in page
    assert "Oud Nieuws steunt" not in page  # that was before the previous visit


def test_my_initiatives_say_what_they_need_next(kern):
    person = factories.UserFactory(kern=kern)
    InitiativeFactory(kern=kern, initiator=person, status=Status.DRAFT, title="Bankje bij de kerk")
    InitiativeFactory(kern=kern, initiator=person, status=Status.FUNDING, title="Speeltuin", goal="800.00")
    page = signed_in(person).get(URL).content.decode()
    assert "Bankje bij de kerk" in page and "Maak uw plan af en dien het in bij de dorpsraad." in page
    assert "Nog € 800,00 nodig." in page.replace("\xa0", " ")


def test_what_my_initiative_needs_follows_a_pledge_at_once_where_pages_are_kept(
        kern, settings, django_capture_on_commit_callbacks):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    person = factories.UserFactory(kern=kern)
    initiative = InitiativeFactory(kern=kern, initiator=person, status=Status.FUNDING, goal="800.00")
    client = signed_in(person)
    assert "Nog € 800,00 nodig." in client.get(URL).content.decode().replace("\xa0", " ")
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge(pledger=factories.UserFactory(kern=kern), initiative=initiative, kind="money",
                        idempotency_key="k", amount="300")
    assert "Nog € 500,00 nodig." in client.get(URL).content.decode().replace("\xa0", " ")


def test_my_pledges_can_be_withdrawn_from_here_while_that_is_allowed(kern):
    person = factories.UserFactory(kern=kern)
    open_pledge = PledgeFactory(pledger=person, initiative__kern=kern)
    closed = PledgeFactory(pledger=person, initiative__kern=kern, initiative__status=Status.FUNDED)
    page = signed_in(person).get(URL).content.decode()
    assert reverse("initiatives:cancel_pledge", args=[open_pledge.pk]) in page
    assert reverse("initiatives:cancel_pledge", args=[closed.pk]) not in page


def test_what_i_follow_and_my_conversations(kern):
    person = factories.UserFactory(kern=kern)
    followed = InitiativeFactory(kern=kern, status=Status.PUBLISHED, title="Dorpsfeest")
    services.follow(user=person, initiative=followed)
    thread = kern_thread(kern)
    discussion_services.post_comment(thread=thread, author=person, body="Wie komt er?")
    page = signed_in(person).get(URL).content.decode()
    assert "Wat ik volg" in page and "Dorpsfeest" in page
    assert "Mijn gesprekken" in page and reverse("discussion:thread", args=[thread.pk]) in page


def test_what_i_follow_leaves_out_what_i_started_or_joined(kern):
    from initiatives.models import Follow

    person = factories.UserFactory(kern=kern)
    started = InitiativeFactory(kern=kern, status=Status.PUBLISHED, initiator=person, title="Mijn eigen plan")
    joined = InitiativeFactory(kern=kern, status=Status.PUBLISHED, title="Plan van de buren")
    joined.co_initiators.add(person)
    other = InitiativeFactory(kern=kern, status=Status.PUBLISHED, title="Dorpsfeest")
    other.co_initiators.add(factories.UserFactory(kern=kern))  # someone else's team does not leave it out
    for initiative in (started, joined, other):
        Follow.objects.get_or_create(user=person, initiative=initiative)
    following = signed_in(person).get(URL).content.decode().split("Wat ik volg")[1]
    assert "Dorpsfeest" in following
    assert "Mijn eigen plan" not in following and "Plan van de buren" not in following


def test_a_followed_initiative_that_is_no_longer_visible_is_not_shown(kern):
    person = factories.UserFactory(kern=kern)
    hidden = InitiativeFactory(kern=kern, status=Status.PUBLISHED, title="Verdwenen plan")
    services.follow(user=person, initiative=hidden)
    type(hidden).objects.filter(pk=hidden.pk).update(status=Status.DRAFT)
    assert "Verdwenen plan" not in signed_in(person).get(URL).content.decode()


def test_what_waits_for_the_council_and_for_staff(kern, other_kern):
    member = factories.CouncilMembershipFactory(kern=kern).user
    InitiativeFactory(kern=kern, status=Status.SUBMITTED)
    InitiativeFactory(kern=other_kern, status=Status.SUBMITTED)
    page = signed_in(member).get(URL).content.decode()
    assert "Wat op u wacht" in page and "<strong>1</strong> initiatieven om te beoordelen" in page
    resident = factories.UserFactory(kern=kern)
    assert "Wat op u wacht" not in signed_in(resident).get(URL).content.decode()
    staff = factories.StaffFactory(kern=kern)
    factories.CallbackRequestFactory(status=CallbackRequest.Status.OPEN)
    factories.CallbackRequestFactory(status=CallbackRequest.Status.OPEN, assigned_to=factories.StaffFactory())
    assert "<strong>1</strong> verzoeken om contact" in signed_in(staff).get(URL).content.decode()


def test_the_status_of_my_callback_request(kern):
    person = factories.UserFactory(kern=kern)
    helper = factories.StaffFactory(first_name="Sanne", last_name="Visser")
    factories.CallbackRequestFactory(requester=person, status=CallbackRequest.Status.IN_PROGRESS, assigned_to=helper)
    page = signed_in(person).get(URL).content.decode()
    assert "in behandeling" in page and "Sanne Visser helpt u" in page


def build_a_lot(person, kern, count: int, django_capture_on_commit_callbacks):
    factories.CouncilMembershipFactory(kern=kern, user=person)
    thread = kern_thread(kern)
    for number in range(count):
        InitiativeFactory(kern=kern, initiator=person, status=Status.FUNDING)
        PledgeFactory(pledger=person, initiative__kern=kern)
        followed = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
        services.follow(user=person, initiative=followed)
        InitiativeFactory(kern=kern, status=Status.SUBMITTED)
        factories.CallbackRequestFactory(requester=person)
        discussion_services.get_or_create_thread(target=followed)
        factories_comment(thread if number % 2 else discussion_services.get_or_create_thread(target=followed), person)
    with django_capture_on_commit_callbacks(execute=True):
        notification_services.notify(kind="initiatives.support_received", recipients=[person] * count,
                                     params={"name": "X", "title": "Y"})


def factories_comment(thread, person):
    from tests.factories_discussion import CommentFactory

    CommentFactory(thread=thread, author=person)


@pytest.mark.parametrize("count", [1, 15])
def test_the_same_queries_for_a_little_or_a_lot(count, kern, django_capture_on_commit_callbacks,
                                                django_assert_max_num_queries):
    person = factories.UserFactory(kern=kern)
    build_a_lot(person, kern, count, django_capture_on_commit_callbacks)
    client = signed_in(person)
    client.get(URL)  # the visit starts (one write) on the first page
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.status_code == 200


def test_a_new_resident_first_chooses_a_kern():
    person = factories.UserFactory(kern=None)
    assert signed_in(person).get(URL)["Location"] == reverse("community:choose_kern")


def test_files_and_api_calls_neither_start_nor_extend_a_visit(kern):
    person = factories.UserFactory(kern=kern)
    client = signed_in(person)
    client.get("/media/initiatives/nothing-here.jpg")
    client.get("/api/initiatives/")
    assert User.objects.get(pk=person.pk).last_visit_at is None
    client.get(URL)
    assert User.objects.get(pk=person.pk).last_visit_at is not None
