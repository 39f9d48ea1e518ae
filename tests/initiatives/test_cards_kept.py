"""Lists of cards read only ids where cards are kept, load only the initiatives whose card is not kept, keep
their order, and show a change at once."""

from decimal import Decimal

import pytest

from initiatives import services, web_selectors
from initiatives.models import Status
from initiatives.templatetags.initiatives_tags import initiative_cards
from tests import factories
from tests.factories_initiatives import InitiativeFactory

pytestmark = pytest.mark.django_db


def cards_of(user, **choice) -> str:
    return initiative_cards(list(web_selectors.cards_to_show(user=user, **choice)))


def test_kept_cards_read_the_same_as_fresh_ones_in_the_same_order(kern, resident, settings):
    for n in range(5):
        InitiativeFactory(kern=kern, status=Status.FUNDING, title=f"Plan {n}", goal=Decimal("100.00"))
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    fresh = {sort: cards_of(resident, sort=sort) for sort in ("newest", "most_supported", "closing_soon")}
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    for sort, html in fresh.items():
        assert cards_of(resident, sort=sort) == html  # loaded
        assert cards_of(resident, sort=sort) == html  # kept
    assert fresh["newest"].index("Plan 4") < fresh["newest"].index("Plan 0")


def test_only_what_is_not_kept_is_loaded(kern, resident, settings, django_assert_num_queries):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    first = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
    initiative_cards([first.pk])
    second = InitiativeFactory(kern=kern, status=Status.PUBLISHED, title="Nieuw plan")
    with django_assert_num_queries(2):  # the one missing card: the initiative with totals, its photos
        html = initiative_cards([second.pk, first.pk])
    assert html.index("Nieuw plan") < html.index(first.title)
    with django_assert_num_queries(0):
        assert initiative_cards([second.pk, first.pk]) == html


def test_a_pledge_shows_on_the_kept_card_at_once(kern, resident, settings, django_capture_on_commit_callbacks):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    plan = InitiativeFactory(kern=kern, status=Status.FUNDING, goal=Decimal("100.00"))
    assert "€\xa00,00 toegezegd" in cards_of(resident)
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge(pledger=factories.UserFactory(kern=kern), initiative=plan, kind="money",
                        amount=Decimal("25"), idempotency_key="k")
    assert "€\xa025,00 toegezegd" in cards_of(resident)
