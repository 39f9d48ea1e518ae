"""Where pages are kept, whether something has a thread is kept for the page generation: a page of something
nobody wrote about yet asks nothing, and a new thread is found at once."""

import pytest

from discussion import services
from discussion.selectors import find_thread
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300


def test_no_thread_costs_no_query_once_kept(kern, django_assert_num_queries):
    assert find_thread(target=kern) is None
    with django_assert_num_queries(0):
        assert find_thread(target=kern) is None


def test_a_new_thread_is_found_at_once(kern, django_capture_on_commit_callbacks):
    assert find_thread(target=kern) is None
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.get_or_create_thread(target=kern)
    assert find_thread(target=kern).pk == thread.pk


def test_the_first_comment_opens_the_thread_on_the_page(client, kern, django_capture_on_commit_callbacks):
    author = factories.UserFactory(kern=kern)
    assert find_thread(target=kern) is None
    with django_capture_on_commit_callbacks(execute=True):
        services.post_first_comment(target=kern, author=author, body="Wie doet er mee?")
    assert find_thread(target=kern).comments.count() == 1
