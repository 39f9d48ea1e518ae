"""Template helpers for the site's pages in the visitor's language (cms.translation)."""

from django import template
from django.utils.html import format_html

from cms.translation import active_language, localize_pages

register = template.Library()


@register.simple_tag
def localized_ancestors(page) -> list:
    """The ancestors of ``page`` below the root, in the visitor's language (for breadcrumbs)."""
    return localize_pages(ancestor for ancestor in page.get_ancestors() if not ancestor.is_root())


@register.simple_tag
def content_lang(page) -> str:
    """` lang="nl"` where the page's text is not in the page's language (nothing translated yet), so that
    screen readers and read-aloud pronounce it right (WCAG 3.1.2); nothing otherwise."""
    shown = getattr(page, "content_language", None)
    return format_html(' lang="{}"', shown) if shown and shown != active_language() else ""
