"""The page cache survives an unreachable cache: pages are served uncached, invalidation is owed and delivered.

Wagtail reads the default cache on every page too, so the cache itself must not raise: with Redis the
default cache is ``config.redis_pool.ResilientRedisCache``.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from cms.models import ContentPage
from core import pagecache
from tests.pages import build_home

pytestmark = pytest.mark.django_db

UNREACHABLE = {"default": {"BACKEND": "config.redis_pool.ResilientRedisCache",
                           "LOCATION": "redis://127.0.0.1:1/0", "OPTIONS": {"socket_connect_timeout": 0.5}}}
WORKING = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "outage-test"}}


@pytest.fixture
def about(db, settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    settings.CACHES = WORKING
    cache.clear()
    page = ContentPage(title="Over Samenlab", slug="over", intro="Het digitale dorpsplein.")
    build_home().add_child(instance=page)
    page.save_revision().publish()
    yield page
    pagecache._pending.owed = False


def test_pages_are_served_uncached_while_the_cache_is_unreachable(about, settings):
    settings.CACHES = UNREACHABLE
    response = Client().get("/over/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "unavailable"
    assert "Het digitale dorpsplein." in response.content.decode()


def test_an_invalidation_during_an_outage_is_delivered_when_the_cache_returns(about, settings):
    assert Client().get("/over/")["X-Page-Cache"] == "miss"
    assert Client().get("/over/")["X-Page-Cache"] == "hit"
    settings.CACHES = UNREACHABLE
    pagecache.invalidate_pages()  # a write committed while Redis was down: must not raise
    assert pagecache._pending.owed
    settings.CACHES = WORKING  # the same cache is back, with the old page still in it
    assert Client().get("/over/")["X-Page-Cache"] == "miss"
    assert not pagecache._pending.owed


def test_the_resilient_cache_answers_not_cached_while_redis_is_down(settings):
    settings.CACHES = UNREACHABLE
    assert cache.get("x", "standaard") == "standaard"
    assert cache.set("x", 1) is False
    assert cache.add("x", 1) is False
    assert cache.get_many(["x"]) == {}
    settings.CACHES = WORKING
    assert cache.set("x", 1) is None and cache.get("x") == 1
