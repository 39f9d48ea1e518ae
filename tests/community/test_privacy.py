"""The resident controls their data: export everything, erase everything personal."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from community.models import CallbackRequest, Notification, User
from tests import factories

pytestmark = pytest.mark.django_db


def test_export_contains_profile_callbacks_and_notifications(client, resident):
    factories.CallbackRequestFactory(requester=resident, message="Lantaarnpaal kapot")
    factories.NotificationFactory(recipient=resident, title="Welkom")
    other = factories.CallbackRequestFactory(message="Niet van mij")
    client.force_login(resident)
    response = client.get(reverse("community:export_my_data"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == resident.email and data["profile"]["kern"] == resident.kern.name
    assert [c["message"] for c in data["callback_requests"]] == ["Lantaarnpaal kapot"]
    assert [n["title"] for n in data["notifications"]] == ["Welkom"]
    assert other.message not in response.content.decode()


def test_export_needs_login(client):
    response = client.get(reverse("community:export_my_data"))
    assert response.status_code == 302


def test_erasure_needs_the_password_and_an_explicit_yes(client, resident):
    client.force_login(resident)
    url = reverse("community:erase_my_account")
    assert client.post(url, {"password": "fout", "confirm": "on"}).status_code == 200
    assert client.post(url, {"password": "wachtwoord-voor-tests"}).status_code == 200
    resident.refresh_from_db()
    assert resident.is_active and resident.first_name == "Jan"


def test_erasure_forgets_the_person_and_closes_the_account(client, kern):
    resident = factories.CouncilMembershipFactory(kern=kern, user__first_name="Jan", user__phone="0612345678").user
    callback = factories.CallbackRequestFactory(requester=resident, name="Jan", phone="0612345678")
    factories.NotificationFactory(recipient=resident)
    email = resident.email
    client.force_login(resident)
    response = client.post(reverse("community:erase_my_account"),
                           {"password": "wachtwoord-voor-tests", "confirm": "on"})
    assert response.status_code == 302
    erased = User.objects.get(pk=resident.pk)
    assert not erased.is_active and not erased.has_usable_password()
    assert (erased.first_name, erased.phone, erased.kern) == ("", "", None)
    assert erased.email != email and not User.objects.filter(email=email).exists()
    assert not EmailAddress.objects.filter(email=email).exists()
    assert not erased.council_memberships.exists() and not Notification.objects.filter(recipient=erased).exists()
    callback = CallbackRequest.objects.get(pk=callback.pk)
    assert (callback.requester, callback.name, callback.phone) == (None, "", "")
    assert "_auth_user_id" not in client.session
