"""Two-step verification (authenticator app) for everyone, urged on staff."""

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_staff_desk_urges_two_step_verification_until_it_is_on(client, staff):
    client.force_login(staff)
    assert "tweestapsverificatie" in client.get(reverse("community:staff_desk")).content.decode()
    TOTP.activate(staff, generate_totp_secret())
    assert "Beveilig uw account" not in client.get(reverse("community:staff_desk")).content.decode()


def test_with_two_step_verification_a_password_alone_does_not_log_in(client, staff):
    cache.clear()
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    response = client.post(reverse("account_login"), {"login": staff.email, "password": "wachtwoord-voor-tests"})
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.pk
