"""The board page keeps its rendered cards per board position, language and viewer kind (decision 29).

What is kept must be exactly what each viewer would get rendered for themselves: for every viewer and every state
of the workshop, every card on the page equals that card rendered for this viewer alone (the fragment the live
script fetches, which keeps nothing), apart from the CSRF token and the client ids, fresh per request anyway.
The viewers of one kind load the page one after another, so a card kept for the first is the one the next gets."""

import re
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from lab.models import Card, LaneKind, Participant, Phase
from lab.workshops import services
from lab.workshops.views._board import build_board
from lab.workshops.views._common import workshop_or_404
from tests import factories
from tests.lab.workshops.conftest import cell, guest_joins, phone, write

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"')
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def comparable(html: str) -> str:
    return UUID.sub("<uuid>", CSRF.sub("<csrf>", html))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def viewers(board, lead, resident, staff):
    """Everyone who may see the board, each kind more than once: the facilitator (without a seat, and a second
    one with a seat), staff, a resident taking part as themselves, and guests (one anonymous)."""
    co_lead = factories.UserFactory(first_name="Cor")
    board.facilitators.add(co_lead)
    co_seat = services.join(user=co_lead, workshop=board)[0]
    anna, bert = guest_joins(board, "Anna"), guest_joins(board, "Bert")
    nobody = guest_joins(board, "Geheim", anonymous=True)
    member = services.join(user=resident, workshop=board)[0]
    return {"lead": signed_in(lead), "co-lead": signed_in(co_lead), "staff": signed_in(staff),
            "resident": signed_in(resident), "anna": phone(anna), "bert": phone(bert),
            "anonymous": phone(nobody), "_seats": {"anna": anna, "bert": bert, "nobody": nobody,
                                                       "member": member, "co-lead": co_seat},
            "_who": {"lead": (lead, None), "co-lead": (co_lead, co_seat), "staff": (staff, None),
                     "resident": (resident, member), "anna": (AnonymousUser(), anna),
                     "bert": (AnonymousUser(), bert), "anonymous": (AnonymousUser(), nobody)}}


def fill(board, lead, seats):
    """Cards by every kind of author: guests, the anonymous seat, a resident, a facilitator with a seat, and the
    facilitator without one (a card without an author); and feelings of two of them."""
    first, second = list(board.stages.all())[:2]
    services.set_feeling(actor=AnonymousUser(), participant=seats["anna"], stage=first, score=-2)
    services.set_feeling(actor=AnonymousUser(), participant=seats["anna"], stage=second, score=1, kind="desired")
    services.set_feeling(actor=seats["member"].user, participant=seats["member"], stage=first, score=2)
    for name, text, kind in (("anna", "Anna's pijnpunt", LaneKind.PAIN), ("anna", "Anna's idee", LaneKind.IDEAS),
                             ("bert", "Bert's idee", LaneKind.IDEAS), ("nobody", "Geheim idee", LaneKind.IDEAS),
                             ("member", "Idee van een bewoner", LaneKind.IDEAS),
                             ("co-lead", "Idee van Cor", LaneKind.PAIN)):
        write(seats[name], text, kind=kind)
    stage, lane = cell(board, LaneKind.IDEAS, 1)
    services.add_card(actor=lead, participant=None, stage=stage, lane=lane, text="Idee van de begeleider",
                      client_id=uuid.uuid4())


CARD_ITEM = re.compile(r'<li class="board-card[^"]*" id="kaartje-(\d+)".*?</li>', re.DOTALL)


def pages(viewers, url) -> dict[str, str]:
    return {name: comparable(client.get(url).content.decode()) for name, client in viewers.items()
            if not name.startswith("_")}


def assert_kept_equals_fresh(viewers, board, settings):
    url = reverse("lab:board", args=[board.pk])
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    cache.clear()
    kept = pages(viewers, url)
    again = pages(viewers, url)  # every one of these comes from kept cards
    total = Card.objects.filter(workshop=board, merged_into__isnull=True).count()
    for name, page in again.items():
        assert page == kept[name], f"{name}: the board read back differs from the first"
        items = {int(match.group(1)): match.group(0) for match in CARD_ITEM.finditer(page)}
        assert len(items) == total
        for card_id, item in items.items():
            alone = viewers[name].get(reverse("lab:board_card", args=[board.pk, card_id])).content.decode()
            assert comparable(alone).strip() == item, f"{name}: card {card_id} differs from the card rendered alone"
        assert_own_parts(viewers, name, board, page)
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    assert pages(viewers, url) == kept


