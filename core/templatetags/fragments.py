"""Parts of a page that look the same to everyone (the kernen, staff faces, what just happened), kept in the
cache for the current page generation, so signed-in pages do not query them on every request.

    {% load cache fragments %}{% fragment_key as key %}
    {% cache key.seconds "home-kernen" key.generation key.language %}…{% endcache %}

Anything that pages show starts a new generation when it changes (``core.pagecache``): a fragment is never
older than what it shows. With ``ANONYMOUS_PAGE_CACHE_SECONDS = 0`` (development, tests) nothing is kept.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils import translation

from core.pagecache import generation

register = template.Library()


@dataclass(frozen=True)
class FragmentKey:
    seconds: int
    generation: int
    language: str


@register.simple_tag
def fragment_key() -> FragmentKey:
    seconds = settings.ANONYMOUS_PAGE_CACHE_SECONDS
    return FragmentKey(seconds, generation() if seconds else 0, translation.get_language() or "")
