"""The header badge's live stream: only the person themselves, the current count on (re)connect, then live."""

import pytest
from channels.db import database_sync_to_async

from community.models import Delivery
from community.notifications import services
from community.notifications.kinds import Kind, register
from tests import factories
from tests.websockets import open_socket

pytestmark = pytest.mark.django_db(transaction=True)

KIND = "tests.badge_kind"


@pytest.fixture(autouse=True)
def _test_kind():
    register(Kind(KIND, "Iets nieuws", "Iets", default=Delivery.NEVER))


async def connect(user=None, query=""):
    return await open_socket(f"/ws/meldingen/{query}", user)


async def until(ws, wanted, timeout=3):
    while True:
        message = await ws.receive_json_from(timeout=timeout)
        if message["type"] == wanted:
            return message


@database_sync_to_async
def tell(person):
    services.deliver(kind=KIND, recipient_ids=[person.pk], params={})


async def test_visitors_are_refused():
    ws, connected, code = await connect()
    assert not connected and code == 4403


async def test_the_count_arrives_live_and_a_reconnect_gets_the_newest_only():
    person = await database_sync_to_async(factories.UserFactory)()
    stranger = await database_sync_to_async(factories.UserFactory)()
    ws, connected, _ = await connect(person, "?after=0")
    assert connected
    assert (await ws.receive_json_from())["type"] == "welcome"
    await tell(person)
    first = await until(ws, "unread")
    assert first["data"] == {"unread": 1} and first["stream"] == f"notifications.{person.pk}"
    await tell(stranger)  # someone else's count never reaches this socket
    await tell(person)
    second = await until(ws, "unread")
    assert second["data"] == {"unread": 2} and second["seq"] > first["seq"]
    await ws.disconnect()

    again, connected, _ = await connect(person, "?after=0")
    assert connected
    assert (await again.receive_json_from())["type"] == "welcome"
    replayed = await until(again, "unread")
    assert replayed["data"] == {"unread": 2}
    assert (await again.receive_json_from())["type"] == "replay.done"
    await again.disconnect()
