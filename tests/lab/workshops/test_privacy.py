"""My data: the export lists the workshops a person took part in and the cards they wrote; erasing cuts the
seat loose from the person (no user, no name, anonymous) and keeps the cards on the group's map, and the
board's stored events no longer name them."""

import json

import pytest

from community.privacy import erase_account, export_all
from lab.models import Card, LaneKind, Participant, Phase
from lab.workshops import services
from tests.factories_workshops import CardFactory
from tests.lab.workshops.conftest import events, plan, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(kern):
    from tests.factories import UserFactory

    return UserFactory(kern=kern, first_name="Gerrit", last_name="Zwanenburg")


def test_the_export_lists_workshops_and_own_cards(board, lead, person, guest):
    seat, _token = services.join(user=person, workshop=board)
    write(seat, "Mijn kaartje")
    write(seat, "Nog een", kind=LaneKind.IDEAS)
    write(guest, "Van iemand anders")
    CardFactory(workshop=board, author=None, text="Van niemand")
    services.join(user=person, workshop=services.open_workshop(actor=lead, workshop=plan(lead, title="Tweede")))
    data = export_all(person)["lab"]["workshops"]
    assert [w["workshop"] for w in data] == ["Verhuizen naar Molenlanden", "Tweede"]
    assert data[0]["cards"] == ["Mijn kaartje", "Nog een"] and data[1]["cards"] == []
    assert data[0]["display_name"] == "Gerrit" and data[0]["joined_at"]
    assert "Van iemand anders" not in json.dumps(data)


def test_erasure_cuts_the_seat_loose_and_keeps_the_cards(board, lead, person):
    seat, _token = services.join(user=person, workshop=board, display_name="Gerrit Z.")
    private, _c = write(seat, "Nog geheim")
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    shared, _c = write(seat, "Gedeeld kaartje")
    services.set_phase(actor=lead, workshop=board, phase=Phase.BRAINSTORM)
    revealed, _c = write(seat, "Later onthuld")
    services.reveal(actor=lead, workshop=board)
    services.merge_cards(actor=lead, survivor=shared, duplicates=[private])
    erase_account(user=person)
    stored = Participant.objects.get(pk=seat.pk)
    assert (stored.user, stored.display_name, stored.anonymous) == (None, "", True)
    assert stored.device_token_hash  # still someone, as the database requires
    assert set(Card.objects.filter(author=stored).values_list("text", flat=True)) == {
        "Nog geheim", "Gedeeld kaartje", "Later onthuld"}
    assert export_all(person)["lab"]["workshops"] == []
    replay = json.dumps([e.payload for e in events(board)])
    assert "Gerrit" not in replay and "Zwanenburg" not in replay
    assert "Gedeeld kaartje" in replay and "Later onthuld" in replay  # the cards stay on the map
    assert events(board, "participant.joined")[0].payload == {"id": seat.pk, "name": "Deelnemer"}


def test_an_anonymous_seat_is_not_in_anyones_export(board, person):
    services.join(user=person, workshop=board, anonymous=True)
    assert export_all(person)["lab"]["workshops"] == []
