"""Live fan-out: from posting a comment to its arrival at 200 clients following the same thread.

For each layer (in-memory with one worker; Redis with two server processes, clients split over
both) it connects the clients, then posts comments one at a time through the HTTP API and records,
for every client, the time from just before the POST until the ``comment.created`` event arrives.
Reports p50/p99/max over all (comment, client) pairs as a Markdown table.

The measurement itself (``measure``, ``fan_out``) takes a ``Target``: what the clients follow, where
the posts go and how an event is recognised. bench/walks.py measures a walk's observations with it.

As part of ``make bench``: add "bench.live_fanout" to ``EXTRA_BENCHMARKS`` (bench/scenarios.py).
On its own: ``python bench/live_fanout.py [--clients 200] [--comments 50]`` (uses REDIS_URL if set).
"""

import argparse
import asyncio
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.core import Bench, Section  # noqa: E402

CLIENTS = 200
COMMENTS = 50
WRITERS = 40  # the per-person rate limit (10 a minute) stays in force: spread the posts over enough people
EVENT_TIMEOUT = 30.0
WARM_UP_COMMENTS = 3
MARKER = "fanout-"


@dataclass(frozen=True)
class Target:
    """One stream to fan out: what the clients follow and where the posts that reach them go.

    ``body(text)`` is the JSON of a POST carrying ``text``; ``text_of(data)`` finds that text again in the
    data of an ``event``. ``writers`` are session cookies of the people who post (one after another);
    ``followers`` are session cookies of the clients (taken in turn), or empty for a public stream.
    """

    follows: str  # "one thread", for the report
    posts: str  # "comments"
    ws_path: str
    post_path: str
    event: str
    body: Callable[[str], dict]
    text_of: Callable[[dict], str]
    writers: list[str]
    followers: list[str] = field(default_factory=list)


def comment_target() -> Target:
    thread_id, cookies = prepare_thread()
    return Target(follows="one thread", posts="comments", ws_path=f"/ws/gesprek/{thread_id}/",
                  post_path=f"/api/v1/threads/{thread_id}/comments/", event="comment.created",
                  body=lambda text: {"body": text}, text_of=lambda data: data["body_html"], writers=cookies)


def prepare_thread() -> tuple[int, list[str]]:
    """A village conversation to follow and session cookies of the people who write in it."""
    from django.contrib.auth import get_user_model

    from community.models import Kern
    from discussion.services import get_or_create_thread

    kern, _created = Kern.objects.get_or_create(
        slug="bench-fanout", defaults={"name": "Benchdorp", "latitude": "51.88", "longitude": "4.85"}
    )
    thread = get_or_create_thread(target=kern)
    users = get_user_model()
    cookies = []
    for n in range(WRITERS):
        user, _created = users.objects.get_or_create(
            email=f"bench-writer-{n}@example.org", defaults={"first_name": f"Schrijver {n}", "kern": kern}
        )
        cookies.append(Bench.session_cookie(user.email))
    from django.db import connections

    connections.close_all()
    return thread.pk, cookies


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p * (len(ordered) - 1))))]


async def fan_out(*, servers: list[str], post_to: str, target: Target, clients: int, posts: int) -> dict:
    import httpx
    import websockets

    arrived: list[dict[str, float]] = [{} for _ in range(clients)]
    started: dict[str, float] = {}
    post_ms: list[float] = []
    ready = asyncio.Event()
    connected = 0

    async def follow(index: int):
        nonlocal connected
        base = servers[index % len(servers)]
        url = base.replace("http://", "ws://") + target.ws_path
        headers = {"Cookie": target.followers[index % len(target.followers)]} if target.followers else None
        # Every client stays connected until the whole run is measured: a client that left as soon as it
        # had the last post would make the server close sockets while it still delivers that post.
        async with websockets.connect(url, origin=base, max_queue=None, open_timeout=60,
                                      additional_headers=headers) as ws:
            while True:
                message = json.loads(await ws.recv())
                if message["type"] == "welcome":
                    # Following from here: the welcome names the last event this client will not be sent.
                    connected += 1
                    if connected == clients:
                        ready.set()
                elif message["type"] == target.event and MARKER in (text := target.text_of(message["data"])):
                    marker = text.split(MARKER)[-1].split("<")[0]
                    arrived[index].setdefault(marker, time.perf_counter())

    tasks = [asyncio.create_task(follow(i)) for i in range(clients)]
    await asyncio.wait_for(ready.wait(), 120)
    await asyncio.sleep(1)  # let the presence announcements of the last joins settle
    async with httpx.AsyncClient(base_url=post_to) as http:
        # A CSRF secret of our own, sent as cookie and header alike (Django compares the two).
        token = "benchfanout" + "0" * 21
        cookies = target.writers

        def headers(n: int) -> dict:
            return {"Cookie": f"{cookies[n % len(cookies)]}; csrftoken={token}", "X-CSRFToken": token}

        # A few posts first, not measured (as the page benchmarks warm up): a fresh server's first POSTs
        # import and build what later ones reuse.
        for n in range(WARM_UP_COMMENTS):
            warm = await http.post(target.post_path, json=target.body(f"opwarmen {n}"), headers=headers(-1 - n))
            warm.raise_for_status()
            await asyncio.sleep(0.2)
        for k in range(posts):
            marker = str(k)
            body = target.body(MARKER + marker)
            started[marker] = time.perf_counter()
            response = await http.post(target.post_path, json=body, headers=headers(k))
            post_ms.append((time.perf_counter() - started[marker]) * 1000)
            if response.status_code != 201:
                raise RuntimeError(f"post {k} answered {response.status_code}: {response.text[:300]}")
            deadline = time.perf_counter() + EVENT_TIMEOUT
            while sum(marker in seen for seen in arrived) < clients and time.perf_counter() < deadline:
                await asyncio.sleep(0.005)
    failures = [repr(t.exception())[:200] for t in tasks if t.done() and not t.cancelled() and t.exception()]
    for task in tasks:
        task.cancel()
    await asyncio.wait(tasks, timeout=EVENT_TIMEOUT)
    if failures:
        print(f"{len(failures)} clients failed, e.g. {failures[0]}", file=sys.stderr)
    latencies = [(seen[m] - started[m]) * 1000 for seen in arrived for m in seen if m in started]
    expected = clients * posts
    return {
        "received": len(latencies), "expected": expected,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": percentile(latencies, 0.95) if latencies else float("nan"),
        "p99": percentile(latencies, 0.99) if latencies else float("nan"),
        "max": max(latencies) if latencies else float("nan"),
        "post_p50": statistics.median(post_ms), "post_max": max(post_ms),
    }


