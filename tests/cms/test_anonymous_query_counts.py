"""A page that no cache holds (the first visitor after a publish) needs at most ten queries, however much
the kern has going on (DESIGN.md: every page and API list)."""

import pytest
from django.test import Client

from tests.pages import build_home, build_kern_page
from tests.test_signed_in_query_counts import busy_kern

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


@pytest.mark.parametrize("count", [1, 12])
@pytest.mark.parametrize("path", ["/", "kern page", "/kernen/"])
def test_an_uncached_page_needs_at_most_ten_queries(path, count, kern, settings, django_assert_max_num_queries):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0  # neither the page nor its shared parts are kept
    kern_page = build_kern_page(kern, build_home())
    busy_kern(kern, factories_person(kern), count)
    url = kern_page.url if path == "kern page" else path
    client = Client()
    client.get(url)  # the page map is kept per page generation, as on every server after its first request
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(url).status_code == 200


def factories_person(kern):
    from tests import factories

    return factories.UserFactory(kern=kern)
