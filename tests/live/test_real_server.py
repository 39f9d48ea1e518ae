"""The live path through a real ASGI server process and a real WebSocket client.

With Redis (the PostgreSQL/Redis pass of make test) two server processes share the channel layer:
an event published through one reaches a client connected to the other.
"""

import asyncio
import json
import os

import httpx
import pytest
import websockets
from django.test import Client

from tests import factories
from tests.server import asgi_server
from tests.services import reachable, require_service

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]


def ws_url(base_url: str, path: str) -> str:
    return base_url.replace("http://", "ws://") + path


def staff_session() -> str:
    client = Client()
    client.force_login(factories.StaffFactory())
    return client.cookies["sessionid"].value


def publish_through_api(base_url: str, session: str, text: str) -> int:
    with httpx.Client(base_url=base_url, cookies={"sessionid": session}) as http:
        http.get("/contact/")
        token = http.cookies["csrftoken"]
        response = http.post("/api/v1/live/health/ping/", json={"text": text}, headers={"X-CSRFToken": token})
        assert response.status_code == 201, response.text
        return response.json()["seq"]


async def receive_type(ws, wanted: str, timeout: float = 10):
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if message["type"] == wanted:
            return message


def test_echo_and_origin_check_on_a_real_server():
    with asgi_server() as base_url:
        async def scenario():
            async with websockets.connect(ws_url(base_url, "/ws/health/"), origin=base_url) as ws:
                assert json.loads(await ws.recv())["type"] == "welcome"
                await ws.send(json.dumps({"type": "echo", "text": "dag"}))
                assert json.loads(await ws.recv()) == {"type": "echo", "text": "dag"}
            with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
                async with websockets.connect(ws_url(base_url, "/ws/health/"), origin="https://evil.example"):
                    pass
            assert refused.value.response.status_code == 403

        asyncio.run(scenario())


def test_only_staff_may_publish_on_the_health_stream():
    with asgi_server() as base_url:
        resident = Client()
        resident.force_login(factories.UserFactory())
        with httpx.Client(base_url=base_url, cookies={"sessionid": resident.cookies["sessionid"].value}) as http:
            http.get("/contact/")
            response = http.post("/api/v1/live/health/ping/", json={"text": "x"},
                                 headers={"X-CSRFToken": http.cookies["csrftoken"]})
            assert response.status_code == 403
        with httpx.Client(base_url=base_url) as anonymous:
            assert anonymous.post("/api/v1/live/health/ping/", json={}).status_code == 403


def test_event_published_through_the_server_reaches_a_connected_client():
    session = staff_session()
    with asgi_server() as base_url:
        async def scenario():
            async with websockets.connect(ws_url(base_url, "/ws/health/"), origin=base_url) as ws:
                await receive_type(ws, "welcome")
                seq = await asyncio.to_thread(publish_through_api, base_url, session, "hallo Arkel")
                event = await receive_type(ws, "health.ping")
                assert (event["seq"], event["data"]["text"]) == (seq, "hallo Arkel")

        asyncio.run(scenario())


@pytest.mark.redis
def test_two_server_processes_share_events_through_redis():
    redis_url = os.environ.get("REDIS_URL", "")
    require_service("Redis", bool(redis_url) and reachable(redis_url), "Set REDIS_URL (make test does in pass 2).")
    session = staff_session()
    env = {"REDIS_URL": redis_url, "CHANNEL_PREFIX": f"test{os.getpid()}"}
    with asgi_server(extra_env=env) as first, asgi_server(extra_env=env) as second:
        async def scenario():
            async with websockets.connect(ws_url(first, "/ws/health/"), origin=first) as on_first, \
                    websockets.connect(ws_url(second, "/ws/health/"), origin=second) as on_second:
                await receive_type(on_first, "welcome")
                await receive_type(on_second, "welcome")
                seq = await asyncio.to_thread(publish_through_api, second, session, "over twee processen")
                for ws in (on_first, on_second):
                    event = await receive_type(ws, "health.ping")
                    assert (event["seq"], event["data"]["text"]) == (seq, "over twee processen")

        asyncio.run(scenario())