CELL = re.compile(r'<div class="board-cell[^"]*" id="cel-(\d+)-(\d+)"(.*?)'
                  r'(?=<div class="board-cell|<div class="board-feeling)', re.DOTALL)


def assert_own_parts(viewers, name: str, board, page: str):
    """What the kept board leaves to each viewer, as the board built for them alone says: where they may add a
    card, whether they may place a feeling, which feelings are theirs, which stage their phone shows."""
    user, seat = viewers["_who"][name]
    request = RequestFactory().get("/")
    request.user = user
    alone = build_board(request, workshop_or_404(board.pk), seat and Participant.objects.get(pk=seat.pk))
    may_add = {(view.stage.pk, cell.lane.pk) for view in alone.stages for cell in view.cells if cell.can_add}
    adds = {(int(match.group(1)), int(match.group(2))) for match in CELL.finditer(page)
            if "data-card-form" in match.group(3)}
    assert adds == may_add, f"{name}: the cells with a form to add a card"
    assert page.count("data-feeling-form") == sum(view.can_feel for view in alone.stages), name
    mine = {(view.stage.pk, kind, score) for view in alone.stages for kind, score in view.mine.items()
            if score is not None and view.can_feel}
    checked = {(int(stage), kind, int(score)) for stage, kind, score in re.findall(
        r'id="gevoel-(\d+)-(\w+)-\d+" name="\w+" value="(-?\d+)" checked', page)}
    assert checked == mine, f"{name}: the feelings shown as theirs"
    current = re.findall(r'<section class="board-stage board-stage--current" id="fase-(\d+)"', page)
    assert current == [str(alone.current_stage.pk)], name


def dots(seats, board, how_many: int):
    cards = list(Card.objects.filter(workshop=board, lane__kind=LaneKind.IDEAS, private=False).order_by("pk"))
    for name in ("anna", "bert", "member"):
        for card in cards[:how_many]:
            services.place_dot(actor=seats[name].user or AnonymousUser(), participant=seats[name], card=card,
                               client_id=uuid.uuid4())


STATES = ["brainstorm", "ended unrevealed", "revealed", "vote", "votes shown", "board locked", "lane locked",
          "spotlight", "ended"]


@pytest.mark.parametrize("state", STATES)
def test_every_viewer_gets_from_kept_cards_what_a_fresh_render_gives(board, lead, viewers, settings, state):
    seats = viewers["_seats"]
    fill(board, lead, seats)
    if state not in ("brainstorm", "ended unrevealed"):
        services.reveal(actor=lead, workshop=board)
    if state in ("vote", "votes shown", "board locked"):
        services.set_phase(actor=lead, workshop=board, phase=Phase.VOTE)
        dots(seats, board, 2)
    if state == "votes shown":
        services.show_votes(actor=lead, workshop=board)
    if state == "board locked":
        services.lock_board(actor=lead, workshop=board, locked=True)
    if state == "lane locked":
        services.lock_lane(actor=lead, lane=cell(board, LaneKind.IDEAS)[1], locked=True)
    if state == "spotlight":
        services.spotlight(actor=lead, workshop=board, card=Card.objects.get(text="Bert's idee"))
    if state in ("ended", "ended unrevealed"):
        services.end_workshop(actor=lead, workshop=board)
    assert_kept_equals_fresh(viewers, board, settings)


