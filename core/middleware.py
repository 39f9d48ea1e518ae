"""Real overload answers 503 with ``Retry-After`` and changes nothing; it is never a 500.

``OverloadMiddleware`` turns every exception for which ``core.errors.is_overload`` is true (a lock wait or
a pooled connection that did not come in time, ``core.errors.Overloaded``) into "too busy, try again": the
page ``503.html`` for people, ``{"detail": ..., "code": "overloaded"}`` for ``/api/``. The transaction that
raised it has rolled back already (the exception left ``atomic``), so nothing changed.

Precondition: placed right after ``SecurityMiddleware``, so it also sees an overload raised by the
middleware below it (a session read that gets no connection). The 503 page is rendered for an anonymous
visitor, so rendering it needs no database; if even that fails, a plain page is sent.
"""

from __future__ import annotations

import logging

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.errors import RETRY_AFTER_SECONDS, is_overload

logger = logging.getLogger(__name__)


def overload_response(request) -> HttpResponse:
    """The 503 answer for ``request``: JSON under /api/, the page otherwise; always with ``Retry-After``."""
    message = _("Het is nu erg druk. Probeer het over een paar seconden opnieuw; er is niets veranderd.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "overloaded"}, status=503)
    else:
        request.user = AnonymousUser()  # the page must not need the database that is too busy
        try:
            body = render_to_string("503.html", {"message": message, "retry_after": RETRY_AFTER_SECONDS},
                                    request=request)
        except Exception:  # noqa: BLE001 - even the page needs something that is too busy: send plain text
            logger.exception("503 page could not be rendered")
            body = f"<!doctype html><html lang=\"nl\"><title>503</title><p>{message}</p></html>"
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class OverloadMiddleware:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        try:
            return self.get_response(request)
        except Exception as error:
            if is_overload(error):
                return self._answer(request, error)
            raise

    async def _acall(self, request):
        try:
            return await self.get_response(request)
        except Exception as error:
            if is_overload(error):
                return self._answer(request, error)
            raise

    def process_exception(self, request, exception):
        """An exception from a view (the API re-raises what its handler does not answer)."""
        if is_overload(exception):
            return self._answer(request, exception)
        return None

    def _answer(self, request, error) -> HttpResponse:
        logger.warning("overloaded: %s %s: %s", request.method, request.path, error)
        return overload_response(request)


def server_error(request, *args, **kwargs):
    """``handler500``: an overload raised in a middleware (outside ``OverloadMiddleware``'s reach, since Django
    turns it into a 500 right there) still answers 503; everything else is the site's own 500 page."""
    import sys

    from core.views import server_error as site_server_error

    error = sys.exc_info()[1]
    if error is not None and is_overload(error):
        logger.warning("overloaded (middleware): %s %s: %s", request.method, request.path, error)
        return overload_response(request)
    return site_server_error(request)
