"""Pages in the visitor's language, at the same address (docs/decisions/0022).

Editors translate a page with Wagtail's own locales: "Vertalen" in the admin (``simple_translation``)
copies it into the English tree, where they write the English text and publish it. The Dutch tree is the
site: its pages have the addresses, the kern, the children, the place in the menu. A visitor who reads
English gets the Dutch page with the English page's text laid over it (``translated_fields``); where
nothing was translated yet they get the Dutch text, marked as Dutch (``lang="nl"``) so that a screen
reader and read-aloud pronounce it as Dutch. The language switch therefore always keeps the visitor on the
same page, and a translation never needs its own address, kern or place in the tree.

Which translations exist is part of the page map (``cms.routing``, once per page generation), so a page
with no translation costs no query, and a list of pages costs one query per page type for its
translations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings

# Every page type shows these; types name their own text fields on top (``translated_fields``).
COMMON_FIELDS = ("title", "seo_title", "search_description")


def default_language() -> str:
    return settings.LANGUAGE_CODE


def active_language() -> str:
    from core.formats import page_language

    return page_language()


def fields_of(page) -> tuple[str, ...]:
    return COMMON_FIELDS + tuple(getattr(page, "translated_fields", ()))


def _overlay(page, translated) -> None:
    for field in fields_of(page):
        setattr(page, field, getattr(translated, field))
    page.content_language = active_language()


def localize_pages(pages: Iterable) -> list:
    """Lay the active language's published translation over each of ``pages`` (Dutch-tree pages, in place)
    and return them as a list. Pages without one keep their text and ``content_language`` says so."""
    from cms.routing import page_map

    pages = list(pages)
    language = active_language()
    for page in pages:
        page.content_language = default_language()
    if language == default_language() or not pages:
        return pages
    found = page_map().translations
    wanted = defaultdict(dict)  # page type -> translation id -> the page it translates
    for page in pages:
        translated_id = found.get(str(page.translation_key), {}).get(language)
        if translated_id is not None:
            wanted[type(page)][translated_id] = page
    for model, by_id in wanted.items():
        for translated in model.objects.filter(pk__in=by_id, live=True).only(*fields_of(model)):
            _overlay(by_id[translated.pk], translated)
    return pages


def localize_page(page):
    """``localize_pages`` for one page: a query only when it has a translation in the active language."""
    return localize_pages([page])[0]
