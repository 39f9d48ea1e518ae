"""With Redis, every cache object of a process (one per request context under ASGI) shares one pool."""

import os

import pytest
from django.conf import settings
from django.core.cache import caches

from tests.services import reachable, require_service

pytestmark = pytest.mark.redis


def test_cache_objects_share_one_connection_pool():
    redis_url = os.environ.get("REDIS_URL", "")
    require_service("Redis", bool(redis_url) and reachable(redis_url), "Set REDIS_URL (make test does in pass 2).")
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    first, second = caches.create_connection("default"), caches.create_connection("default")
    first.set("samenlab:test:pool", "gedeeld", 30)
    assert second.get("samenlab:test:pool") == "gedeeld"
    pool_of = [cache._cache.get_client(write=True).connection_pool for cache in (first, second)]
    assert pool_of[0] is pool_of[1]
