"""Sign-up errors are Dutch, formal and plain: no English left over from a new Django release."""

import re

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("password", "expected"), [
    ("kort", "Dit wachtwoord is te kort. Gebruik minstens 10 tekens."),
    ("1234567890", "Dit wachtwoord heeft alleen cijfers. Gebruik ook letters."),
    ("wachtwoord", "Dit wachtwoord gebruiken veel mensen."),
    ("nieuw@example.org", "Het wachtwoord lijkt te veel op uw e-mailadres."),
])
def test_password_errors_are_dutch(password, expected):
    response = Client(HTTP_ACCEPT_LANGUAGE="nl").post("/accounts/signup/", {
        "email": "nieuw@example.org", "password1": password, "password2": password, "first_name": "Jan"})
    errors = " ".join(re.findall(r'class="errorlist"[^>]*>(.*?)</ul>', response.content.decode(), re.S))
    assert expected in errors
    assert not re.search(r"\b(password|must|characters|too)\b", errors, re.I), errors


def test_an_address_that_is_taken_is_said_in_dutch():
    factories.UserFactory(email="bestaat@example.org")
    response = Client(HTTP_ACCEPT_LANGUAGE="nl").post("/accounts/signup/", {
        "email": "bestaat@example.org", "password1": "een-lang-wachtwoord-42",
        "password2": "een-lang-wachtwoord-42", "first_name": "Jan"})
    html = response.content.decode()
    assert "already" not in html.lower()
