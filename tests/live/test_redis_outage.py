"""Redis goes down and comes back (our own redis-server on a free port, never the shared one).

While it is down, comment POSTs and edits are saved and answer 2xx (work after commit never turns a
committed write into an error), a retry with the same client key is a replay, and a WebSocket
handshake fails cleanly (accepted, then closed with 1013 "try again later"; no 500). When Redis is
back, the first handshake works, and a connection that stayed open through the outage catches up
with what was written meanwhile.
"""

import asyncio
import contextlib
import json
import shutil
import socket
import subprocess
import time

import httpx
import pytest
import websockets
from django.test import Client

from discussion.models import Comment
from live.models import LiveEvent
from tests import factories
from tests.factories_discussion import kern_thread
from tests.server import BASE_DIR, asgi_server, free_port
from tests.services import require_service

pytestmark = [pytest.mark.server, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@contextlib.contextmanager
def redis_server(port: int):
    log = (BASE_DIR / ".run" / f"redis-{port}.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
        log.close()


def stop(process) -> None:
    process.terminate()
    process.wait(timeout=10)


def api(base_url: str, session: str):
    http = httpx.Client(base_url=base_url, cookies={"sessionid": session}, timeout=30)
    http.get("/contact/")
    http.headers["X-CSRFToken"] = http.cookies["csrftoken"]
    return http


async def first_message(ws, timeout=15) -> dict:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def until(ws, wanted: str, timeout=30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), deadline - time.monotonic()))
        if message["type"] == wanted:
            return message


def test_writes_and_handshakes_through_a_redis_outage(kern):
    require_service("redis-server", shutil.which("redis-server") is not None, "Install redis-server.")
    thread = kern_thread(kern)
    writer = factories.UserFactory(kern=kern)
    client = Client()
    client.force_login(writer)
    session = client.cookies["sessionid"].value
    port = free_port()
    env = {"REDIS_URL": f"redis://127.0.0.1:{port}/0", "CHANNEL_PREFIX": f"outage{port}"}
    ws_url = f"/ws/gesprek/{thread.pk}/"
    with redis_server(port) as redis, asgi_server(extra_env=env) as base_url:
        url = base_url.replace("http://", "ws://") + ws_url

        async def scenario():
            nonlocal redis
            async with websockets.connect(url, origin=base_url) as staying:
                assert (await first_message(staying))["type"] == "welcome"
                stop(redis)
                http = api(base_url, session)
                first = http.post(f"/api/v1/threads/{thread.pk}/comments/", json={"body": "Tijdens de storing",
                                                                                   "client_key": "k-1"})
                retry = http.post(f"/api/v1/threads/{thread.pk}/comments/", json={"body": "Tijdens de storing",
                                                                                   "client_key": "k-1"})
                assert (first.status_code, retry.status_code) == (201, 201)
                assert first.json()["id"] == retry.json()["id"]
                comment_id = first.json()["id"]
                edits = [http.patch(f"/api/v1/comments/{comment_id}/", json={"body": "Aangepast", "client_key": "e-1"})
                         for _ in range(2)]
                assert [e.status_code for e in edits] == [200, 200]
                async with websockets.connect(url, origin=base_url, open_timeout=30) as refused:
                    with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
                        await first_message(refused)
                    assert closed.value.rcvd.code == 1013
                with redis_server(port) as redis:
                    async with websockets.connect(url + "?after=0", origin=base_url) as back:
                        assert (await first_message(back))["type"] == "welcome"
                        created = await until(back, "comment.created")
                        assert created["data"]["id"] == comment_id
                    # The connection that stayed open catches up with what was written meanwhile.
                    edited = await until(staying, "comment.edited", timeout=60)
                    assert edited["data"]["id"] == comment_id
                http.close()

        asyncio.run(scenario())
        log = (BASE_DIR / ".run" / f"server-{base_url.rsplit(':', 1)[1]}.log").read_text()
    assert Comment.objects.filter(thread=thread).count() == 1
    assert LiveEvent.objects.filter(stream=thread.stream, type="comment.edited").count() == 1
    assert "500 Internal Server Error" not in log and "Exception in ASGI application" not in log, log[-3000:]
