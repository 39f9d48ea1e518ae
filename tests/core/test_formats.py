"""Money is written one way, in the page's language: one helper, the same figure on a card and on the page."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core.formats import money
from initiatives import services
from initiatives.models import Status
from tests import factories
from tests.factories_initiatives import InitiativeFactory

NBSP = "\xa0"


@pytest.mark.parametrize(("value", "language", "written"), [
    (Decimal("4500"), "nl", f"€{NBSP}4.500,00"),
    (Decimal("4500"), "en", "€4,500.00"),
    (Decimal("1250.5"), "nl", f"€{NBSP}1.250,50"),
    (Decimal("1250.5"), "en", "€1,250.50"),
    (Decimal("0"), "nl", f"€{NBSP}0,00"),
    (17, "nl", f"€{NBSP}17,00"),
    ("0.01", "en", "€0.01"),
    (Decimal("10000"), "en-gb", "€10,000.00"),
])
def test_money_is_written_as_the_language_writes_it(value, language, written):
    assert money(value, language) == written


def test_money_follows_the_active_language_and_leaves_nothing_empty():
    with translation.override("en"):
        assert money(Decimal("4500")) == "€4,500.00"
    with translation.override("nl"):
        assert money(Decimal("4500")) == f"€{NBSP}4.500,00"
    assert money(None) == ""


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "raised", "goal"), [
    ("nl", f"€{NBSP}1.250,50", f"€{NBSP}4.500,00"),
    ("en", "€1,250.50", "€4,500.00"),
])
def test_a_card_and_the_page_show_the_same_figures(client, language, raised, goal):
    initiative = InitiativeFactory(status=Status.FUNDING, goal=Decimal("4500.00"))
    pledger = factories.UserFactory(kern=initiative.kern)
    services.pledge(pledger=pledger, initiative=initiative, kind="money", amount="1250,50",
                    idempotency_key="een-toezegging")
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    card = client.get(reverse("initiatives:list"), **headers).content.decode()
    page = client.get(initiative.get_absolute_url(), **headers).content.decode()
    for html in (card, page):
        assert raised in html and goal in html
