"""The team: invitation links, joining, leaving and being taken off, through the services and the views."""

import re
import time

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.permissions import may
from initiatives import services
from initiatives.models import InitiativeEvent, Pledge, Status
from initiatives.services.errors import InitiativeError
from initiatives.services.team import INVITATION_DAYS, MAX_CO_INITIATORS
from tests.factories import UserFactory
from tests.factories_initiatives import PledgeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(make_initiative):
    return make_initiative(Status.DRAFT, title="Samen een bankje")


def test_an_invited_resident_joins_the_team_once(draft, initiator, kern, django_capture_on_commit_callbacks):
    token = services.invitation_token(actor=initiator, initiative=draft)
    neighbour = UserFactory(kern=kern, first_name="Noor")
    with django_capture_on_commit_callbacks(execute=True):
        services.join_as_co_initiator(user=neighbour, token=token)
    services.join_as_co_initiator(user=neighbour, token=token)  # twice: nothing more
    assert list(draft.co_initiators.all()) == [neighbour]
    assert InitiativeEvent.objects.filter(initiative=draft, action="co_initiator_joined").count() == 1
    assert initiator.notifications.filter(title__contains="Noor").exists()
    # Now one of the initiators: may edit the draft and invite others too.
    draft = type(draft).objects.get(pk=draft.pk)
    assert may(neighbour, "initiatives.change_initiative", draft)
    assert services.invitation_token(actor=neighbour, initiative=draft)


def test_only_initiators_make_invitations(draft, kern):
    with pytest.raises(PermissionDenied):
        services.invitation_token(actor=UserFactory(kern=kern), initiative=draft)


@pytest.mark.parametrize("token", ["", "nonsense", "eyJpbml0aWF0aXZlIjoxfQ:1abc:forged"])
def test_a_forged_or_broken_token_is_refused_and_changes_nothing(draft, kern, token):
    with pytest.raises(InitiativeError):
        services.join_as_co_initiator(user=UserFactory(kern=kern), token=token)
    assert not draft.co_initiators.exists()


def test_a_token_signed_for_something_else_is_refused(draft, kern):
    other_purpose = signing.dumps({"initiative": draft.pk}, salt="something-else")
    with pytest.raises(InitiativeError):
        services.join_as_co_initiator(user=UserFactory(kern=kern), token=other_purpose)


def test_an_expired_invitation_is_refused(draft, initiator, kern, monkeypatch):
    then = time.time() - (INVITATION_DAYS + 1) * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: then)
    token = services.invitation_token(actor=initiator, initiative=draft)
    monkeypatch.undo()
    with pytest.raises(InitiativeError, match="verlopen"):
        services.join_as_co_initiator(user=UserFactory(kern=kern), token=token)
    assert not draft.co_initiators.exists()


def test_the_team_has_room_for_five(draft, initiator, kern):
    token = services.invitation_token(actor=initiator, initiative=draft)
    for _ in range(MAX_CO_INITIATORS):
        services.join_as_co_initiator(user=UserFactory(kern=kern), token=token)
    with pytest.raises(InitiativeError, match="meer kan niet"):
        services.join_as_co_initiator(user=UserFactory(kern=kern), token=token)
    assert draft.co_initiators.count() == MAX_CO_INITIATORS


def test_a_pledger_withdraws_the_pledge_before_joining(make_initiative, initiator, kern):
    funding = make_initiative(Status.FUNDING)
    pledger = UserFactory(kern=kern)
    PledgeFactory(initiative=funding, pledger=pledger, status=Pledge.Status.ACTIVE)
    token = services.invitation_token(actor=initiator, initiative=funding)
    with pytest.raises(InitiativeError, match="toezegging"):
        services.join_as_co_initiator(user=pledger, token=token)
    assert not funding.co_initiators.exists()


