"""Cards on the board: added once per client id, private in the silent brainstorm (the stream says only that
one exists), refused where the board or lane is locked or on another board; edited and removed by their
author or a facilitator; moved, merged and grouped by a facilitator only. A stored event never replays a text
that a fresh fetch no longer shows."""

import json
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from lab.models import CARD_TEXT_MAX, Card, LaneKind, Phase, WorkshopState
from lab.workshops import services
from lab.workshops.services import WorkshopError
from live.models import LiveEvent
from tests.factories_workshops import CardFactory, DeviceParticipantFactory, WorkshopFactory
from tests.lab.workshops.conftest import cell, events, guest_joins, plan, write

pytestmark = pytest.mark.django_db


def test_a_card_is_added_once_per_client_id(board, guest):
    key = uuid.uuid4()
    card, created = write(guest, "Eerste", client_id=key)
    again, created_again = write(guest, "Tweede", client_id=str(key))
    assert (created, created_again) == (True, False) and again == card and again.text == "Eerste"
    assert Card.objects.count() == 1 and len(events(board, "card.added")) == 1


def test_another_seats_client_id_is_no_way_to_their_card(board, guest, other_guest):
    """A retry finds the card by client id; someone else sending that id gets a refusal, not the card."""
    key = uuid.uuid4()
    write(guest, "Alleen van mij", client_id=key)
    with pytest.raises(WorkshopError):
        write(other_guest, "Ook van mij?", client_id=key)
    assert Card.objects.count() == 1


@pytest.mark.parametrize("key", ["", "abc", None, 12])
def test_a_card_needs_a_client_id(board, guest, key):
    stage, lane = cell(board)
    with pytest.raises(WorkshopError):
        services.add_card(actor=AnonymousUser(), participant=guest, stage=stage, lane=lane, text="Tekst",
                          client_id=key)
    assert not Card.objects.exists()


def test_a_brainstorm_card_is_private_and_its_event_says_only_where_it_is(board, guest,
                                                                          django_capture_on_commit_callbacks,
                                                                          monkeypatch):
    sent = []
    with django_capture_on_commit_callbacks() as callbacks:
        card, _created = write(guest, "Geheim idee")
    monkeypatch.setattr("live.services.send_now", lambda stream, message: sent.append((stream, message)))
    assert sent == []  # nothing goes out before commit
    for callback in callbacks:
        callback()
    assert card.private and card.author == guest
    payload = {"id": card.pk, "stage": card.stage_id, "lane": card.lane_id, "private": True, "merged_into": None,
               "order": 0}
    assert sent == [(services.stream_of(board), {"type": "card.added", "stream": services.stream_of(board),
                                                 "seq": events(board)[-1].seq, "data": payload})]
    stored = json.dumps(events(board)[-1].payload)
    assert "Geheim idee" not in stored and "Sanne" not in stored and "author" not in stored


def test_a_shared_card_event_has_its_text_and_author(board, lead, guest):
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    card, _created = write(guest, "Gedeeld", kind=LaneKind.IDEAS, stage=2)
    assert not card.private
    assert events(board, "card.added")[-1].payload == {
        "id": card.pk, "stage": card.stage_id, "lane": card.lane_id, "private": False, "merged_into": None,
        "order": 0, "text": "Gedeeld", "group": "", "author_id": guest.pk, "author": "Sanne", "photo": None}


def test_html_in_a_card_is_stripped_and_too_long_is_refused(board, guest):
    card, _created = write(guest, "<script>alert(1)</script><b>Wachten</b> &amp; wachten")
    assert card.text == "Wachten & wachten"
    for text in ("x" * (CARD_TEXT_MAX + 1), "", "<p> </p>", None):
        with pytest.raises(WorkshopError):
            write(guest, text)
    assert Card.objects.count() == 1
    assert write(guest, "y" * CARD_TEXT_MAX)[0].text == "y" * CARD_TEXT_MAX


def test_a_locked_lane_or_board_refuses_a_participant_but_not_a_facilitator(board, lead, guest):
    lane = board.lanes.get(kind=LaneKind.PAIN)
    services.lock_lane(actor=lead, lane=lane, locked=True)
    with pytest.raises(PermissionDenied):
        write(guest)
    assert write(guest, kind=LaneKind.IDEAS)[1]  # another lane is open
    stage, lane = cell(board)
    card, created = services.add_card(actor=lead, participant=None, stage=stage, lane=lane, text="Van de begeleider",
                                      client_id=uuid.uuid4())
    assert created and card.author is None
    services.lock_lane(actor=lead, lane=lane, locked=False)
    services.lock_board(actor=lead, workshop=board, locked=True)
    with pytest.raises(PermissionDenied):
        write(guest)
    assert services.add_card(actor=lead, participant=None, stage=stage, lane=lane, text="Nog een",
                             client_id=uuid.uuid4())[1]
    assert Card.objects.filter(author=guest).count() == 1 and Card.objects.count() == 3


