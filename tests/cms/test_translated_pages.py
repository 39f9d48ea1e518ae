"""Pages in the visitor's language at the same address (cms.translation): Wagtail's own locales, the
English text laid over the Dutch page, Dutch text marked as Dutch where nothing was translated."""

import re

import pytest
from django.test import Client
from wagtail.models import Locale

from cms.models import KernPage, NewsIndexPage, NewsPage
from tests import factories
from tests.pages import build_home, build_kern_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def kern_page(kern):
    page = build_kern_page(kern, build_home())
    page.intro, page.story = "Wat er speelt in Arkel.", "<p>Tussen de Linge en het spoor.</p>"
    page.save_revision().publish()
    return page


def translate(page, locale, publish=True, **fields):
    translated = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translated, name, value)
    revision = translated.save_revision()
    if publish:
        revision.publish()
    return translated


def visitor(language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    return client


def h1(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(0)


def test_an_english_visitor_reads_the_translation_at_the_same_address(kern_page, english, kern):
    factories.CouncilMembershipFactory(kern=kern, user__first_name="Marieke")
    translate(kern_page, english, intro="What is going on in Arkel.", story="<p>Between the Linge and the railway.</p>")
    english_page = visitor("en").get(kern_page.url)
    assert english_page.status_code == 200
    text = english_page.content.decode()
    assert "Between the Linge and the railway." in text and "Tussen de Linge" not in text
    assert "Marieke" in text  # the kern, its council and its conversation are the Dutch page's
    dutch_page = visitor("nl").get(kern_page.url).content.decode()
    assert "Tussen de Linge en het spoor." in dutch_page and "Between the Linge" not in dutch_page


def test_untranslated_text_is_marked_as_dutch_on_an_english_page(kern_page):
    response = visitor("en").get(kern_page.url)
    assert 'lang="nl"' in h1(response)
    assert '<p class="lead" lang="nl">Wat er speelt in Arkel.</p>' in response.content.decode()
    assert 'lang="nl"' not in h1(visitor("nl").get(kern_page.url))


def test_a_translated_page_is_not_marked(kern_page, english):
    translate(kern_page, english, intro="What is going on in Arkel.")
    assert "lang=" not in h1(visitor("en").get(kern_page.url))


def test_a_draft_translation_is_not_shown(kern_page, english):
    translate(kern_page, english, publish=False, intro="Draft text")
    assert "Draft text" not in visitor("en").get(kern_page.url).content.decode()


def test_lists_show_each_page_once_in_the_visitors_language(kern_page, english):
    news_index = NewsIndexPage(title="Nieuws", slug="nieuws")
    kern_page.get_parent().get_parent().add_child(instance=news_index)
    news_index.save_revision().publish()
    for title in ("Nieuwe speelplek", "Dorpsfeest"):
        item = NewsPage(title=title, date="2026-11-30", summary=f"{title} in Arkel.")
        news_index.add_child(instance=item)
        item.save_revision().publish()
    translate(NewsPage.objects.get(title="Nieuwe speelplek"), english, title="New playground", summary="Soon.")
    for url in ("/", "/nieuws/"):
        text = visitor("en").get(url).content.decode()
        assert text.count("New playground") == 1 and "Nieuwe speelplek" not in text, url
        assert text.count(">Dorpsfeest<") == 1, url
    assert "New playground" not in visitor("nl").get("/nieuws/").content.decode()


def test_search_finds_each_page_once(kern_page, english):
    translate(kern_page, english, intro="What is going on in Arkel.")
    text = visitor("en").get("/zoeken/", {"q": "Arkel"}).content.decode()
    assert text.count(f'href="{kern_page.url}"') == 1


def test_breadcrumbs_are_in_the_visitors_language(kern_page, english):
    translate(kern_page.get_parent().specific, english, title="Villages")
    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', visitor("en").get(kern_page.url).content.decode(), re.S)
    assert ">Villages</a>" in nav.group(0)


def test_the_language_switch_keeps_the_visitor_on_the_same_page(kern_page, english):
    translate(kern_page, english, intro="What is going on in Arkel.")
    client = visitor("nl")
    response = client.post("/i18n/setlang/", {"language": "en", "next": kern_page.url})
    assert response.status_code == 302 and response["Location"] == kern_page.url
    assert "What is going on in Arkel." in client.get(response["Location"]).content.decode()


def test_a_published_translation_shows_at_once_through_the_page_cache(kern_page, english, settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    assert "Wat er speelt" in visitor("en").get(kern_page.url).content.decode()  # kept, in English
    assert "Wat er speelt" in visitor("nl").get(kern_page.url).content.decode()  # kept, in Dutch
    translate(kern_page, english, intro="What is going on in Arkel.")
    assert "What is going on in Arkel." in visitor("en").get(kern_page.url).content.decode()
    assert "Wat er speelt" in visitor("nl").get(kern_page.url).content.decode()


def test_a_translation_costs_one_query_and_no_translation_none(kern_page, english, django_assert_num_queries):
    other = KernPage(title="Kinderdijk", slug="kinderdijk", kern=factories.KernFactory(name="Kinderdijk"))
    kern_page.get_parent().add_child(instance=other)
    translate(kern_page, english, intro="What is going on in Arkel.")
    client = visitor("en")
    for page in (kern_page, other):
        client.get(page.url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as translated:
        client.get(kern_page.url)
    with CaptureQueriesContext(connection) as untranslated:
        client.get(other.url)
    assert len(translated) == len(untranslated) + 1


def test_a_kern_page_is_translated_without_its_kern(kern_page, english, kern):
    translated = translate(kern_page, english, intro="What is going on in Arkel.")
    assert translated.kern_id is None and KernPage.objects.get(pk=kern_page.pk).kern_id == kern.pk
    assert kern.page == kern_page  # the kern's page is still the Dutch one


def test_the_translation_form_has_no_kern_to_choose_and_a_dutch_page_needs_one(kern_page, english):
    from django.core.exceptions import ValidationError

    translated = translate(kern_page, english)
    form_class = KernPage.get_edit_handler().get_form_class()
    assert "kern" not in form_class(instance=translated, for_user=factories.AdminFactory()).fields
    assert "kern" in form_class(instance=kern_page, for_user=factories.AdminFactory()).fields
    kern_page.kern = None
    with pytest.raises(ValidationError, match="kern"):
        kern_page.full_clean()


def test_editors_translate_from_the_admin(kern_page, english, client):
    client.force_login(factories.AdminFactory())
    kern_index = kern_page.get_parent()
    hint = client.get(f"/admin/translation/submit/page/{kern_page.pk}/").content.decode()
    assert f"/admin/translation/submit/page/{kern_index.pk}/" in hint  # "translate the parent page first"
    for page in (kern_index.get_parent(), kern_index, kern_page):  # as the admin leads: the parents first
        response = client.post(f"/admin/translation/submit/page/{page.pk}/", {"locales": [english.pk]})
        assert response.status_code == 302
    translated = kern_page.get_translation(english)
    assert translated.kern_id is None and not translated.live
    edit = client.get(f"/admin/pages/{translated.pk}/edit/")
    assert edit.status_code == 200 and 'name="kern"' not in edit.content.decode()
    preview = client.get(f"/admin/pages/{translated.pk}/edit/preview/")
    assert preview.status_code == 200


def test_a_translation_has_no_address_of_its_own(kern_page, english):
    translate(kern_page, english)
    assert visitor("en").get("/kernen-en/arkel/").status_code == 404
    assert "arkel" not in visitor("en").get("/sitemap.xml").content.decode().split(kern_page.url, 1)[-1]


def test_an_english_visitor_finds_a_page_by_its_english_words(kern_page, english):
    translate(kern_page, english, story="<p>Between the Linge and the railway.</p>")
    text = visitor("en").get("/zoeken/", {"q": "railway"}).content.decode()
    assert text.count(f'href="{kern_page.url}"') == 1  # at its own address, once
    assert f'href="{kern_page.url}"' not in visitor("nl").get("/zoeken/", {"q": "railway"}).content.decode()


def test_a_page_found_in_both_languages_is_listed_once(kern_page, english):
    translate(kern_page, english, intro="What is going on in Arkel.")
    text = visitor("en").get("/zoeken/", {"q": "Arkel"}).content.decode()
    assert text.count(f'href="{kern_page.url}"') == 1
