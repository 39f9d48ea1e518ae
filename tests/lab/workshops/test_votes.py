"""Dots and feelings: N dots per seat, only while voting, only on shared live cards of the pain and idea lanes,
once per client id; no dot count in any event before the facilitator shows the result. Feelings: −2 … +2 per
stage, and the board hears only the average and how many, never one person's score."""

import json
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from lab.models import Card, Dot, Feeling, FeelingKind, LaneKind, Phase, WorkshopState
from lab.workshops import services
from lab.workshops.services import WorkshopError
from tests.factories_workshops import CardFactory, DeviceParticipantFactory, WorkshopFactory
from tests.lab.workshops.conftest import cell, events, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas(board, lead, guest, other_guest):
    """Three shared cards (two ideas, one pain point) and one in a lane without dots; the vote is on."""
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    cards = [write(other_guest, "Checklist", kind=LaneKind.IDEAS)[0], write(guest, "Sms", kind=LaneKind.IDEAS)[0],
             write(other_guest, "Wachten", kind=LaneKind.PAIN)[0], write(other_guest, "Zoekt", kind=LaneKind.DOES)[0]]
    services.set_phase(actor=lead, workshop=board, phase=Phase.VOTE)
    return cards


NEW = object()


def dot(seat, card, key=NEW):
    return services.place_dot(actor=seat.user or AnonymousUser(), participant=seat, card=card,
                              client_id=uuid.uuid4() if key is NEW else key)


def test_n_dots_and_not_one_more(ideas, guest):
    for card in (ideas[0], ideas[0], ideas[2]):
        assert dot(guest, card)[1]
    assert services.dots_left(guest) == 0
    with pytest.raises(WorkshopError) as refused:
        dot(guest, ideas[1])
    assert refused.value.code == "no_dots_left" and Dot.objects.count() == 3


def test_the_limit_is_the_workshops(board, lead, guest, ideas):
    board.__class__.objects.filter(pk=board.pk).update(dots_per_participant=1)
    dot(guest, ideas[0])
    with pytest.raises(WorkshopError):
        dot(guest, ideas[1])


def test_a_dot_is_placed_once_per_client_id(ideas, guest):
    key = uuid.uuid4()
    first, created = dot(guest, ideas[0], key)
    again, created_again = dot(guest, ideas[1], str(key))
    assert (created, created_again) == (True, False) and again == first and again.card == ideas[0]
    assert Dot.objects.count() == 1 and services.dots_left(guest) == 2


@pytest.mark.parametrize("key", ["", "nee", None])
def test_a_dot_needs_a_client_id(ideas, guest, key):
    with pytest.raises(WorkshopError):
        dot(guest, ideas[0], key)
    assert not Dot.objects.exists()


@pytest.mark.parametrize("phase", [Phase.BRAINSTORM, Phase.SHARE, Phase.DISCUSS])
def test_dots_only_while_voting(board, lead, guest, ideas, phase):
    services.set_phase(actor=lead, workshop=board, phase=phase)
    with pytest.raises(PermissionDenied):
        dot(guest, ideas[0])
    assert not Dot.objects.exists()


def test_dots_only_on_pain_points_and_ideas(ideas, guest):
    with pytest.raises(PermissionDenied):
        dot(guest, ideas[3])
    assert not Dot.objects.exists()


def test_no_dot_on_a_private_or_merged_card_or_one_of_another_board(board, lead, guest, ideas):
    private = CardFactory(workshop=board, lane=board.lanes.get(kind=LaneKind.IDEAS), private=True)
    services.merge_cards(actor=lead, survivor=ideas[0], duplicates=[ideas[1]])
    elsewhere = CardFactory(workshop=WorkshopFactory(state=WorkshopState.OPEN, phase=Phase.VOTE),
                            lane=board.lanes.get(kind=LaneKind.IDEAS))
    for card in (private, Card.objects.get(pk=ideas[1].pk)):
        with pytest.raises(PermissionDenied):
            dot(guest, card)
    with pytest.raises(WorkshopError):
        dot(guest, elsewhere)
    assert not Dot.objects.exists()


