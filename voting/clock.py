"""Kept pages follow the clock of the ballot boxes: an opening or a closing starts a new page generation.

Services start a new generation whenever they change what pages show (``core.pagecache``). A box opens and
closes by time, with no service call: a kern page kept for anonymous visitors just before a poll closed would
otherwise hide its result (or keep its ballot form) until the page expires. So at the start of every request,
while pages are kept, the last opening or closing on the voting map (``voting.selectors.polls``) is compared
with the last one handled; a newer one empties the page cache once, whichever process sees it first.

Connected from ``VotingConfig.ready``. Costs one cache read per request (the map is kept in the process).
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_started

from core.pagecache import invalidate_pages

HANDLED_KEY = "samenlab:voting:clock-handled"

logger = logging.getLogger(__name__)


def _may_read_kept_page(environ=None, scope=None) -> bool:
    """Whether the request may be served a kept page: a GET or HEAD without a session (``core.pagecache``)."""
    if scope is not None:
        method = scope.get("method", "")
        cookies = b";".join(value for name, value in scope.get("headers", ()) if name == b"cookie").decode("latin-1")
    else:
        method = (environ or {}).get("REQUEST_METHOD", "")
        cookies = (environ or {}).get("HTTP_COOKIE", "")
    return method in ("GET", "HEAD") and f"{settings.SESSION_COOKIE_NAME}=" not in cookies


def settle(environ=None, scope=None, **_kwargs) -> None:
    """Start a new page generation if a box opened or closed since the last time this was done. Asked before a
    request that may be served a kept page; any other request is not served one, and the next such request asks."""
    if not settings.ANONYMOUS_PAGE_CACHE_SECONDS:
        return
    if (environ is not None or scope is not None) and not _may_read_kept_page(environ, scope):
        return
    from voting.selectors.polls import keep_for_generation, voting_map

    try:
        found = voting_map()
        passed = found.last_boundary_before(time.time())
        if passed is None:
            return
        handled = cache.get(HANDLED_KEY)
        if handled is not None and handled >= passed:
            return
        cache.set(HANDLED_KEY, passed, timeout=None)
        invalidate_pages()
        keep_for_generation(found)  # only the time moved on: the map of the new generation is the same
    except Exception:  # a cache or database outage never turns a request into an error here
        logger.warning("Voting clock could not check the ballot boxes", exc_info=True)


def follow_the_clock() -> None:
    request_started.connect(settle, dispatch_uid="voting-clock")
