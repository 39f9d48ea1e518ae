"""Every page type declares where it lives, can be created there, renders, and is found by search."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cms.models import (
    ContentPage,
    HomePage,
    KernIndexPage,
    KernPage,
    NewsIndexPage,
    NewsPage,
    StaffDirectoryPage,
)
from community.models import Kern

ALLOWED_PARENTS = {
    HomePage: {Page},
    ContentPage: {HomePage, ContentPage, KernPage},
    KernIndexPage: {HomePage},
    KernPage: {KernIndexPage},
    NewsIndexPage: {HomePage},
    NewsPage: {NewsIndexPage, KernPage},
    StaffDirectoryPage: {HomePage},
}


class PageTreeRulesTests(WagtailPageTestCase):
    def test_allowed_parents_are_exactly_as_designed(self):
        for page_type, parents in ALLOWED_PARENTS.items():
            with self.subTest(page_type=page_type.__name__):
                self.assertAllowedParentPageTypes(page_type, parents)

    def test_news_cannot_be_created_under_the_home_page(self):
        self.assertCanNotCreateAt(HomePage, NewsPage)
        self.assertCanNotCreateAt(KernIndexPage, ContentPage)


@pytest.fixture
def demo_tree(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    return HomePage.objects.get(locale__language_code="nl")  # not its English translation


def test_each_page_type_can_be_created_under_each_allowed_parent(demo_tree):
    home = demo_tree
    kern_index = KernIndexPage.objects.get(locale=home.locale)
    kern_page = KernPage.objects.get(slug="arkel", locale=home.locale)
    news_index = NewsIndexPage.objects.get(locale=home.locale)
    content = ContentPage.objects.get(slug="over", locale=home.locale)
    cases = [
        (home, ContentPage(title="Meedoen", slug="meedoen")),
        (content, ContentPage(title="Onderpagina", slug="onder")),
        (kern_page, ContentPage(title="Speeltuin Arkel", slug="speeltuin")),
        (news_index, NewsPage(title="Bericht", slug="bericht", date=datetime.date(2026, 11, 1), summary="Kort")),
        (kern_page, NewsPage(title="Dorpsnieuws", slug="dorpsnieuws", date=datetime.date(2026, 11, 2),
                             summary="Uit Arkel")),
    ]
    for parent, page in cases:
        parent.add_child(instance=page)
        page.save_revision().publish()
    for _parent, page in cases:
        from django.test import Client

        assert Client().get(page.url).status_code == 200
    assert kern_index.get_children().count() == 21


def test_there_is_one_kern_page_per_kern_with_its_council(demo_tree, client):
    assert KernPage.objects.live().filter(kern__isnull=False).count() == Kern.objects.count() == 21
    html = client.get("/kernen/groot-ammers/").content.decode()
    assert "Dorpsraad Groot-Ammers" in html and "Anna Bos" in html
    assert "Fatima El Amrani" in html  # the staff member who covers this kern, with a face


def test_singletons_cannot_be_added_twice(demo_tree):
    for page_type in (HomePage, KernIndexPage, NewsIndexPage, StaffDirectoryPage):
        assert not page_type.can_create_at(demo_tree)


def test_site_search_finds_published_pages_only(demo_tree, client):
    draft = ContentPage(title="Geheim plan windmolen", slug="geheim", live=False)
    demo_tree.add_child(instance=draft)
    draft.save_revision()
    html = client.get("/zoeken/", {"q": "Kinderdijk"}).content.decode()
    assert "/kernen/kinderdijk/" in html
    assert "Geheim plan" not in client.get("/zoeken/", {"q": "windmolen"}).content.decode()


def test_empty_and_hostile_search_queries_are_harmless(demo_tree, client):
    assert client.get("/zoeken/").status_code == 200
    response = client.get("/zoeken/", {"q": "<script>alert(1)</script>" * 50})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_staff_directory_filters_by_topic(demo_tree, client):
    html = client.get("/medewerkers/", {"onderwerp": "verkeer-en-parkeren"}).content.decode()
    assert "Pieter Verhoef" in html and "Fatima El Amrani" not in html


def test_home_page_lists_all_kernen_and_news(demo_tree, client):
    html = client.get("/").content.decode()
    assert html.count('href="/kernen/') >= 21
    assert "Samenlab gaat van start" in html


def test_staff_reach_the_wagtail_admin_and_may_edit_pages_residents_may_not(demo_tree, client):
    from community.models import User

    staff = User.objects.get(email="fatima@example.org")
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    kern_page = KernPage.objects.get(slug="arkel", kern__isnull=False)
    assert client.get(f"/admin/pages/{kern_page.pk}/edit/").status_code == 200
    resident = User.objects.get(email="jan@example.org")
    client.force_login(resident)
    assert client.get("/admin/").status_code == 302
    assert client.get(f"/admin/pages/{kern_page.pk}/edit/").status_code == 302


def test_a_search_with_control_characters_is_answered(demo_tree, client):
    response = client.get("/zoeken/", {"q": "Kinder\x00dijk\x07"})
    assert response.status_code == 200
    assert "/kernen/kinderdijk/" in response.content.decode()
