"""Pages are found from the page map (cms.routing): one query for the page, none for its restrictions, and
never a page or a permission that the tree no longer holds."""

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from cms import routing
from cms.models import ContentPage, KernIndexPage
from tests.pages import build_home, build_kern_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def kern_page(kern):
    return build_kern_page(kern, build_home())


def warm(client, url):
    assert client.get(url).status_code == 200


def test_a_page_is_found_with_its_kern_in_one_query_once_the_map_is_kept(kern_page, rf,
                                                                          django_assert_num_queries):
    routing.page_map()
    request = rf.get(kern_page.url)
    request._wagtail_site = routing.Site.objects.select_related("root_page").get()  # as the middleware keeps it
    with django_assert_num_queries(1):
        found = routing.route_by_map(request, "kernen/arkel/")
        assert found.page.kern.name == "Arkel"  # the kern came with the page
    assert found.page.pk == kern_page.pk and type(found.page).__name__ == "KernPage"


def test_a_page_without_restrictions_costs_no_query_to_check(kern_page, django_assert_num_queries):
    routing.page_map()
    with django_assert_num_queries(0):
        assert list(kern_page.get_view_restrictions()) == []


def test_a_path_the_map_does_not_know_is_left_to_wagtail(kern_page):
    client = Client()
    warm(client, kern_page.url)
    assert client.get("/kernen/bestaat-niet/").status_code == 404
    assert routing.route_by_map(Client().get("/").wsgi_request, "kernen/bestaat-niet/") is None


def test_an_unpublished_page_is_gone_at_once(kern_page):
    client = Client()
    warm(client, kern_page.url)
    kern_page.unpublish()
    assert client.get(kern_page.url).status_code == 404


def test_a_moved_page_is_served_at_its_new_address_only(kern_page):
    client = Client()
    warm(client, kern_page.url)
    page = ContentPage(title="Over Arkel", slug="over")
    kern_page.add_child(instance=page)
    page.save_revision().publish()
    warm(client, "/kernen/arkel/over/")
    page.move(kern_page.get_parent(), pos="last-child")
    old = client.get("/kernen/arkel/over/")
    assert old.status_code == 301 and old["Location"] == "/kernen/over/"  # the tree's redirect, not the page
    assert client.get("/kernen/over/").status_code == 200


def test_a_restriction_set_after_the_map_was_kept_applies_at_once(kern_page):
    client = Client()
    warm(client, kern_page.url)
    PageViewRestriction.objects.create(page=kern_page.get_parent(), restriction_type=PageViewRestriction.LOGIN)
    response = client.get(kern_page.url)
    assert response.status_code == 302 and "login/?next=/kernen/arkel/" in response["Location"]


def test_a_lifted_restriction_is_lifted_at_once(kern_page):
    restriction = PageViewRestriction.objects.create(page=kern_page, restriction_type=PageViewRestriction.LOGIN)
    client = Client()
    assert client.get(kern_page.url).status_code == 302
    restriction.delete()
    assert client.get(kern_page.url).status_code == 200


def test_a_restriction_covers_the_page_and_what_lies_below_it_only(kern_page):
    index = kern_page.get_parent().specific
    restriction = PageViewRestriction.objects.create(page=kern_page, restriction_type=PageViewRestriction.LOGIN)
    below = ContentPage(title="Over Arkel", slug="over")
    kern_page.add_child(instance=below)
    assert list(kern_page.get_view_restrictions()) == [restriction]
    assert list(below.get_view_restrictions()) == [restriction]
    assert list(index.get_view_restrictions()) == []


def test_an_alias_keeps_the_restrictions_of_its_source(kern_page):
    source = ContentPage(title="Over Arkel", slug="over")
    kern_page.add_child(instance=source)
    source.save_revision().publish()
    restriction = PageViewRestriction.objects.create(page=source, restriction_type=PageViewRestriction.LOGIN)
    alias = source.create_alias(parent=kern_page.get_parent(), update_slug="over-arkel")
    assert list(alias.get_view_restrictions()) == [restriction]
    assert Client().get("/kernen/over-arkel/").status_code == 302


def test_pages_below_a_page_that_routes_itself_take_wagtails_walk(kern_page, monkeypatch):
    monkeypatch.setattr(KernIndexPage, "routes_children_by_slug", False)
    assert "/samenlab/kernen/arkel/" not in routing.page_map().pages
    assert "/samenlab/" in routing.page_map().pages
    assert Client().get(kern_page.url).status_code == 200  # found by the walk instead


def test_lists_leave_out_what_is_restricted_without_asking_the_database(kern_page, django_assert_num_queries):
    from cms.models import NewsIndexPage, NewsPage

    news_index = NewsIndexPage(title="Nieuws", slug="nieuws")
    kern_page.get_parent().get_parent().add_child(instance=news_index)
    for title in ("Open dag", "Alleen voor leden"):
        item = NewsPage(title=title, date="2026-11-30", summary=title)
        news_index.add_child(instance=item)
        item.save_revision().publish()
    client = Client()
    assert "Alleen voor leden" in client.get("/nieuws/").content.decode()
    PageViewRestriction.objects.create(page=NewsPage.objects.get(title="Alleen voor leden"),
                                       restriction_type=PageViewRestriction.LOGIN)
    for url in ("/nieuws/", "/"):
        text = client.get(url).content.decode()
        assert "Open dag" in text and "Alleen voor leden" not in text, url
    routing.page_map()
    with django_assert_num_queries(0):
        routing.public(NewsPage.objects.live())  # built, not yet read
    assert [p.title for p in routing.public(NewsPage.objects.live())] == ["Open dag"]