@pytest.mark.parametrize("status", [Status.DECLINED, Status.ARCHIVED])
def test_no_joining_a_closed_initiative(make_initiative, initiator, kern, status):
    open_now = make_initiative(Status.PUBLISHED)
    token = services.invitation_token(actor=initiator, initiative=open_now)
    type(open_now).objects.filter(pk=open_now.pk).update(status=status)
    with pytest.raises(PermissionDenied):
        services.join_as_co_initiator(user=UserFactory(kern=kern), token=token)


def test_leaving_and_being_taken_off(draft, initiator, kern):
    token = services.invitation_token(actor=initiator, initiative=draft)
    first, second = UserFactory(kern=kern), UserFactory(kern=kern)
    services.join_as_co_initiator(user=first, token=token)
    services.join_as_co_initiator(user=second, token=token)
    with pytest.raises(PermissionDenied):  # a co-initiator does not take someone else off
        services.remove_co_initiator(actor=first, initiative=draft, user=second)
    services.remove_co_initiator(actor=first, initiative=draft, user=first)  # but may leave
    services.remove_co_initiator(actor=initiator, initiative=draft, user=second)
    assert not draft.co_initiators.exists()
    assert InitiativeEvent.objects.filter(initiative=draft, action="co_initiator_left").count() == 2
    with pytest.raises(InitiativeError):
        services.remove_co_initiator(actor=initiator, initiative=draft, user=second)


# --- Through the web ------------------------------------------------------------------------------


def test_the_initiator_sees_the_link_and_a_neighbour_joins_with_it(client, draft, initiator, kern):
    client.force_login(initiator)
    page = client.get(draft.get_absolute_url()).content.decode()
    link = re.search(r'id="invitation-url" type="text" readonly value="([^"]+)"', page).group(1)
    path = link.split("testserver", 1)[1]
    neighbour = UserFactory(kern=kern, first_name="Noor")
    client.force_login(neighbour)
    assert client.get(draft.get_absolute_url()).status_code == 404  # a draft: not theirs to see yet
    invitation = client.get(path)
    assert invitation.status_code == 200 and "Samen een bankje" in invitation.content.decode()
    assert client.post(path).status_code == 302
    team = client.get(draft.get_absolute_url()).content.decode()
    assert "Noor" in team and "Stoppen als initiatiefnemer" in team


def test_others_do_not_see_the_link(client, make_initiative, kern):
    public = make_initiative(Status.PUBLISHED)
    client.force_login(UserFactory(kern=kern))
    assert 'id="invitation-url"' not in client.get(public.get_absolute_url()).content.decode()


def test_the_join_page_needs_a_login_and_explains_a_bad_link(client, draft, initiator, kern):
    token = services.invitation_token(actor=initiator, initiative=draft)
    assert client.get(reverse("initiatives:join", args=[token])).status_code == 302  # to the log-in
    client.force_login(UserFactory(kern=kern))
    tampered = token[:-3] + ("xyz" if not token.endswith("xyz") else "abc")
    broken = client.get(reverse("initiatives:join", args=[tampered]))
    assert broken.status_code == 400 and "klopt niet" in broken.content.decode()


def test_the_main_initiator_takes_someone_off_through_the_page(client, draft, initiator, kern):
    member = UserFactory(kern=kern)
    services.join_as_co_initiator(user=member, token=services.invitation_token(actor=initiator, initiative=draft))
    outsider = UserFactory(kern=kern)
    client.force_login(outsider)
    url = reverse("initiatives:remove_team_member", args=[draft.pk, member.pk])
    assert client.post(url).status_code == 404  # cannot even see the draft
    client.force_login(initiator)
    assert client.post(url).status_code == 302
    assert not draft.co_initiators.exists()


def test_opening_your_own_invitation_says_you_are_on_the_team(client, draft, initiator):
    token = services.invitation_token(actor=initiator, initiative=draft)
    client.force_login(initiator)
    response = client.get(reverse("initiatives:join", args=[token]), follow=True)
    assert "U zit al in het team" in response.content.decode()
    assert not draft.co_initiators.exists()
