"""An initiative page keeps what looks the same to everyone for the page generation (the initiative with its
team, its totals, its story, whether it has a thread, its empty forms), and still answers every viewer by the
rule, and shows every change at once."""

from decimal import Decimal

import pytest
from django.test import Client

from core.pagecache import generation
from initiatives import services
from initiatives.images import process_image
from initiatives.models import Initiative, Status
from tests import factories
from tests.factories_initiatives import InitiativeFactory
from tests.photos import jpeg_bytes

pytestmark = pytest.mark.django_db

STATUSES = [Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.DECLINED, Status.PUBLISHED,
            Status.FUNDING, Status.ARCHIVED]


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300


def page(user, initiative):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(f"/initiatieven/{initiative.pk}/")


@pytest.mark.parametrize("status", STATUSES)
def test_every_viewer_gets_what_the_rule_gives_whoever_looked_first(status, kern, other_kern, resident, staff,
                                                                   council_member, other_council_member):
    initiative = InitiativeFactory(kern=kern, status=status)
    co_initiator = factories.UserFactory(kern=kern)
    initiative.co_initiators.add(co_initiator)
    viewers = {"council": council_member, "anonymous": None, "resident": resident, "initiator": initiative.initiator,
               "co_initiator": co_initiator, "other_council": other_council_member, "staff": staff,
               "other_kern": factories.UserFactory(kern=other_kern)}
    # Twice round: the first viewer fills the kept initiative, everyone after reads it.
    for _round in range(2):
        for name, user in viewers.items():
            sees = user is not None and Initiative.objects.visible_to(user).filter(pk=initiative.pk).exists() \
                or user is None and initiative.is_public
            assert page(user, initiative).status_code == (200 if sees else 404), (name, status)


def test_a_made_up_number_answers_404_and_keeps_nothing(resident):
    assert page(resident, Initiative(pk=987654)).status_code == 404


def test_totals_supports_and_the_team_change_at_once(kern, resident, django_capture_on_commit_callbacks):
    initiative = InitiativeFactory(kern=kern, status=Status.FUNDING, goal=Decimal("1000.00"),
                                   title="Bankje bij de kerk")
    neighbour = factories.UserFactory(kern=kern)
    assert "€\xa00,00 van €\xa01.000,00" in page(resident, initiative).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge(pledger=neighbour, initiative=initiative, kind="money", amount=Decimal("250"),
                        idempotency_key="k1")
    text = page(resident, initiative).content.decode()
    assert "€\xa0250,00 van €\xa01.000,00" in text and "1 persoon zegt toe" in text
    with django_capture_on_commit_callbacks(execute=True):
        services.support(user=neighbour, initiative=initiative)
    assert "<dt>Steun</dt><dd>1</dd>" in page(resident, initiative).content.decode()
    token = services.invitation_token(actor=initiative.initiator, initiative=initiative)
    joiner = factories.UserFactory(kern=kern, first_name="Fatima", last_name="El Amrani")
    with django_capture_on_commit_callbacks(execute=True):
        services.join_as_co_initiator(user=joiner, token=token)
    assert "Fatima" in page(resident, initiative).content.decode()


def test_a_decision_shows_at_once_to_whom_it_opens_the_page(kern, resident, council_member,
                                                            django_capture_on_commit_callbacks):
    initiative = InitiativeFactory(kern=kern, status=Status.SUBMITTED)
    assert page(council_member, initiative).status_code == 200  # kept now, as it waits for the council
    assert page(resident, initiative).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_initiative(actor=council_member, initiative=initiative)
    assert page(resident, initiative).status_code == 200


def test_the_story_follows_its_initiators_edits_and_photos(kern, django_capture_on_commit_callbacks):
    initiative = InitiativeFactory(kern=kern, status=Status.DRAFT, story="<p>Eerste versie</p>")
    initiator = initiative.initiator
    assert "Eerste versie" in page(initiator, initiative).content.decode()
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_draft(actor=initiator, initiative=initiative, story="<p>Tweede versie</p>")
    assert generation() != before
    text = page(initiator, initiative).content.decode()
    assert "Tweede versie" in text and "Eerste versie" not in text
    with django_capture_on_commit_callbacks(execute=True):
        photo = services.add_photo(actor=initiator, initiative=initiative, image=process_image(jpeg_bytes()),
                                   alt_text="De oude bank")
    assert 'alt="De oude bank"' in page(initiator, initiative).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_photo(actor=initiator, photo=photo)
    assert 'alt="De oude bank"' not in page(initiator, initiative).content.decode()


def test_the_kept_pledge_form_follows_whether_money_may_be_pledged(kern, resident):
    funding = InitiativeFactory(kern=kern, status=Status.FUNDING, goal=Decimal("500.00"))
    published = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
    assert 'name="amount"' in page(resident, funding).content.decode()
    assert 'name="amount"' not in page(resident, published).content.decode()
    assert 'name="amount"' in page(resident, funding).content.decode()


def test_each_reader_gets_a_pledge_key_of_their_own(kern, resident):
    funding = InitiativeFactory(kern=kern, status=Status.FUNDING, goal=Decimal("500.00"))
    first, second = (page(resident, funding).content.decode() for _ in range(2))
    key = 'name="idempotency_key" value="'
    assert key in first and first.split(key)[1][:32] != second.split(key)[1][:32]