def test_no_dots_from_the_facilitator_or_staff_without_a_seat(ideas, lead, staff):
    for actor in (lead, staff):
        with pytest.raises(PermissionDenied):
            services.place_dot(actor=actor, participant=None, card=ideas[0], client_id=uuid.uuid4())
    assert not Dot.objects.exists()


def test_remove_own_dot_only(ideas, guest, other_guest, lead):
    mine, _c = dot(guest, ideas[0])
    with pytest.raises(WorkshopError):
        services.remove_dot(actor=AnonymousUser(), participant=other_guest, dot=mine)
    assert Dot.objects.filter(pk=mine.pk).exists()
    services.set_phase(actor=lead, workshop=ideas[0].workshop, phase=Phase.DISCUSS)
    with pytest.raises(PermissionDenied):  # only while voting
        services.remove_dot(actor=AnonymousUser(), participant=guest, dot=mine)
    services.set_phase(actor=lead, workshop=ideas[0].workshop, phase=Phase.VOTE)
    services.remove_dot(actor=AnonymousUser(), participant=guest, dot=mine)
    assert not Dot.objects.exists() and services.dots_left(guest) == 3


def test_placing_and_removing_dots_tells_nobody(board, ideas, guest):
    before = len(events(board))
    placed, _c = dot(guest, ideas[0])
    services.remove_dot(actor=AnonymousUser(), participant=guest, dot=placed)
    dot(guest, ideas[1])
    assert len(events(board)) == before


def test_no_event_holds_a_dot_count_until_the_result_is_shown(board, lead, guest, other_guest, ideas):
    dot(guest, ideas[0])
    dot(guest, ideas[0])
    dot(other_guest, ideas[0])
    dot(other_guest, ideas[2])
    services.merge_cards(actor=lead, survivor=ideas[1], duplicates=[ideas[2]])  # its dot counts for the survivor
    services.set_phase(actor=lead, workshop=board, phase=Phase.DISCUSS)
    for event in events(board):
        text = json.dumps(event.payload)
        assert "counts" not in text and "dots" not in text.replace("dots_per_participant", ""), event
        assert event.type != "votes.shown"
    with pytest.raises(PermissionDenied):
        services.show_votes(actor=guest.user or AnonymousUser(), workshop=board)
    shown = services.show_votes(actor=lead, workshop=board)
    assert shown.votes_shown
    [event] = events(board, "votes.shown")
    assert event.payload == {"counts": {str(ideas[0].pk): 3, str(ideas[1].pk): 1}}
    assert events(board)[-1] == event and events(board)[-2].payload["votes_shown"] is True


# -- feelings


def test_a_feeling_per_stage_and_the_curve_is_the_average(board, guest, other_guest, member):
    stage, _lane = cell(board, stage=1)
    for seat, score in ((guest, -2), (other_guest, 1), (member, 2)):
        services.set_feeling(actor=seat.user or AnonymousUser(), participant=seat, stage=stage, score=score)
    services.set_feeling(actor=AnonymousUser(), participant=guest, stage=stage, score=-1)  # changed, not added
    assert Feeling.objects.filter(stage=stage).count() == 3
    curve = events(board, "curve.changed")
    assert curve[-1].payload == {"stage": stage.pk, "kind": "current", "average": 0.67, "count": 3}
    services.set_feeling(actor=AnonymousUser(), participant=guest, stage=stage, score=2, kind=FeelingKind.DESIRED)
    assert events(board, "curve.changed")[-1].payload == {"stage": stage.pk, "kind": "desired", "average": 2.0,
                                                          "count": 1}


