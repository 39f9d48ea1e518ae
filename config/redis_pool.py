"""One Redis connection pool per process for Django's cache.

Django keeps a cache object per request context under ASGI, and each new cache object makes its
own connection pool: every request then opens a new TCP connection to Redis. This pool class hands
out one shared pool per URL and options instead (redis-py pools are thread-safe and reset
themselves after a fork).
"""

import threading

from redis import ConnectionPool

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
