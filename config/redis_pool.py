"""One Redis connection pool per process for Django's cache, and a cache that survives Redis being down.

Django keeps a cache object per request context under ASGI, and each new cache object makes its
own connection pool: every request then opens a new TCP connection to Redis. This pool class hands
out one shared pool per URL and options instead (redis-py pools are thread-safe and reset
themselves after a fork).
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis import ConnectionPool
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_pools: dict[tuple, ConnectionPool] = {}
_lock = threading.Lock()


class SharedConnectionPool(ConnectionPool):
    @classmethod
    def from_url(cls, url: str, **options) -> ConnectionPool:
        key = (url, tuple(sorted((name, repr(value)) for name, value in options.items())))
        with _lock:
            pool = _pools.get(key)
            if pool is None:
                pool = _pools[key] = ConnectionPool.from_url(url, **options)
        return pool


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that treats an unreachable Redis as an empty cache instead of an error.

    Django's RedisCache raises on connection errors, and Wagtail, the page cache and templates read the
    cache on every page: with Redis down every page was a 500. Here a read answers "not cached", a write
    is skipped and answers False (``set`` returns False only then), and after a failure Redis is left
    alone for ``PAUSE_SECONDS`` so that pages do not wait for a connection attempt per cache call.
    ``incr``/``decr`` still raise (they have no honest fallback value).
    """

    PAUSE_SECONDS = 2.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def _guard(self, fallback, call, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return call(*args, **kwargs)
        except RedisError:
            self._down_until = time.monotonic() + self.PAUSE_SECONDS
            logger.warning("Cache (Redis) unreachable; carrying on without it for %ss", self.PAUSE_SECONDS,
                           exc_info=True)
            return fallback

    def get(self, key, default=None, version=None):
        return self._guard(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard(False, super().has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().set, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(False, super().delete, key, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guard(None, super().delete_many, keys, version)
