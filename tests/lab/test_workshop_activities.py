"""Workshops to come are among the upcoming activities of the home page (never one that ended); a kern page keeps
to its ten queries and leaves them out."""

import datetime

import pytest
from django.utils import timezone, translation

from lab.activities import upcoming_workshops
from lab.models import Workshop, WorkshopState
from lab.workshops import services
from tests.factories import KernFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _plan(title, kern=None, days=3):
    start = timezone.now() + datetime.timedelta(days=days)
    return services.plan_workshop(actor=StaffFactory(), title=title, service=title, kern=kern, starts_at=start,
                                  ends_at=start + datetime.timedelta(hours=2))


def test_the_home_page_lists_every_workshop_to_come_and_no_ended_one(kern):
    own, everyone = _plan("Eigen kern", kern), _plan("Voor iedereen", None, days=4)
    elsewhere = _plan("Andere kern", KernFactory(name="Hoornaar", slug="hoornaar"), days=5)
    over = _plan("Voorbij", kern, days=1)
    Workshop.objects.filter(pk=over.pk).update(state=WorkshopState.ENDED)
    with translation.override("nl"):
        found = upcoming_workshops(None, None, 10)
    assert [a.title for a in found] == [own.title, everyone.title, elsewhere.title]
    assert upcoming_workshops(None, kern, 10) == []
    assert {a.kern_name for a in found} >= {"Arkel", "Heel Molenlanden"}
    assert all(a.url.startswith("/werksessies/") for a in found)


def test_the_home_page_shows_an_upcoming_workshop(client, kern, settings):
    from tests.pages import build_home

    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    build_home()
    _plan("Mantelzorg aanvragen", kern)
    assert "Mantelzorg aanvragen" in client.get("/").content.decode()
