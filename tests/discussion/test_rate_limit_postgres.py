"""100 parallel posts by one person on PostgreSQL: the rate limit holds exactly."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from discussion import services
from discussion.models import Comment
from tests import factories
from tests.factories_discussion import kern_thread
from tests.services import require_service

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_posts_cannot_pass_the_limit(settings):
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")
    settings.DISCUSSION_RATE_LIMIT = (7, 3600)
    kern = factories.KernFactory()
    thread = kern_thread(kern)
    author = factories.UserFactory(kern=kern)

    def attempt(n: int) -> str:
        try:
            services.post_comment(thread=thread, author=author, body=f"tegelijk {n}")
            return "posted"
        except services.RateLimited:
            return "limited"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(attempt, range(100)))
    assert outcomes.count("posted") == 7
    assert outcomes.count("limited") == 93
    assert Comment.objects.filter(author=author).count() == 7
