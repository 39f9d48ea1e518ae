"""Who is connected now: expiring entries, refreshed by every live connection, pruned on read.

A counter that each connection increments and decrements drifts for good whenever a decrement is
lost (a worker killed, Redis restarted between the two, a time-out): after one Redis outage a thread
said "12 mensen kijken mee" with one real viewer. Here each connection keeps its own entry
(``member``, the channel name) with the time it was last refreshed; a count only counts entries
refreshed within ``ttl()`` seconds. Every connection refreshes its entry each
``settings.LIVE_REFRESH_SECONDS``, so entries left behind by a crashed worker, and entries lost with
a restarted Redis, are wrong for at most one refresh period (plus a grace of a few seconds).

With ``REDIS_URL`` the entries live in one Redis sorted set per key (score: last refresh), shared by
all workers; without it in this process's memory (a single process serves every connection then).
"""

import threading
import time

from django.conf import settings

GRACE_SECONDS = 5


def ttl() -> float:
    return settings.LIVE_REFRESH_SECONDS + GRACE_SECONDS


class MemoryPresence:
    def __init__(self):
        self._entries: dict[str, dict[str, float]] = {}
        self._lock = threading.Lock()

    def touch(self, key: str, member: str, now: float | None = None) -> None:
        with self._lock:
            self._entries.setdefault(key, {})[member] = time.time() if now is None else now

    def remove(self, key: str, member: str) -> None:
        with self._lock:
            self._entries.get(key, {}).pop(member, None)

    def count(self, key: str, now: float | None = None) -> int:
        cutoff = (time.time() if now is None else now) - ttl()
        with self._lock:
            entries = self._entries.get(key, {})
            for member in [m for m, seen in entries.items() if seen < cutoff]:
                del entries[member]
            return len(entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class RedisPresence:
    def __init__(self, url: str):
        from redis import Redis

        # Short time-outs: presence is a nicety and must never hold up a connection.
        self._redis = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    @staticmethod
    def _key(key: str) -> str:
        return f"{settings.CHANNEL_PREFIX}:presence:{key}"

    def touch(self, key: str, member: str, now: float | None = None) -> None:
        pipe = self._redis.pipeline()
        pipe.zadd(self._key(key), {member: time.time() if now is None else now})
        pipe.expire(self._key(key), int(ttl() * 2) + 1)
        pipe.execute()

    def remove(self, key: str, member: str) -> None:
        self._redis.zrem(self._key(key), member)

    def count(self, key: str, now: float | None = None) -> int:
        cutoff = (time.time() if now is None else now) - ttl()
        pipe = self._redis.pipeline()
        pipe.zremrangebyscore(self._key(key), "-inf", cutoff)
        pipe.zcard(self._key(key))
        return int(pipe.execute()[1])

    def clear(self) -> None:
        for name in self._redis.scan_iter(self._key("*")):
            self._redis.delete(name)


_backend = None
_backend_lock = threading.Lock()


def backend():
    """The presence store of this process (Redis when REDIS_URL is set, else memory)."""
    global _backend
    if _backend is None:
        with _backend_lock:
            if _backend is None:
                url = getattr(settings, "REDIS_URL", "")
                _backend = RedisPresence(url) if url else MemoryPresence()
    return _backend


def touch(key: str, member: str) -> None:
    backend().touch(key, member)


def remove(key: str, member: str) -> None:
    backend().remove(key, member)


def count(key: str) -> int:
    return backend().count(key)
