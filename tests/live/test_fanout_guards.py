"""What keeps a fan-out to many followers fast, each held by a test that fails without it (decision 0018).

The in-memory layer sweeps expired messages at most once per period and copies a group message once;
a consumer reads each source in one long-lived task and still handles one message at a time, in order;
connections opened together refresh at different moments; the loaded application is frozen for the
garbage collector; the test server offers no per-message compression.
"""

import asyncio
import gc
import json

import pytest
import websockets
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from live import consumers as live_consumers
from live.consumers import LiveConsumer
from live.layers import InMemoryChannelLayer
from tests.server import asgi_server

ORIGIN = [(b"origin", b"http://127.0.0.1")]


async def test_expired_messages_are_swept_at_most_once_per_period(monkeypatch):
    layer = InMemoryChannelLayer()
    sweeps = []
    monkeypatch.setattr(InMemoryChannelLayer.__mro__[1], "_clean_expired", lambda self: sweeps.append(1))
    channel = await layer.new_channel()
    for n in range(50):
        await layer.send(channel, {"type": "x", "n": n})
        await layer.receive(channel)
    assert len(sweeps) == 1
    layer._next_sweep = 0  # the period is over
    await layer.group_send("live.g", {"type": "x"})
    assert len(sweeps) == 2


async def test_an_expired_message_is_still_dropped_after_the_period():
    layer = InMemoryChannelLayer(expiry=0)
    channel = await layer.new_channel()
    await layer.group_add("live.g", channel)
    await layer.send(channel, {"type": "old"})
    layer._next_sweep = 0
    await layer.group_send("live.g", {"type": "new"})  # sweeps: "old" expired, and with it the membership
    assert "live.g" not in layer.groups or channel not in layer.groups["live.g"]


async def test_a_group_message_reaches_every_member_as_its_own_envelope():
    layer = InMemoryChannelLayer()
    members = [await layer.new_channel() for _ in range(3)]
    for member in members:
        await layer.group_add("live.g", member)
    message = {"type": "live.event", "message": {"seq": 1, "data": {"n": 1}}}
    await layer.group_send("live.g", message)
    message["message"]["seq"] = 99  # the sender changes its dict afterwards: receivers never see that
    received = [await layer.receive(member) for member in members]
    assert [r["message"]["seq"] for r in received] == [1, 1, 1]
    received[0]["type"] = "changed"  # one receiver's envelope is not another's
    assert received[1]["type"] == "live.event"


async def test_a_full_member_misses_the_message_and_the_others_get_it():
    layer = InMemoryChannelLayer(capacity=1)
    full, free = await layer.new_channel(), await layer.new_channel()
    for member in (full, free):
        await layer.group_add("live.g", member)
    await layer.send(full, {"type": "waiting"})
    await layer.group_send("live.g", {"type": "event"})
    assert (await layer.receive(free))["type"] == "event"
    assert (await layer.receive(full))["type"] == "waiting"
    assert layer.channels.get(full) is None  # nothing else was queued for it


class Recorder(LiveConsumer):
    """Handles "slow" layer messages with a pause inside, recording when each starts and ends."""

    log: list = []
    channels: list = []

    async def get_stream(self):
        return "health"

    async def connect(self):
        await super().connect()
        Recorder.channels.append(self.channel_name)

    async def live_slow(self, event):
        self.log.append(("start", event["n"]))
        await asyncio.sleep(0.02)
        self.log.append(("end", event["n"]))

    async def receive_message(self, message):
        if message["type"] != "mark":
            return False
        self.log.append(("client", message["n"]))
        return True


@pytest.mark.django_db(transaction=True)
async def test_a_consumer_handles_one_message_at_a_time_in_order(monkeypatch):
    log: list = []
    monkeypatch.setattr(Recorder, "log", log)
    monkeypatch.setattr(Recorder, "channels", [])
    ws = WebsocketCommunicator(Recorder.as_asgi(), "/ws/health/", headers=ORIGIN)
    connected, _ = await ws.connect()
    assert connected
    await ws.receive_json_from()  # welcome
    layer = live_consumers.get_channel_layer()
    for n in range(3):
        await layer.send(Recorder.channels[0], {"type": "live.slow", "n": n})
    await asyncio.sleep(0.005)
    await ws.send_json_to({"type": "mark", "n": 0})
    await asyncio.sleep(0.2)
    await ws.disconnect()
    slow = [entry for entry in log if entry[0] != "client"]
    assert slow == [("start", 0), ("end", 0), ("start", 1), ("end", 1), ("start", 2), ("end", 2)]
    client_at = log.index(("client", 0))
    assert log[client_at - 1][0] == "end" and (client_at + 1 == len(log) or log[client_at + 1][0] == "start")


@override_settings(LIVE_REFRESH_SECONDS=100)
@pytest.mark.django_db(transaction=True)
async def test_connections_opened_together_refresh_at_a_random_moment_of_the_period(monkeypatch):
    refreshed = asyncio.Event()
    drawn = []

    def uniform(low, high):
        drawn.append((low, high))
        return 0.01

    async def on_refresh(self):
        refreshed.set()

    monkeypatch.setattr(live_consumers.random, "uniform", uniform)
    monkeypatch.setattr(live_consumers.HealthConsumer, "on_refresh", on_refresh)
    from config.asgi import application

    ws = WebsocketCommunicator(application, "/ws/health/", headers=ORIGIN)
    connected, _ = await ws.connect()
    assert connected
    await asyncio.wait_for(refreshed.wait(), 5)  # not after the 100 s period
    assert drawn == [(0, 100)]
    await ws.disconnect()


def test_the_loaded_application_is_frozen_for_the_collector():
    import config.asgi  # noqa: F401

    assert gc.get_freeze_count() > 10_000


@pytest.mark.server
@pytest.mark.django_db(transaction=True)
def test_the_server_offers_no_per_message_compression():
    async def extensions(base_url):
        url = base_url.replace("http://", "ws://") + "/ws/health/"
        async with websockets.connect(url, origin=base_url, compression="deflate") as ws:
            assert json.loads(await ws.recv())["type"] == "welcome"
            return [type(extension).__name__ for extension in ws.protocol.extensions]

    with asgi_server() as base_url:
        assert asyncio.run(extensions(base_url)) == []
