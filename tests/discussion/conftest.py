import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_presence_counts():
    """Presence counts live in the cache; thread ids repeat between tests."""
    from live import presence

    cache.clear()
    presence.backend().clear()
    yield
    cache.clear()
    presence.backend().clear()
