"""Searching the site's pages in the visitor's language (cms.translation)."""

from wagtail.models import Locale, Page

from cms.models import in_site_language
from cms.translation import active_language, default_language

MAX_PAGE_HITS = 200  # a site search is read from the top: more than this is never paged through


def search_pages(query: str) -> list:
    """Published, public pages of the site's tree that match ``query``, in Dutch or in the visitor's
    language: a page found through its translation is listed once, at its own (Dutch) address, after the
    pages whose Dutch text matched. Precondition: ``query`` is non-empty printable text."""
    site_pages = in_site_language(Page.objects.live().public())
    found = list(site_pages.specific().search(query)[:MAX_PAGE_HITS])
    language = active_language()
    locale = Locale.objects.filter(language_code=language).first() if language != default_language() else None
    if locale is not None:
        keys = [page.translation_key
                for page in Page.objects.live().filter(locale_id=locale.pk).search(query)[:MAX_PAGE_HITS]]
        if keys:
            seen = [page.pk for page in found]
            found += list(site_pages.filter(translation_key__in=keys).exclude(pk__in=seen).specific())
    return found