def test_no_cards_while_voting_or_before_the_workshop_opens(planned, lead):
    guest = guest_joins(planned)
    with pytest.raises(PermissionDenied):
        write(guest)
    services.open_workshop(actor=lead, workshop=planned)
    services.set_phase(actor=lead, workshop=planned, phase=Phase.VOTE)
    with pytest.raises(PermissionDenied):
        write(guest)
    assert not Card.objects.exists()


def test_nobody_without_a_seat_adds_a_card(board, resident, staff):
    stage, lane = cell(board)
    for actor in (resident, staff, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.add_card(actor=actor, participant=None, stage=stage, lane=lane, text="Hoi", client_id=uuid.uuid4())
    assert not Card.objects.exists()


def test_a_lane_or_seat_of_another_workshop_is_refused(board, lead, guest):
    other = services.open_workshop(actor=lead, workshop=plan(lead))
    stage, _lane = cell(board)
    with pytest.raises(WorkshopError):
        services.add_card(actor=AnonymousUser(), participant=guest, stage=stage,
                          lane=other.lanes.get(kind=LaneKind.PAIN), text="Elders", client_id=uuid.uuid4())
    stranger = guest_joins(other, "Elders")
    with pytest.raises(WorkshopError):
        services.add_card(actor=AnonymousUser(), participant=stranger, stage=stage,
                          lane=board.lanes.get(kind=LaneKind.PAIN), text="Elders", client_id=uuid.uuid4())
    # Not even as a facilitator of both: a seat of the other board never writes on this one.
    with pytest.raises(WorkshopError):
        services.add_card(actor=lead, participant=stranger, stage=stage,
                          lane=board.lanes.get(kind=LaneKind.PAIN), text="Elders", client_id=uuid.uuid4())
    assert not Card.objects.exists() and events(board, "card.added") == []


def test_a_refused_card_publishes_nothing(board, lead, guest):
    services.lock_board(actor=lead, workshop=board, locked=True)
    before = LiveEvent.objects.count()
    with pytest.raises(PermissionDenied):
        write(guest)
    assert LiveEvent.objects.count() == before


# -- edit and remove


def test_the_author_edits_and_removes_their_own_card_only(board, lead, guest, other_guest):
    card, _created = write(guest, "Eerst")
    with pytest.raises(PermissionDenied):
        services.edit_card(actor=AnonymousUser(), participant=other_guest, card=card, text="Gekaapt")
    with pytest.raises(PermissionDenied):
        services.remove_card(actor=AnonymousUser(), participant=other_guest, card=card)
    with pytest.raises(PermissionDenied):
        services.edit_card(actor=AnonymousUser(), participant=None, card=card, text="Gekaapt")
    assert Card.objects.get(pk=card.pk).text == "Eerst"
    edited = services.edit_card(actor=AnonymousUser(), participant=guest, card=card, text="<i>Daarna</i>")
    assert edited.text == "Daarna"
    changed = events(board, "card.changed")[-1].payload
    assert changed["id"] == card.pk and "text" not in changed  # still private
    services.remove_card(actor=AnonymousUser(), participant=guest, card=card)
    assert not Card.objects.exists() and events(board)[-1].payload == {"id": card.pk}


def test_the_facilitator_edits_and_removes_any_card(board, lead, guest):
    card, _created = write(guest, "Eerst")
    services.lock_board(actor=lead, workshop=board, locked=True)
    assert services.edit_card(actor=lead, participant=None, card=card, text="Beter").text == "Beter"
    services.remove_card(actor=lead, participant=None, card=card)
    assert not Card.objects.exists()


def test_a_locked_lane_or_board_stops_the_author_editing(board, lead, guest):
    card, _created = write(guest, "Eerst")
    services.lock_lane(actor=lead, lane=card.lane, locked=True)
    with pytest.raises(PermissionDenied):
        services.edit_card(actor=AnonymousUser(), participant=guest, card=card, text="Nee")
    services.lock_lane(actor=lead, lane=card.lane, locked=False)
    services.lock_board(actor=lead, workshop=board, locked=True)
    with pytest.raises(PermissionDenied):
        services.remove_card(actor=AnonymousUser(), participant=guest, card=card)
    assert Card.objects.get(pk=card.pk).text == "Eerst"


def test_an_edit_is_cleaned_and_refused_when_too_long(board, guest):
    card, _created = write(guest, "Eerst")
    for text in ("", "x" * (CARD_TEXT_MAX + 1)):
        with pytest.raises(WorkshopError):
            services.edit_card(actor=AnonymousUser(), participant=guest, card=card, text=text)
    assert Card.objects.get(pk=card.pk).text == "Eerst"


def test_a_seat_of_another_workshop_cannot_edit_here(board, lead, guest):
    card, _created = write(guest, "Eerst")
    stranger = DeviceParticipantFactory(workshop=WorkshopFactory(state=WorkshopState.OPEN))
    Card.objects.filter(pk=card.pk).update(author=stranger)  # even if a card pointed at it
    with pytest.raises(WorkshopError):
        services.edit_card(actor=AnonymousUser(), participant=stranger, card=card, text="Nee")


def test_a_merged_card_is_not_edited_by_its_author(board, lead, guest):
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    first, _c = write(guest, "Wachten")
    second, _c = write(guest, "Lang wachten")
    services.merge_cards(actor=lead, survivor=first, duplicates=[second])
    with pytest.raises(PermissionDenied):
        services.edit_card(actor=AnonymousUser(), participant=guest, card=Card.objects.get(pk=second.pk), text="Hé")


def test_removing_the_spotlit_card_clears_the_spotlight(board, lead, guest):
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    card, _created = write(guest)
    services.spotlight(actor=lead, workshop=board, card=card)
    services.remove_card(actor=AnonymousUser(), participant=guest, card=card)
    board.refresh_from_db()
    assert board.spotlight is None


def test_a_replay_never_sends_an_old_or_removed_text(board, lead, guest):
    """Decision 15: stored events are brought in line with the card (edited: its new text; removed: no text)."""
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    edited, _c = write(guest, "Oude tekst")
    services.edit_card(actor=AnonymousUser(), participant=guest, card=edited, text="Nieuwe tekst")
    removed, _c = write(guest, "Weggehaald")
    services.remove_card(actor=AnonymousUser(), participant=guest, card=removed)
    services.set_phase(actor=lead, workshop=board, phase=Phase.BRAINSTORM)
    secret, _c = write(guest, "Eerst geheim")
    services.reveal(actor=lead, workshop=board)
    services.edit_card(actor=AnonymousUser(), participant=guest, card=secret, text="Toen gedeeld")
    gone, _c = write(guest, "Ook weg", kind=LaneKind.IDEAS)
    services.set_phase(actor=lead, workshop=board, phase=Phase.BRAINSTORM)
    hidden, _c = write(guest, "Verdwenen na onthullen")
    services.reveal(actor=lead, workshop=board)
    services.remove_card(actor=lead, participant=None, card=hidden)
    replay = json.dumps([e.payload for e in events(board)])
    for text in ("Oude tekst", "Weggehaald", "Eerst geheim", "Verdwenen na onthullen"):
        assert text not in replay, text
    assert "Nieuwe tekst" in replay and "Toen gedeeld" in replay and "Ook weg" in replay
    revealed = [c for e in events(board, "cards.revealed") for c in e.payload["cards"]]
    assert [c["id"] for c in revealed] == [secret.pk]
    assert events(board, "card.added")[1].payload["private"] is True  # the removed card: only that it was there


# -- facilitator only: move, merge, group


def test_move_is_the_facilitators_within_the_board(board, lead, guest):
    card, _created = write(guest)
    stage, lane = cell(board, LaneKind.IDEAS, stage=3)
    with pytest.raises(PermissionDenied):
        services.move_card(actor=AnonymousUser(), card=card, stage=stage, lane=lane)
    other = WorkshopFactory(state=WorkshopState.OPEN, facilitators=[lead])
    with pytest.raises(WorkshopError):
        services.move_card(actor=lead, card=card, stage=other.stages.first(), lane=lane)
    with pytest.raises(WorkshopError):
        services.move_card(actor=lead, card=card, stage=stage, lane=other.lanes.first())
    assert Card.objects.get(pk=card.pk).stage == cell(board)[0]
    moved = services.move_card(actor=lead, card=card, stage=stage, lane=lane)
    assert (moved.stage, moved.lane) == (stage, lane)
    assert events(board, "card.changed")[-1].payload["lane"] == lane.pk


def test_merge_points_duplicates_at_the_survivor(board, lead, guest, member):
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    survivor, _c = write(guest, "Wachten")
    duplicate, _c = write(member, "Lang wachten")
    older, _c = write(guest, "Wachttijd")
    services.merge_cards(actor=lead, survivor=duplicate, duplicates=[older])
    with pytest.raises(PermissionDenied):
        services.merge_cards(actor=member.user, survivor=survivor, duplicates=[duplicate])
    kept = services.merge_cards(actor=lead, survivor=survivor, duplicates=[Card.objects.get(pk=duplicate.pk)])
    assert kept == survivor
    assert set(Card.objects.filter(merged_into=survivor).values_list("pk", flat=True)) == {duplicate.pk, older.pk}
    with pytest.raises(WorkshopError):  # a merged card is no survivor
        services.merge_cards(actor=lead, survivor=Card.objects.get(pk=duplicate.pk), duplicates=[survivor])


def test_merge_refuses_itself_nothing_and_another_board(board, lead, guest):
    card, _c = write(guest)
    elsewhere = CardFactory(workshop=WorkshopFactory(state=WorkshopState.OPEN, facilitators=[lead]))
    for duplicates in ([], [card], [elsewhere]):
        with pytest.raises(WorkshopError):
            services.merge_cards(actor=lead, survivor=card, duplicates=duplicates)
    assert not Card.objects.filter(merged_into__isnull=False).exists()


def test_group_is_the_facilitators_within_one_board(board, lead, guest):
    first, _c = write(guest)
    second, _c = write(guest, "Nog een")
    elsewhere = CardFactory(workshop=WorkshopFactory(state=WorkshopState.OPEN, facilitators=[lead]))
    with pytest.raises(PermissionDenied):
        services.group_cards(actor=AnonymousUser(), cards=[first], label="Post")
    with pytest.raises(WorkshopError):
        services.group_cards(actor=lead, cards=[first, elsewhere], label="Post")
    with pytest.raises(WorkshopError):
        services.group_cards(actor=lead, cards=[], label="Post")
    assert not Card.objects.exclude(group_label="").exists()
    grouped = services.group_cards(actor=lead, cards=[second, first], label="<b>Post</b>")
    assert [c.group_label for c in grouped] == ["Post", "Post"]
    services.group_cards(actor=lead, cards=[first], label="")
    assert Card.objects.get(pk=first.pk).group_label == ""


def test_a_retry_after_the_board_was_locked_still_gets_its_card(board, lead, guest):
    """The retry is answered from what was stored, before the rule is asked again."""
    key = uuid.uuid4()
    card, _created = write(guest, client_id=key)
    services.lock_board(actor=lead, workshop=board, locked=True)
    assert write(guest, client_id=key) == (card, False)


def test_a_client_id_is_unique_per_board_only(board, lead, guest):
    key = uuid.uuid4()
    here, _created = write(guest, client_id=key)
    other = services.open_workshop(actor=lead, workshop=plan(lead))
    there, created = write(guest_joins(other, "Sanne"), client_id=key)
    assert created and there != here and there.workshop == other


def test_a_card_goes_to_the_end_of_its_cell(board, lead, guest):
    first, _c = write(guest)
    second, _c = write(guest)
    elsewhere, _c = write(guest, kind=LaneKind.IDEAS)
    later, _c = write(guest, stage=1)
    assert [Card.objects.get(pk=c.pk).order for c in (first, second, elsewhere, later)] == [0, 1, 0, 0]


def test_edit_move_and_group_are_stored_and_told(board, lead, guest):
    card, _created = write(guest, "Eerst")
    services.edit_card(actor=AnonymousUser(), participant=guest, card=card, text="Daarna")
    assert Card.objects.get(pk=card.pk).text == "Daarna"
    stage, lane = cell(board, LaneKind.IDEAS, stage=2)
    services.move_card(actor=lead, card=card, stage=stage, lane=lane)
    assert (Card.objects.get(pk=card.pk).stage, Card.objects.get(pk=card.pk).lane) == (stage, lane)
    services.group_cards(actor=lead, cards=[card], label="Post")
    assert Card.objects.get(pk=card.pk).group_label == "Post"
    assert events(board, "card.changed")[-1].payload["id"] == card.pk
    assert len(events(board, "card.changed")) == 3
    with pytest.raises(WorkshopError):
        services.group_cards(actor=lead, cards=[card], label="x" * 81)
    assert Card.objects.get(pk=card.pk).group_label == "Post"


def test_merging_tells_the_board_of_each_duplicate(board, lead, guest):
    survivor, _c = write(guest, "Wachten")
    duplicates = [write(guest, "Lang wachten")[0], write(guest, "Wachttijd")[0]]
    before = len(events(board, "card.changed"))
    services.merge_cards(actor=lead, survivor=survivor, duplicates=duplicates)
    told = events(board, "card.changed")[before:]
    assert [(e.payload["id"], e.payload["merged_into"]) for e in told] == [(d.pk, survivor.pk) for d in duplicates]