def test_no_event_names_whose_feeling_it_is(board, guest, other_guest):
    stage, _lane = cell(board)
    services.set_feeling(actor=AnonymousUser(), participant=guest, stage=stage, score=-2)
    services.set_feeling(actor=AnonymousUser(), participant=other_guest, stage=stage, score=2)
    for event in events(board, "curve.changed"):
        assert set(event.payload) == {"stage", "kind", "average", "count"}
    assert [e.payload["average"] for e in events(board, "curve.changed")] == [-2.0, 0.0]


@pytest.mark.parametrize("score", [-3, 3, True, False, 1.5, "1", None])
def test_a_feeling_is_a_whole_number_from_minus_two_to_two(board, guest, score):
    stage, _lane = cell(board)
    with pytest.raises(WorkshopError):
        services.set_feeling(actor=AnonymousUser(), participant=guest, stage=stage, score=score)
    assert not Feeling.objects.exists() and events(board, "curve.changed") == []


def test_a_feeling_of_a_kind_that_does_not_exist_is_refused(board, guest):
    with pytest.raises(WorkshopError):
        services.set_feeling(actor=AnonymousUser(), participant=guest, stage=cell(board)[0], score=1, kind="later")
    assert not Feeling.objects.exists()


def test_feelings_need_a_seat_here_an_open_workshop_and_an_unlocked_board(board, lead, guest):
    stage, _lane = cell(board)
    stranger = DeviceParticipantFactory(workshop=WorkshopFactory(state=WorkshopState.OPEN))
    with pytest.raises(WorkshopError):
        services.set_feeling(actor=AnonymousUser(), participant=stranger, stage=stage, score=1)
    with pytest.raises(PermissionDenied):
        services.set_feeling(actor=lead, participant=None, stage=stage, score=1)
    services.lock_board(actor=lead, workshop=board, locked=True)
    with pytest.raises(PermissionDenied):
        services.set_feeling(actor=AnonymousUser(), participant=guest, stage=stage, score=1)
    services.lock_board(actor=lead, workshop=board, locked=False)
    services.end_workshop(actor=lead, workshop=board)
    with pytest.raises(PermissionDenied):
        services.set_feeling(actor=AnonymousUser(), participant=guest, stage=stage, score=1)
    assert not Feeling.objects.exists()


def test_without_a_seat_no_dot_is_removed(ideas, guest, lead):
    placed, _c = dot(guest, ideas[0])
    with pytest.raises(WorkshopError):
        services.remove_dot(actor=lead, participant=None, dot=placed)
    assert Dot.objects.filter(pk=placed.pk).exists()


def test_a_retry_after_the_vote_closed_still_gets_its_dot(board, lead, guest, ideas):
    key = uuid.uuid4()
    placed, _created = dot(guest, ideas[0], key)
    services.set_phase(actor=lead, workshop=board, phase=Phase.DISCUSS)
    assert dot(guest, ideas[0], key) == (placed, False)


def test_a_dot_client_id_is_each_seats_own(ideas, guest, other_guest):
    key = uuid.uuid4()
    mine, _created = dot(guest, ideas[0], key)
    theirs, created = dot(other_guest, ideas[1], key)
    assert created and theirs != mine and theirs.participant == other_guest
    assert Dot.objects.count() == 2


def test_removing_a_dot_removes_that_one_only(ideas, guest):
    first, _c = dot(guest, ideas[0])
    second, _c = dot(guest, ideas[1])
    services.remove_dot(actor=AnonymousUser(), participant=guest, dot=first)
    assert list(Dot.objects.values_list("pk", flat=True)) == [second.pk]


def test_each_stage_has_its_own_curve(board, guest, other_guest):
    first, second = cell(board, stage=0)[0], cell(board, stage=1)[0]
    services.set_feeling(actor=AnonymousUser(), participant=guest, stage=first, score=-2)
    services.set_feeling(actor=AnonymousUser(), participant=other_guest, stage=second, score=2)
    assert events(board, "curve.changed")[-1].payload == {"stage": second.pk, "kind": "current", "average": 2.0,
                                                          "count": 1}
