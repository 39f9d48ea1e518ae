"""Bad frames get an error frame (the connection stays); a rolled-back publish sends and stores nothing."""

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import transaction

from config.asgi import application
from live.models import LiveEvent
from live.services import group_name, publish

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = [(b"origin", b"http://127.0.0.1")]


@pytest.mark.parametrize("frame", ["[" * 3000 + "]" * 3000, '{"type":' * 1500 + "1" + "}" * 1500])
async def test_deeply_nested_json_gets_an_error_frame_and_the_connection_stays(frame):
    ws = WebsocketCommunicator(application, "/ws/health/", headers=ORIGIN)
    connected, _ = await ws.connect()
    assert connected
    await ws.receive_json_from()
    await ws.send_to(text_data=frame)
    assert (await ws.receive_json_from())["code"] == "malformed"
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from() == {"type": "pong"}
    await ws.disconnect()


class Rollback(Exception):
    pass


def publish_then_roll_back():
    try:
        with transaction.atomic():
            publish(stream="health", type="health.ping", data={"text": "nooit"})
            raise Rollback
    except Rollback:
        pass


async def test_a_rolled_back_publish_sends_nothing_and_stores_nothing():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group_name("health"), channel)
    await database_sync_to_async(publish_then_roll_back)()
    await database_sync_to_async(publish)(stream="health", type="health.ping", data={"text": "wel"})
    # The first message on the channel is the committed one: the rolled-back one never went out.
    received = await layer.receive(channel)
    assert received["message"]["data"] == {"text": "wel"}
    assert await database_sync_to_async(lambda: list(LiveEvent.objects.values_list("payload", flat=True)))() == [
        {"text": "wel"}
    ]
