"""Anonymous forms that reach staff are throttled per address and per browser session, kindly."""

import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from community.models import CallbackRequest, User

pytestmark = pytest.mark.django_db

MESSAGE = "U heeft dit formulier kort na elkaar al een paar keer verstuurd."


@pytest.fixture(autouse=True)
def _fresh_counts(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "callback": "5/h/ip,3/10m/key",
                                    "callback_signed_in": "10/h/user", "signup_request": "5/h/ip,3/10m/key"}
    cache.clear()
    yield
    cache.clear()


def callback(client, n: int, **extra):
    return client.post(reverse("community:contact"), {
        "name": f"Bewoner {n}", "phone": "0184 123456", "email": "", "kern": "", "topic": "",
        "message": "Graag terugbellen", "preferred_moment": "any", "channel": "phone",
    }, **extra)


def signup(client, n: int, **extra):
    return client.post(reverse("account_signup"), {
        "first_name": f"Bewoner{n}", "email": f"bewoner{n}@example.org", "password1": "een-lang-wachtwoord-42",
        "password2": "een-lang-wachtwoord-42",
    }, **extra)


def assert_refused(response):
    assert response.status_code == 429
    html = response.content.decode()
    assert MESSAGE in html and 'role="alert"' in html  # in the form, as its error
    assert 'name="phone"' in html or 'name="email"' in html  # the form is there to try again later


@pytest.mark.parametrize(("send", "count"), [
    (callback, CallbackRequest.objects.count), (signup, User.objects.count),
])
def test_the_fourth_in_one_session_is_refused_and_stores_nothing(send, count):
    client = Client(REMOTE_ADDR="192.0.2.1")
    for n in range(3):
        assert send(client, n).status_code == 302
    before = count()
    assert_refused(send(client, 3))
    assert count() == before
    # Another visitor (own address, own session) is not affected.
    assert send(Client(REMOTE_ADDR="192.0.2.2"), 4).status_code == 302
    assert count() == before + 1


@pytest.mark.parametrize(("send", "count"), [
    (callback, CallbackRequest.objects.count), (signup, User.objects.count),
])
def test_the_sixth_from_one_address_is_refused_even_with_fresh_sessions(send, count):
    for n in range(5):
        assert send(Client(REMOTE_ADDR="198.51.100.7"), n).status_code == 302  # a new session each time
    before = count()
    assert_refused(send(Client(REMOTE_ADDR="198.51.100.7"), 5))
    assert count() == before
    assert send(Client(REMOTE_ADDR="198.51.100.8"), 6).status_code == 302


def test_a_form_with_mistakes_does_not_count():
    client = Client(REMOTE_ADDR="192.0.2.3")
    for _ in range(5):
        response = client.post(reverse("community:contact"), {"name": "Jan", "phone": "12"})
        assert response.status_code == 200 and MESSAGE not in response.content.decode()
    assert callback(client, 1).status_code == 302


def test_signed_in_residents_have_a_more_generous_limit(resident):
    client = Client(REMOTE_ADDR="192.0.2.4")
    client.force_login(resident)
    for n in range(10):
        assert callback(client, n).status_code == 302
    assert_refused(callback(client, 10))
    assert CallbackRequest.objects.filter(requester=resident).count() == 10


def test_the_rates_come_from_the_environment():
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); "
            "from django.conf import settings as s; r = s.ACCOUNT_RATE_LIMITS; "
            "print(r['callback'], r['signup_request'], r['callback_signed_in'], s.ALLAUTH_TRUSTED_PROXY_COUNT)")
    env = {"CALLBACK_RATE": "2/m/ip", "SIGNUP_RATE": "1/h/ip", "CALLBACK_SIGNED_IN_RATE": "4/h/user",
           "TRUSTED_PROXY_COUNT": "1", "SAMENLAB_TESTING": "true"}
    result = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True,  # noqa: S603
                            text=True, timeout=120, check=True)
    assert result.stdout.split() == ["2/m/ip", "1/h/ip", "4/h/user", "1"]
