"""A request reads the page generation from the cache once, however many fragments ask for it, and a
request that changes what pages show reads the new one (core.pagecache)."""

import pytest
from django.core.cache import cache
from django.test import Client

from core import pagecache
from tests import factories
from tests.pages import build_home, build_kern_page

pytestmark = pytest.mark.django_db


def count_generation_reads(monkeypatch) -> list:
    reads = []
    real_get = cache.get

    def get(key, *args, **kwargs):
        if key == pagecache.GENERATION_KEY:
            reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", get)
    return reads


def test_a_page_with_many_fragments_reads_the_generation_once(kern, settings, monkeypatch):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    page = build_kern_page(kern, build_home())
    client = Client()
    client.force_login(factories.UserFactory(kern=kern))
    client.get(page.url)
    reads = count_generation_reads(monkeypatch)
    assert client.get(page.url).status_code == 200
    assert len(reads) == 1


def test_outside_a_request_every_question_reads_the_cache(monkeypatch):
    pagecache.generation()  # the first question starts the first generation
    reads = count_generation_reads(monkeypatch)
    pagecache.generation()
    pagecache.generation()
    assert len(reads) == 2


def test_a_new_generation_within_a_request_is_read_at_once(monkeypatch):
    opened = pagecache._request_generation.set({})
    try:
        before = pagecache.generation()
        pagecache.invalidate_pages()
        assert pagecache.generation() != before
    finally:
        pagecache._request_generation.reset(opened)
