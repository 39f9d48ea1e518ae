"""Shared infrastructure: a cache for what anonymous visitors see, emptied when anything pages show changes.

Most visitors are not signed in and read the same pages; rendering a page through Wagtail costs
10-15 queries. ``AnonymousPageCacheMiddleware`` keeps the rendered page for
``ANONYMOUS_PAGE_CACHE_SECONDS`` (0 turns it off) in the default cache, per language, host and full
path (query string included), and serves it without a query.

Other views opt in with ``@anonymous_cache(query_parameters=...)`` (the initiatives list and detail).
What it never caches or serves from cache: anything but a GET of a Wagtail page or such a view; a
visitor with a session cookie (signed in, or in the middle of something) or a pending message; htmx
requests; query strings with other parameters than the page or view reads (so that made-up URLs
cannot fill the cache; free-text search is never cached); responses that are not 200, stream, set a
cookie or say ``Cache-Control: private/no-store``.

Every page contains forms with a CSRF token (the language switch). The token is taken out before a
page is stored and each visitor's own token is put in when it is served, so a cached page never
hands one visitor's token to another.

Publishing, unpublishing, moving or deleting any page empties the whole page cache (pages show
each other: the home page lists news, a kern page lists its news). Domain changes that pages show
(initiatives on a kern page, staff profiles) call ``invalidate_pages_after_commit()`` from their
service (initiative transitions, pledges, supports, updates and every discussion event do); otherwise
they appear within ``ANONYMOUS_PAGE_CACHE_SECONDS``. With several worker processes the
cache must be shared (Redis, via REDIS_URL), or a publish only empties the cache of one process.

The middleware goes after the authentication, language and message middleware (it reads their
results) and after CsrfViewMiddleware (which sets the cookie for the token it puts in).

An unreachable cache (Redis down) never turns a page into an error: pages are then served uncached,
and an invalidation that could not reach the cache is remembered by the process and done as soon as
the cache answers again (before anything is read from it), so no page from before the change is
served after the outage.
"""

import hashlib
import logging
import re
import threading
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils import translation

GENERATION_KEY = "samenlab:pagecache:generation"
CSRF_PLACEHOLDER = b"@@samenlab-csrf-token@@"
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{32,128})"')
NOT_CACHEABLE_CONTROL = ("private", "no-store", "no-cache")
# The query parameters Samenlab's pages read (pagination, the staff directory's topic filter).
PAGE_QUERY_PARAMETERS = frozenset({"pagina", "onderwerp"})

logger = logging.getLogger(__name__)


class _Pending:
    """Whether this process owes the cache an invalidation it could not deliver (the cache was down)."""

    def __init__(self):
        self.owed = False
        self.lock = threading.Lock()


_pending = _Pending()


def invalidate_pages() -> None:
    """Forget every cached page (a new generation: old entries are never read again and expire).

    If the cache cannot be reached, the invalidation is owed and delivered by the next cache access
    of this process that succeeds (``_settle``); the caller's write is never turned into an error.
    """
    try:
        delivered = _new_generation()
    except Exception:
        delivered = False
    _pending.owed = not delivered
    if not delivered:
        logger.warning("Page cache unreachable: invalidation postponed until it answers")


# Within one request every fragment and the page map ask for the generation: it is read from the cache
# once per request (the middleware opens the memo) instead of once per question. Outside a request
# (tasks, the shell) there is no memo and every question reads the cache.
_request_generation: ContextVar[dict | None] = ContextVar("samenlab_request_generation", default=None)


def _new_generation() -> bool:
    """Start a new generation; False when the cache did not store it (a resilient cache that is down).

    Raises the cache's error for a cache that raises."""
    memo = _request_generation.get()
    if memo is not None:
        memo.clear()  # this request changed what pages show: it reads the new generation too
    return cache.set(GENERATION_KEY, time.time_ns(), timeout=None) is not False


def _settle() -> None:
    """Deliver an owed invalidation before the cache is read again (may raise while the cache is down)."""
    if _pending.owed:
        with _pending.lock:
            if _pending.owed and _new_generation():
                _pending.owed = False


def invalidate_pages_after_commit() -> None:
    """For services: forget the cached pages once the current transaction has committed (at once outside one).

    Robust: the write has committed by then, so a cache that cannot be reached is logged, never raised.
    """
    transaction.on_commit(invalidate_pages, robust=True)


