"""A worker killed mid-run (SIGKILL, two workers on Redis): clients reconnect with ?after= and every
event arrives exactly once, in order."""

import asyncio
import json
import os
import signal
from pathlib import Path

import httpx
import pytest
import websockets
from django.test import Client

from live.models import LiveEvent
from tests import factories
from tests.server import asgi_server
from tests.services import reachable, require_service

pytestmark = [pytest.mark.server, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

CLIENTS = 12
EVENTS = 30


def worker_pids(port: int) -> list[int]:
    """The worker processes of the uvicorn started on ``port`` (children of its supervisor)."""
    supervisor = None
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if b"resource_tracker" not in b" ".join(cmdline):  # multiprocessing's helper is no worker
            processes[int(entry.name)] = ppid
        if b"uvicorn" in b" ".join(cmdline) and str(port).encode() in cmdline:
            supervisor = int(entry.name)
    return sorted(pid for pid, ppid in processes.items() if ppid == supervisor)


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing():
    redis_url = os.environ.get("REDIS_URL", "")
    require_service("Redis", bool(redis_url) and reachable(redis_url), "Set REDIS_URL (make test does in pass 2).")
    client = Client()
    client.force_login(factories.StaffFactory())
    session = client.cookies["sessionid"].value
    env = {"REDIS_URL": redis_url, "CHANNEL_PREFIX": f"kill{os.getpid()}"}
    with asgi_server(workers=2, extra_env=env) as base_url:
        port = int(base_url.rsplit(":", 1)[1])
        ws_base = base_url.replace("http://", "ws://") + "/ws/health/"
        done = asyncio.Event()

        async def follow(seen: list[int]):
            while not done.is_set() or (seen and seen[-1] < final_seq()):
                after = seen[-1] if seen else 0
                try:
                    async with websockets.connect(f"{ws_base}?after={after}", origin=base_url, open_timeout=20) as ws:
                        while True:
                            message = json.loads(await asyncio.wait_for(ws.recv(), 5))
                            if message["type"] == "health.ping":
                                seen.append(message["seq"])
                except (OSError, TimeoutError, websockets.exceptions.WebSocketException):
                    await asyncio.sleep(0.3)
                if done.is_set() and seen and seen[-1] >= final_seq():
                    return

        def final_seq() -> int:
            return last[0]

        last = [0]

        async def publish_all():
            async with httpx.AsyncClient(base_url=base_url, cookies={"sessionid": session}, timeout=20) as http:
                token = "killtest" + "0" * 24
                for n in range(EVENTS):
                    if n == EVENTS // 3:
                        os.kill(worker_pids(port)[0], signal.SIGKILL)
                    for _attempt in range(20):
                        try:
                            response = await http.post("/api/v1/live/health/ping/", json={"text": str(n)},
                                                       headers={"X-CSRFToken": token},
                                                       cookies={"csrftoken": token})
                            if response.status_code == 201:
                                last[0] = max(last[0], response.json()["seq"])
                                break
                        except httpx.HTTPError:
                            pass
                        await asyncio.sleep(0.3)
                    await asyncio.sleep(0.1)
            done.set()

        async def scenario():
            seen = [[] for _ in range(CLIENTS)]
            followers = [asyncio.create_task(follow(s)) for s in seen]
            await asyncio.sleep(2)
            await publish_all()
            await asyncio.wait_for(asyncio.gather(*followers), 120)
            return seen

        assert len(worker_pids(port)) == 2
        seen = asyncio.run(scenario())
    stored = LiveEvent.objects.filter(stream="health").count()
    assert stored >= EVENTS
    for received in seen:
        assert received == list(range(1, stored + 1))