def test_a_dot_placed_after_the_result_is_shown_counts_at_once(board, lead, viewers, settings):
    """Placing a dot publishes nothing: the counts themselves are part of what is kept. (The anonymous seat
    places none, so none of the cards is its own to render afresh.)"""
    seats = viewers["_seats"]
    fill(board, lead, seats)
    services.reveal(actor=lead, workshop=board)
    services.set_phase(actor=lead, workshop=board, phase=Phase.VOTE)
    services.show_votes(actor=lead, workshop=board)
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    url = reverse("lab:board", args=[board.pk])
    first = Card.objects.filter(workshop=board, lane__kind=LaneKind.IDEAS, private=False).order_by("pk").first()

    def item() -> str:
        page = viewers["anonymous"].get(url).content.decode()
        return next(match.group(0) for match in CARD_ITEM.finditer(page) if match.group(1) == str(first.pk))

    assert "<strong>0 stippen</strong>" in item()
    dots(seats, board, 1)
    assert "<strong>3 stippen</strong>" in item()


def test_every_change_to_the_board_is_on_the_next_page(board, lead, viewers, settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    seats = viewers["_seats"]
    url = reverse("lab:board", args=[board.pk])
    write(seats["anna"], "Eerste versie")
    services.reveal(actor=lead, workshop=board)
    assert "Eerste versie" in viewers["bert"].get(url).content.decode()
    card = Card.objects.get(text="Eerste versie")
    services.edit_card(actor=AnonymousUser(), participant=seats["anna"], card=card, text="Tweede versie")
    page = viewers["bert"].get(url).content.decode()
    assert "Tweede versie" in page and "Eerste versie" not in page


def test_a_participant_sees_their_own_private_card_and_the_others_a_placeholder(board, lead, viewers, settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    seats = viewers["_seats"]
    write(seats["anna"], "Alleen van Anna")
    url = reverse("lab:board", args=[board.pk])
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    assert "Alleen van Anna" in viewers["anna"].get(url).content.decode()
    page = viewers["bert"].get(url).content.decode()
    assert "Alleen van Anna" not in page and "nog verborgen" in page


def test_each_dot_form_gets_its_own_client_id_on_every_request(board, lead, viewers, settings):
    """A client id twice is one dot: kept HTML must never hand out the same id twice."""
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    seats = viewers["_seats"]
    fill(board, lead, seats)
    services.reveal(actor=lead, workshop=board)
    services.set_phase(actor=lead, workshop=board, phase=Phase.VOTE)
    url = reverse("lab:board", args=[board.pk])
    ids = [re.findall(r'name="client_id" value="([^"]+)"', viewers["bert"].get(url).content.decode())
           for _ in range(2)]
    every = ids[0] + ids[1]
    assert len(ids[0]) > 3 and len(set(every)) == len(every)
    assert all(UUID.fullmatch(value) for value in every)


def test_the_kept_cards_carry_the_requests_own_csrf_token(board, lead, viewers, settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    seats = viewers["_seats"]
    fill(board, lead, seats)
    services.reveal(actor=lead, workshop=board)
    url = reverse("lab:board", args=[board.pk])
    viewers["lead"].get(url)
    page = viewers["co-lead"].get(url).content.decode()
    assert "@@" not in page
    removal = re.search(r'action="(/werksessies/\d+/bord/kaartje/\d+/weghalen/)"[^>]*>'
                        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', page)
    client = viewers["co-lead"]
    client.handler.enforce_csrf_checks = True
    response = client.post(removal.group(1), {"csrfmiddlewaretoken": removal.group(2)})
    assert response.status_code == 302
    assert Card.objects.filter(merged_into__isnull=True).count() == 6


def test_the_board_needs_at_most_ten_queries_when_rendered_and_when_kept(board, lead, viewers, settings,
                                                                         django_assert_max_num_queries):
    seats = viewers["_seats"]
    fill(board, lead, seats)
    services.reveal(actor=lead, workshop=board)
    services.set_phase(actor=lead, workshop=board, phase=Phase.VOTE)
    dots(seats, board, 2)
    services.show_votes(actor=lead, workshop=board)
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    url = reverse("lab:board", args=[board.pk])
    for name in ("anna", "lead", "co-lead", "resident"):
        viewers[name].get(reverse("lab:workshop", args=[board.pk]))  # a first visit's session and "last seen"
        cache.clear()
        for _kept in (False, True):
            with django_assert_max_num_queries(10):
                assert viewers[name].get(url).status_code == 200