def generation() -> int:
    """The current generation of everything pages show; it changes whenever ``invalidate_pages`` runs.

    Fragments that show initiatives (list cards) put it in their cache key, so they follow the pages.
    Raises the cache's error when the cache cannot be reached.
    """
    memo = _request_generation.get()
    if memo:
        return memo["generation"]
    _settle()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    if memo is not None:
        memo["generation"] = generation
    return generation


def shared_fragment(name: str, *parts, render) -> str:
    """The HTML ``render()`` returns, kept for the current generation and language under ``name`` and
    ``parts``: for a part of a page that looks the same to everyone who is given it (the caller decides who
    is). Rendered every time when pages are not kept (``ANONYMOUS_PAGE_CACHE_SECONDS = 0``)."""
    from django.utils.safestring import mark_safe

    seconds = settings.ANONYMOUS_PAGE_CACHE_SECONDS
    if not seconds:
        return render()
    where = hashlib.sha256(repr(parts).encode()).hexdigest()
    key = f"samenlab:fragment:{name}:{generation()}:{translation.get_language()}:{where}"
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, seconds)
    return mark_safe(html)  # noqa: S308  (HTML rendered by the template engine)


def shared_value(name: str, *parts, compute):
    """What ``compute()`` returns (picklable), kept for the current generation under ``name`` and ``parts``: for
    figures that pages show and every change to them starts a new generation (totals of an initiative).
    Computed every time when pages are not kept (``ANONYMOUS_PAGE_CACHE_SECONDS = 0``)."""
    seconds = settings.ANONYMOUS_PAGE_CACHE_SECONDS
    if not seconds:
        return compute()
    key = f"samenlab:value:{name}:{generation()}:{':'.join(str(part) for part in parts)}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found


def _cache_key(request) -> str:
    where = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    return f"samenlab:page:{generation()}:{translation.get_language()}:{where}"


def anonymous_cache(*, query_parameters=()):
    """Let the page cache store what anonymous visitors get from this view (a GET that shows the same
    to every anonymous visitor), for URLs whose query string uses only ``query_parameters``."""
    allowed = frozenset(query_parameters)

    def mark(view):
        view.anonymous_cache_parameters = allowed
        return view

    return mark


def _allowed_query_parameters(path: str) -> frozenset | None:
    """The query parameters a cacheable view reads, or None when the path is not cacheable."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name == "wagtail_serve":
        return PAGE_QUERY_PARAMETERS
    return getattr(match.func, "anonymous_cache_parameters", None)


def _cacheable_request(request) -> bool:
    if not (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HX-Request" not in request.headers
    ):
        return False
    allowed = _allowed_query_parameters(request.path_info)
    return allowed is not None and set(request.GET) <= allowed


def _cacheable_response(request, response) -> bool:
    cache_control = response.get("Cache-Control", "")
    queued_messages = getattr(getattr(request, "_messages", None), "_queued_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in NOT_CACHEABLE_CONTROL)
        and not queued_messages
    )


def _to_cache(response) -> dict:
    content = response.content
    for token in set(CSRF_INPUT.findall(content)):
        content = content.replace(token, CSRF_PLACEHOLDER)
    headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
    return {"content": content, "status": response.status_code, "headers": headers}


def _from_cache(request, stored: dict) -> HttpResponse:
    content = stored["content"]
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, status=stored["status"])
    for name, value in stored["headers"]:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        opened = _request_generation.set({})  # the generation is read once in this request
        try:
            return self._respond(request)
        finally:
            _request_generation.reset(opened)

    def _respond(self, request):
        seconds = settings.ANONYMOUS_PAGE_CACHE_SECONDS
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        try:
            key = _cache_key(request)
            stored = cache.get(key)
        except Exception:  # the cache is unreachable: serve the page uncached
            logger.warning("Page cache unreachable: serving %s uncached", request.path, exc_info=True)
            response = self.get_response(request)
            response["X-Page-Cache"] = "unavailable"
            return response
        if stored is not None:
            return _from_cache(request, stored)
        response = self.get_response(request)
        if _cacheable_response(request, response):
            try:
                stored = cache.set(key, _to_cache(response), seconds) is not False
            except Exception:
                logger.warning("Page cache unreachable: %s not stored", request.path, exc_info=True)
                stored = False
            response["X-Page-Cache"] = "miss" if stored else "unavailable"
        return response
