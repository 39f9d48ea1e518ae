"""The home page shows what needs support now: initiatives raising money or help, the resident's own kern first."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from initiatives.models import Status
from tests import factories
from tests.factories_initiatives import InitiativeFactory
from tests.pages import build_home

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    return build_home()


def funding(kern, title, days_left):
    return InitiativeFactory(kern=kern, title=title, status=Status.FUNDING, goal=Decimal("500.00"),
                             deadline=timezone.localdate() + datetime.timedelta(days=days_left))


def test_anyone_sees_the_initiatives_that_raise_money_now_and_nothing_else(home, client):
    kern = factories.KernFactory()
    funding(kern, "Bankjes bij de haven", 10)
    InitiativeFactory(kern=kern, title="Nog een concept", status=Status.DRAFT)
    InitiativeFactory(kern=kern, title="Al gerealiseerd", status=Status.REALISED)
    html = client.get("/").content.decode()
    assert "Zij zoeken nu steun" in html
    assert "Bankjes bij de haven" in html
    assert "Nog een concept" not in html and "Al gerealiseerd" not in html


def test_with_nothing_to_support_the_home_page_says_so(home, client):
    assert "Op dit moment zamelt geen initiatief geld of hulp in" in client.get("/").content.decode()


def test_a_resident_sees_their_own_kern_first(home):
    own, other = factories.KernFactory(name="Arkel"), factories.KernFactory(name="Giessenburg")
    funding(other, "Elders, bijna voorbij", 2)
    funding(own, "In mijn dorp, nog lang", 40)
    resident = factories.UserFactory(kern=own)
    client = Client()
    client.force_login(resident)
    html = client.get("/").content.decode()
    assert "in Arkel en daarbuiten" in html
    assert html.index("In mijn dorp, nog lang") < html.index("Elders, bijna voorbij")
    anonymous = Client().get("/").content.decode()  # without a kern of one's own: closing soonest first
    assert anonymous.index("Elders, bijna voorbij") < anonymous.index("In mijn dorp, nog lang")


def test_the_block_costs_the_same_queries_for_one_or_many_initiatives(home, django_assert_num_queries):
    kern = factories.KernFactory()
    resident = factories.UserFactory(kern=kern)
    client = Client()
    client.force_login(resident)
    funding(kern, "De eerste", 5)
    client.get("/")  # warm: site, locale and the like are cached after the first request
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for n in range(7):
        funding(kern, f"Nummer {n}", 6 + n)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/")
