"""Which site answers for a host is kept per page generation, one copy per request, for a bounded set of hosts,
and a changed site is seen at the next request."""

import pytest
from wagtail.models import Page, Site

from cms import routing
from cms.models import HomePage
from cms.routing import SITES_KEPT, find_site
from tests.pages import build_home

pytestmark = pytest.mark.django_db


def test_the_site_is_looked_up_once_per_generation(rf, django_assert_num_queries):
    home = build_home()
    assert find_site(rf.get("/")).root_page.pk == home.pk
    with django_assert_num_queries(0):
        site = find_site(rf.get("/"))
        assert site.root_page.pk == home.pk  # the root page comes with it


def test_a_changed_site_is_seen_at_the_next_request(rf, django_capture_on_commit_callbacks):
    home = build_home()
    other = HomePage(title="Tweede", slug="tweede")
    Page.get_first_root_node().add_child(instance=other)
    assert find_site(rf.get("/")).root_page.pk == home.pk
    site = Site.objects.get(is_default_site=True)
    site.root_page = other
    with django_capture_on_commit_callbacks(execute=True):
        site.save()
    assert find_site(rf.get("/")).root_page.pk == other.pk
    with django_capture_on_commit_callbacks(execute=True):
        site.delete()
    assert find_site(rf.get("/")) is None


def test_each_request_gets_its_own_copy(rf):
    build_home()
    find_site(rf.get("/")).site_name = "Veranderd door één verzoek"
    assert find_site(rf.get("/")).site_name != "Veranderd door één verzoek"


def test_made_up_hosts_never_grow_what_is_kept(rf):
    build_home()
    for number in range(SITES_KEPT + 5):
        assert find_site(rf.get("/", HTTP_HOST=f"host{number}.example.org")) is not None  # the default site
    assert len(routing._sites[1]) == SITES_KEPT
