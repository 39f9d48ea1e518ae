"""The live foundation end to end inside one process: connect, echo, publish after commit, replay."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from config.asgi import application
from live.services import publish

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = [(b"origin", b"http://127.0.0.1")]


async def connect(path="/ws/health/", headers=ORIGIN):
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_welcome_and_echo():
    ws, connected, _ = await connect()
    assert connected
    welcome = await ws.receive_json_from()
    assert welcome == {"type": "welcome", "stream": "health", "last_seq": 0}
    await ws.send_json_to({"type": "echo", "text": "hallo"})
    assert await ws.receive_json_from() == {"type": "echo", "text": "hallo"}
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from() == {"type": "pong"}
    await ws.disconnect()


async def test_foreign_origin_is_refused():
    ws, connected, _ = await connect(headers=[(b"origin", b"https://evil.example")])
    assert not connected
    await ws.disconnect()


async def test_missing_origin_is_refused():
    ws, connected, _ = await connect(headers=[])
    assert not connected
    await ws.disconnect()


async def test_published_event_arrives_with_sequence_number():
    ws, connected, _ = await connect()
    assert connected
    await ws.receive_json_from()
    await database_sync_to_async(publish)(stream="health", type="health.ping", data={"text": "één"})
    event = await ws.receive_json_from()
    assert event == {"type": "health.ping", "stream": "health", "seq": 1, "data": {"text": "één"}}
    await ws.disconnect()


async def test_reconnect_replays_exactly_what_was_missed():
    for n in range(1, 6):
        await database_sync_to_async(publish)(stream="health", type="health.ping", data={"n": n})
    ws, connected, _ = await connect("/ws/health/?after=2")
    assert connected
    assert (await ws.receive_json_from())["last_seq"] == 5
    replayed = [await ws.receive_json_from() for _ in range(3)]
    assert [event["seq"] for event in replayed] == [3, 4, 5]
    assert [event["data"]["n"] for event in replayed] == [3, 4, 5]
    assert await ws.receive_json_from() == {"type": "replay.done", "last_seq": 5}
    assert await ws.receive_nothing(timeout=0.2)
    await ws.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "malformed"),
        ("[1, 2]", "malformed"),
        ('{"no_type": 1}', "malformed"),
        ('{"type": "launch_missiles"}', "unknown_type"),
        ('{"type": "echo", "text": 42}', "invalid"),
    ],
)
async def test_bad_frames_get_an_error_and_the_connection_stays_healthy(frame, code):
    ws, connected, _ = await connect()
    assert connected
    await ws.receive_json_from()
    await ws.send_to(text_data=frame)
    error = await ws.receive_json_from()
    assert error["type"] == "error" and error["code"] == code
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from() == {"type": "pong"}
    await ws.disconnect()


@override_settings(LIVE_MAX_FRAME_BYTES=1024)
async def test_oversized_frame_is_refused_politely():
    ws, connected, _ = await connect()
    assert connected
    await ws.receive_json_from()
    await ws.send_to(text_data=json.dumps({"type": "echo", "text": "x" * 2000}))
    assert (await ws.receive_json_from())["code"] == "frame_too_large"
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from() == {"type": "pong"}
    await ws.disconnect()
