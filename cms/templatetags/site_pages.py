"""Template helpers for the site's pages in the visitor's language (cms.translation)."""

from django import template
from django.utils.html import format_html

from cms.translation import active_language, localize_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context, page) -> list:
    """The ancestors of ``page`` below the root, in the visitor's language: from the page map (no query),
    or from the tree when the map cannot tell."""
    from cms.routing import Crumb
    from cms.routing import breadcrumb_trail as from_map

    trail = from_map(page, context["request"], active_language())
    if trail is None:
        ancestors = localize_pages(ancestor for ancestor in page.get_ancestors() if not ancestor.is_root())
        trail = [Crumb(title=a.title, url=a.get_url(context["request"]), language=a.content_language)
                 for a in ancestors]
    return trail


@register.simple_tag
def lang_unless_active(language: str) -> str:
    """` lang="nl"` when ``language`` is not the page's language, else nothing."""
    return format_html(' lang="{}"', language) if language != active_language() else ""


@register.simple_tag
def content_lang(page) -> str:
    """` lang="nl"` where the page's text is not in the page's language (nothing translated yet), so that
    screen readers and read-aloud pronounce it right (WCAG 3.1.2); nothing otherwise."""
    shown = getattr(page, "content_language", None)
    return lang_unless_active(shown) if shown else ""
