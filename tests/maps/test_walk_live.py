"""The walk's socket inside one process: who may follow the live map, what is relayed, catching up, the group's
position."""

import uuid

import pytest
from channels.db import database_sync_to_async

from maps import services
from maps.models import WalkState
from tests import factories
from tests.factories_maps import WalkFactory, WalkSignupFactory
from tests.websockets import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def until(ws, wanted, timeout=3):
    while True:
        message = await ws.receive_json_from(timeout=timeout)
        if message["type"] == wanted:
            return message


@database_sync_to_async
def a_walk_in_progress():
    kern = factories.KernFactory()
    council = factories.CouncilMembershipFactory(kern=kern).user
    walk = WalkFactory(kern=kern, state=WalkState.IN_PROGRESS, organisers=[council])
    walkers = [WalkSignupFactory(walk=walk, user=factories.UserFactory(kern=kern)).user for _ in range(2)]
    stranger = factories.UserFactory(kern=kern)
    return walk, council, walkers, stranger


def record(walker, walk, text="Losse tegel"):
    observation, _ = services.record_observation(actor=walker, walk=walk, client_id=uuid.uuid4(), theme="paving",
                                                 description=text, latitude="51.9275", longitude="4.835")
    return observation


async def test_an_observation_reaches_the_other_walker_and_the_office_with_a_sequence_number():
    walk, council, (ann, bob), _ = await a_walk_in_progress()
    bobs, connected, _ = await open_socket(f"/ws/wijkschouw/{walk.pk}/", bob)
    office, office_connected, _ = await open_socket(f"/ws/wijkschouw/{walk.pk}/", council)
    assert connected and office_connected
    for ws in (bobs, office):
        assert (await ws.receive_json_from())["type"] == "welcome"
    observation = await database_sync_to_async(record)(ann, walk)
    for ws in (bobs, office):
        event = await until(ws, "observation.added")
        assert event["seq"] == 1 and event["data"]["id"] == observation.pk
        assert event["data"]["properties"]["author"] == ann.display_name
        await ws.disconnect()


async def test_a_phone_that_dropped_out_catches_up_with_nothing_lost():
    walk, _council, (ann, bob), _ = await a_walk_in_progress()
    for text in ("een", "twee", "drie"):
        await database_sync_to_async(record)(ann, walk, text)
    ws, connected, _ = await open_socket(f"/ws/wijkschouw/{walk.pk}/?after=1", bob)
    assert connected
    assert (await ws.receive_json_from())["last_seq"] == 3
    replayed = [await ws.receive_json_from() for _ in range(2)]
    assert [m["seq"] for m in replayed] == [2, 3]
    assert [m["data"]["properties"]["description"] for m in replayed] == ["twee", "drie"]
    assert (await ws.receive_json_from())["type"] == "replay.done"
    await ws.disconnect()


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
async def test_who_does_not_walk_along_is_refused(who):
    walk, _council, _walkers, stranger = await a_walk_in_progress()
    ws, connected, code = await open_socket(f"/ws/wijkschouw/{walk.pk}/", None if who == "anonymous" else stranger)
    assert not connected and code == 4403


async def test_an_unknown_walk_is_refused():
    _walk, council, _walkers, _stranger = await a_walk_in_progress()
    _ws, connected, code = await open_socket("/ws/wijkschouw/999999/", council)
    assert not connected and code == 4403


async def test_the_organiser_shares_where_the_group_is_and_a_walker_may_not():
    walk, council, (ann, _bob), _ = await a_walk_in_progress()
    anns, _, _ = await open_socket(f"/ws/wijkschouw/{walk.pk}/", ann)
    office, _, _ = await open_socket(f"/ws/wijkschouw/{walk.pk}/", council)
    await anns.receive_json_from()
    await office.receive_json_from()
    await office.send_json_to({"type": "position", "lat": 51.9276, "lng": 4.8352})
    position = await until(anns, "group.position")
    assert position["seq"] is None and position["data"]["lat"] == 51.9276
    await anns.send_json_to({"type": "position", "lat": 51.9276, "lng": 4.8352})
    assert (await until(anns, "error"))["code"] == "refused"
    await office.send_json_to({"type": "position", "lat": 200, "lng": 4.8})
    assert (await until(office, "error"))["code"] == "invalid"
    await office.send_json_to({"type": "position", "lat": "x", "lng": None})
    assert (await until(office, "error"))["code"] == "invalid"
    for ws in (anns, office):
        await ws.disconnect()