def table(rows: list[tuple[str, dict]], clients: int, posts: int, target: Target,
          p99_target_ms: float | None = None) -> str:
    kind = target.posts.rstrip("s")
    lines = [
        f"{clients} clients follow {target.follows}; {posts} {target.posts} posted one after another through the "
        f"API; latency from just before the POST until the event arrives at a client (all {kind} × client pairs)"
        + (f"; target p99 < {p99_target_ms:g} ms." if p99_target_ms else "."),
        "",
        "| channel layer | servers | received | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | POST p50 (ms) "
        "| POST max (ms) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, r in rows:
        lines.append(f"| {label} | {r['servers']} | {r['received']}/{r['expected']} | {r['p50']:.1f} | "
                     f"{r['p95']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | {r['post_p50']:.1f} | {r['post_max']:.1f} |")
    return "\n".join(lines)


def measure(bench: Bench, *, clients: int = CLIENTS, posts: int = COMMENTS,
            prepare: Callable[[], Target] = comment_target, p99_target_ms: float | None = None,
            name: str = "fanout") -> tuple[str, bool, list[tuple[str, dict]]]:
    """Both layers; returns the Markdown table, whether every event arrived (and in time, with a target), the rows."""
    target = prepare()
    # This process has Django loaded too: a full collection of all that would pause the clients' clocks
    # for a quarter of a second, which the servers do not (config/asgi.py freezes it likewise).
    gc.collect()
    gc.freeze()
    rows = []
    with bench.start_server(extra_env={"REDIS_URL": ""}, name=f"{name}-memory") as memory:
        result = asyncio.run(fan_out(servers=[memory], post_to=memory, target=target, clients=clients, posts=posts))
        rows.append(("in-memory", {**result, "servers": "1 process, 1 worker"}))
    redis_url = os.environ.get("REDIS_URL") or bench.env.get("REDIS_URL", "")
    if redis_url:
        env = {"REDIS_URL": redis_url, "CHANNEL_PREFIX": f"{name}{os.getpid()}"}
        with bench.start_server(extra_env=env, name=f"{name}-a") as first, \
                bench.start_server(extra_env=env, name=f"{name}-b") as second:
            result = asyncio.run(fan_out(servers=[first, second], post_to=first, target=target, clients=clients,
                                         posts=posts))
            rows.append(("Redis", {**result, "servers": "2 processes, clients split"}))
    else:
        bench.notes.append("Redis fan-out skipped: REDIS_URL is not set.")
    ok = all(r["received"] == r["expected"] and (p99_target_ms is None or r["p99"] < p99_target_ms)
             for _label, r in rows)
    markdown = table(rows, clients, posts, target, p99_target_ms)
    if not redis_url:
        markdown += "\n\nRedis row missing: REDIS_URL was not set."
    return markdown, ok, rows


def run(bench: Bench) -> Section:
    markdown, ok, _rows = measure(bench)
    return Section(title="Live fan-out (WebSocket)", markdown=markdown, ok=ok)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--comments", type=int, default=COMMENTS)
    args = parser.parse_args(argv)
    from bench.core import server_environment
    from bench.run import database_url, setup_django

    env = server_environment(database_url())
    setup_django(env)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    bench = Bench(base_url="", env=env, requests=0, concurrency=0, max_seconds=0)
    markdown, ok, _rows = measure(bench, clients=args.clients, posts=args.comments)
    print(markdown)
    for note in bench.notes:
        print(f"\n{note}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
