"""Phones tap many times at once: on PostgreSQL, with real threads and connections, the dot limit holds, one
client id is one card, and no card slips in after the board was locked. Each test names the guarding line it
fails without."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection, connections

from lab.models import Card, Dot, LaneKind, Phase
from lab.workshops import services
from live.models import LiveEvent
from tests.lab.workshops.conftest import cell, events, guest_joins, write
from tests.services import require_service

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")


def together(function, items):
    """Run ``function(item)`` for every item in its own thread and connection, all released at once."""
    barrier = threading.Barrier(len(items))

    def run(item):
        try:
            barrier.wait(timeout=10)
            return function(item)
        except Exception as error:  # noqa: BLE001 - the test looks at every outcome
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(run, items))


def test_thirty_parallel_taps_give_three_dots(board, lead, guest):
    """Without ``lock_participant`` in ``place_dot`` the taps all count the dots before them and more than
    three are stored."""
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    cards = [write(guest, f"Idee {i}", kind=LaneKind.IDEAS)[0] for i in range(3)]
    services.set_phase(actor=lead, workshop=board, phase=Phase.VOTE)
    results = together(lambda i: services.place_dot(actor=AnonymousUser(), participant=guest, card=cards[i % 3],
                                                    client_id=uuid.uuid4()), range(30))
    assert Dot.objects.filter(participant=guest).count() == 3
    placed = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(placed) == 3 and all(getattr(r, "code", "") == "no_dots_left" for r in refused), refused


def test_the_same_tap_sent_five_times_at_once_is_one_dot(board, lead, guest):
    """Without the ``IntegrityError`` branch in ``place_dot`` the retries that lost the race answer with an
    error instead of the dot."""
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    card, _created = write(guest, "Idee", kind=LaneKind.IDEAS)
    services.set_phase(actor=lead, workshop=board, phase=Phase.VOTE)
    key = uuid.uuid4()
    results = together(lambda _i: services.place_dot(actor=AnonymousUser(), participant=guest, card=card,
                                                     client_id=key), range(5))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(created for _dot, created in results) == [False, False, False, False, True]
    assert Dot.objects.filter(participant=guest).count() == 1


def test_the_same_card_sent_five_times_at_once_is_one_card_and_one_event(board, guest):
    """Without the ``IntegrityError`` branch in ``add_card`` the losers of the race answer with an error;
    without the unique constraint there would be five cards."""
    key = uuid.uuid4()
    results = together(lambda _i: write(guest, "Geen bevestiging", client_id=key), range(5))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({card.pk for card, _created in results}) == 1
    assert sorted(created for _card, created in results) == [False, False, False, False, True]
    assert Card.objects.filter(workshop=board).count() == 1
    assert LiveEvent.objects.filter(stream=services.stream_of(board), type="card.added").count() == 1


def test_no_card_is_added_after_the_board_was_locked(board, lead):
    """Without ``lock_workshop`` in ``add_card`` a card checked against the unlocked board is written after the
    lock's commit. Every card that got in has its event before the lock's event in the stream (the sequence
    number is taken under the workshop's lock), and every refused one was refused by the rule."""
    seats = [guest_joins(board, f"Gast {i}") for i in range(12)]
    stage, lane = cell(board)

    def act(i):
        if i == len(seats):
            return services.lock_board(actor=lead, workshop=board, locked=True)
        return services.add_card(actor=AnonymousUser(), participant=seats[i], stage=stage, lane=lane,
                                 text=f"Kaartje {i}", client_id=uuid.uuid4())

    for _round in range(3):
        results = together(act, range(len(seats) + 1))
        assert all(isinstance(r, PermissionDenied) for r in results if isinstance(r, Exception)), results
        stream = events(board)
        lock_seq = next(e.seq for e in reversed(stream) if e.type == "workshop.changed"
                        and e.payload["board_locked"])
        added = {e.payload["id"]: e.seq for e in stream if e.type == "card.added"}
        assert set(added) == set(Card.objects.filter(workshop=board).values_list("pk", flat=True))
        assert all(seq < lock_seq for seq in added.values()), (lock_seq, added)
        created_after = Card.objects.filter(workshop=board, created_at__gt=next(
            e.created_at for e in stream if e.seq == lock_seq))
        assert not created_after.exists()
        services.lock_board(actor=lead, workshop=board, locked=False)
