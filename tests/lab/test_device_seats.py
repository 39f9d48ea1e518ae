"""One phone, one device token, a seat in every workshop it joins: joining a second workshop keeps the first
seat reachable; a token not of the site's form is never stored, a fresh one is made instead."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from lab.workshops import services
from lab.workshops.seats import seat_for, token_hash
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _workshop(title):
    start = timezone.now()
    staff = StaffFactory()
    workshop = services.plan_workshop(actor=staff, title=title, service=title, starts_at=start,
                                      ends_at=start + datetime.timedelta(hours=1))
    return services.open_workshop(actor=staff, workshop=workshop)


def test_one_phone_keeps_its_seat_in_every_workshop_it_joins():
    first, second = _workshop("Verhuizen"), _workshop("Mantelzorg")
    seat, token = services.join(user=AnonymousUser(), workshop=first, display_name="Sanne")
    other, new_token = services.join(user=AnonymousUser(), workshop=second, display_name="Sanne",
                                     device_token=token)
    assert new_token == "" and other.pk != seat.pk
    assert seat_for(user=None, workshop=first, device_token=token) == seat
    assert seat_for(user=None, workshop=second, device_token=token) == other
    again, _same = services.join(user=AnonymousUser(), workshop=second, device_token=token)
    assert again == other


@pytest.mark.parametrize("forged", ["kort", "x" * 33, "é" * 32, "<script>alert(1)</script>aaaaaaa", " " * 32])
def test_a_token_not_of_our_form_is_not_kept(forged):
    workshop = _workshop("Verhuizen")
    seat, token = services.join(user=AnonymousUser(), workshop=workshop, display_name="Sanne", device_token=forged)
    assert token and token != forged and seat.device_token_hash == token_hash(token)
    assert seat_for(user=None, workshop=workshop, device_token=forged) is None
