"""A resident is greeted as they asked: "Jan", "Jan de Vries", "heer De Vries", "mevrouw De Vries"."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from community import services
from community.models import AddressAs, User
from community.privacy import erase_account, export_personal_data
from community.selectors import greeting_for
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("address_as", "nl", "en"), [
    (AddressAs.FIRST_NAME, "Jan", "Jan"),
    (AddressAs.FULL_NAME, "Jan de Vries", "Jan de Vries"),
    (AddressAs.SIR, "heer De Vries", "Mr De Vries"),
    (AddressAs.MADAM, "mevrouw De Vries", "Ms De Vries"),
])
def test_the_greeting_name_follows_the_choice_in_each_language(address_as, nl, en):
    user = factories.UserFactory.build(first_name="Jan", last_name="de Vries", address_as=address_as)
    with translation.override("nl"):
        assert user.greeting_name == nl
    with translation.override("en"):
        assert user.greeting_name == en


@pytest.mark.parametrize("address_as", [AddressAs.FULL_NAME, AddressAs.SIR, AddressAs.MADAM])
def test_without_a_surname_the_first_name_is_used(address_as):
    assert factories.UserFactory.build(first_name="Jan", last_name=" ", address_as=address_as).greeting_name == "Jan"


def test_the_profile_form_saves_the_choice_and_the_home_page_greets_with_it(client):
    kern = factories.KernFactory()
    user = factories.UserFactory(first_name="Jan", last_name="de Vries", kern=kern)
    client.force_login(user)
    form = client.get(reverse("community:profile")).content.decode()
    assert 'name="address_as"' in form and 'value="sir"' in form
    data = {"first_name": "Jan", "last_name": "de Vries", "address_as": "sir", "kern": kern.pk, "postcode": "",
            "phone": "", "preferred_language": "nl", "email_notifications": "on"}
    assert client.post(reverse("community:profile"), data).status_code == 302
    assert User.objects.get(pk=user.pk).address_as == AddressAs.SIR
    home = client.get(reverse("community:home")).content.decode()
    assert f"{greeting_for()} heer De Vries" in home


def test_a_profile_sent_without_the_choice_keeps_it(client):
    kern = factories.KernFactory()
    user = factories.UserFactory(first_name="Jan", last_name="de Vries", kern=kern, address_as=AddressAs.MADAM)
    client.force_login(user)
    data = {"first_name": "Jan", "last_name": "de Vries", "kern": kern.pk, "postcode": "", "phone": "",
            "preferred_language": "nl"}
    assert client.post(reverse("community:profile"), data).status_code == 302
    assert User.objects.get(pk=user.pk).address_as == AddressAs.MADAM


def test_an_unknown_choice_is_refused_and_changes_nothing(client):
    kern = factories.KernFactory()
    user = factories.UserFactory(first_name="Jan", last_name="de Vries", kern=kern)
    client.force_login(user)
    data = {"first_name": "Jan", "last_name": "de Vries", "address_as": "koning", "kern": kern.pk,
            "postcode": "", "phone": "", "preferred_language": "nl"}
    response = client.post(reverse("community:profile"), data)
    assert response.status_code == 200 and 'id="id_address_as_error"' in response.content.decode()
    assert User.objects.get(pk=user.pk).address_as == AddressAs.FIRST_NAME


def test_the_service_refuses_an_unknown_choice_and_changes_nothing():
    kern = factories.KernFactory()
    user = factories.UserFactory(first_name="Jan", last_name="de Vries", kern=kern)
    with pytest.raises(ValidationError):
        services.update_profile(user=user, first_name="Jan", last_name="de Vries", kern=kern, postcode="",
                                phone="", preferred_language="nl", large_text=False, email_notifications=True,
                                address_as="koning")
    assert User.objects.get(pk=user.pk).address_as == AddressAs.FIRST_NAME


def test_the_choice_is_in_the_export_and_gone_after_erasure():
    user = factories.UserFactory(first_name="Jan", last_name="de Vries", address_as=AddressAs.MADAM)
    assert export_personal_data(user)["profile"]["address_as"] == "madam"
    erase_account(user=user)
    assert User.objects.get(pk=user.pk).address_as == AddressAs.FIRST_NAME
