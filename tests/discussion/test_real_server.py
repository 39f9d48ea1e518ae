"""Threads through a real ASGI server and real WebSocket clients: live, cut, reconnect, two processes."""

import asyncio
import json
import os

import httpx
import pytest
import websockets
from django.test import Client

from tests import factories
from tests.factories_discussion import kern_thread
from tests.server import asgi_server
from tests.services import reachable, require_service

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]


def ws_url(base_url: str, thread_id: int, after: int | None = None) -> str:
    query = f"?after={after}" if after is not None else ""
    return base_url.replace("http://", "ws://") + f"/ws/gesprek/{thread_id}/{query}"


def sessions(kern, n: int) -> list[str]:
    result = []
    for _ in range(n):
        client = Client()
        client.force_login(factories.UserFactory(kern=kern))
        result.append(client.cookies["sessionid"].value)
    return result


def post(base_url: str, session: str, thread_id: int, body: str) -> int:
    with httpx.Client(base_url=base_url, cookies={"sessionid": session}) as http:
        http.get("/contact/")
        response = http.post(f"/api/v1/threads/{thread_id}/comments/", json={"body": body},
                             headers={"X-CSRFToken": http.cookies["csrftoken"]})
        assert response.status_code == 201, response.text
        return response.json()["id"]


async def next_of(ws, wanted: str, timeout: float = 10) -> dict:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if message["type"] == wanted:
            return message


async def persisted(ws, timeout: float = 10) -> dict:
    """The next message that is not presence (presence is not persisted and may come at any time)."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if message["type"] != "presence":
            return message


def test_two_clients_one_posts_the_other_receives(kern):
    thread = kern_thread(kern)
    [writer] = sessions(kern, 1)
    with asgi_server() as base_url:
        async def scenario():
            async with websockets.connect(ws_url(base_url, thread.pk), origin=base_url) as reader, \
                    websockets.connect(ws_url(base_url, thread.pk), origin=base_url,
                                       additional_headers={"Cookie": f"sessionid={writer}"}) as own:
                await next_of(reader, "welcome")
                await next_of(own, "welcome")
                comment_id = await asyncio.to_thread(post, base_url, writer, thread.pk, "Wie helpt zaterdag?")
                for ws in (reader, own):
                    event = await next_of(ws, "comment.created")
                    assert event["data"]["id"] == comment_id
                    assert "Wie helpt zaterdag?" in event["data"]["body_html"]

        asyncio.run(scenario())


def reconnect_scenario(first: str, second: str, thread_id: int, writers: list[str]):
    """A client on ``first`` is cut off; 20 comments are posted through ``second``; it reconnects."""
    async def scenario():
        async with websockets.connect(ws_url(first, thread_id), origin=first) as ws:
            last_seq = (await next_of(ws, "welcome"))["last_seq"]
            first_id = await asyncio.to_thread(post, second, writers[0], thread_id, "voor de onderbreking")
            event = await next_of(ws, "comment.created")
            assert event["data"]["id"] == first_id
            last_seq = event["seq"]
        posted = []
        for n in range(20):
            posted.append(await asyncio.to_thread(post, second, writers[n % len(writers)], thread_id, f"gemist {n}"))
        async with websockets.connect(ws_url(first, thread_id, after=last_seq), origin=first) as ws:
            assert (await next_of(ws, "welcome"))["last_seq"] == last_seq + 20
            replayed = [await persisted(ws) for _ in range(20)]
            assert [m["type"] for m in replayed] == ["comment.created"] * 20
            assert [m["data"]["id"] for m in replayed] == posted
            assert [m["seq"] for m in replayed] == list(range(last_seq + 1, last_seq + 21))
            assert await persisted(ws) == {"type": "replay.done", "last_seq": last_seq + 20}
            live_id = await asyncio.to_thread(post, second, writers[0], thread_id, "weer live")
            after = await persisted(ws)
            assert (after["seq"], after["data"]["id"]) == (last_seq + 21, live_id)

    asyncio.run(scenario())


def test_cut_connection_replays_exactly_what_was_missed(kern):
    thread = kern_thread(kern)
    writers = sessions(kern, 4)
    with asgi_server() as base_url:
        reconnect_scenario(base_url, base_url, thread.pk, writers)


@pytest.mark.redis
def test_two_server_processes_on_redis(kern):
    redis_url = os.environ.get("REDIS_URL", "")
    require_service("Redis", bool(redis_url) and reachable(redis_url), "Set REDIS_URL (make test does in pass 2).")
    thread = kern_thread(kern)
    writers = sessions(kern, 4)
    env = {"REDIS_URL": redis_url, "CHANNEL_PREFIX": f"disc{os.getpid()}"}
    with asgi_server(extra_env=env) as first, asgi_server(extra_env=env) as second:
        async def live_across_processes():
            async with websockets.connect(ws_url(first, thread.pk), origin=first) as on_first, \
                    websockets.connect(ws_url(second, thread.pk), origin=second) as on_second:
                await next_of(on_first, "welcome")
                await next_of(on_second, "welcome")
                comment_id = await asyncio.to_thread(post, second, writers[0], thread.pk, "over twee processen")
                for ws in (on_first, on_second):
                    assert (await next_of(ws, "comment.created"))["data"]["id"] == comment_id

        asyncio.run(live_across_processes())
        reconnect_scenario(first, second, thread.pk, writers)
