"""Idle WebSockets stay up on Redis with several workers (until the client leaves).

redis-py 8 gives every socket a 5 s read time-out, the same as channels_redis's blocking receive;
before the layer got a longer read time-out, every idle consumer died about 5 s after it connected.
"""

import asyncio
import os
import time

import pytest
import websockets

from tests.server import asgi_server
from tests.services import reachable, require_service

pytestmark = [pytest.mark.server, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

SOCKETS = 200
HOLD_SECONDS = 60


async def hold_idle(url: str, origin: str, n: int, seconds: float) -> tuple[int, int]:
    """Open ``n`` sockets, read nothing but what comes, for ``seconds``; return (opened, dropped)."""
    opened = dropped = 0

    async def one():
        nonlocal opened, dropped
        async with websockets.connect(url, origin=origin, ping_interval=None, open_timeout=30) as ws:
            opened += 1
            deadline = start + seconds
            try:
                while (left := deadline - time.monotonic()) > 0:
                    try:
                        await asyncio.wait_for(ws.recv(), timeout=left)
                    except TimeoutError:
                        break
            except websockets.exceptions.ConnectionClosed:
                dropped += 1

    start = time.monotonic()
    await asyncio.gather(*(one() for _ in range(n)))
    return opened, dropped


def test_two_hundred_idle_sockets_stay_up_for_a_minute_on_redis_with_two_workers():
    redis_url = os.environ.get("REDIS_URL", "")
    require_service("Redis", bool(redis_url) and reachable(redis_url), "Set REDIS_URL (make test does in pass 2).")
    env = {"REDIS_URL": redis_url, "CHANNEL_PREFIX": f"idle{os.getpid()}"}
    with asgi_server(workers=2, extra_env=env) as base_url:
        url = base_url.replace("http://", "ws://") + "/ws/health/"
        opened, dropped = asyncio.run(hold_idle(url, base_url, SOCKETS, HOLD_SECONDS))
    assert (opened, dropped) == (SOCKETS, 0)
