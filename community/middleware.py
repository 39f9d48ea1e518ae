"""What the site knows of the signed-in person on every request: their language, and their previous visit."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone, translation


class PreferredLanguageMiddleware:
    """After authentication: without an explicit language cookie, use the profile's language.

    LocaleMiddleware (which runs earlier) only knows the cookie and the browser's Accept-Language; a resident
    who chose English once should not have to choose again on a new phone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = None
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
                and user.preferred_language in dict(settings.LANGUAGES)):
            chosen = user.preferred_language
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if chosen:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, chosen, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE, max_age=365 * 24 * 3600)
        return response


class VisitMiddleware:
    """Knows when the signed-in person's previous visit was, for "welkom terug" and "sinds uw vorige bezoek".

    A visit is a run of requests without a pause longer than ``VISIT_GAP``. At the start of one, the
    previous visit's moment (``User.last_visit_at``) is kept in the session as ``request.visit_since``
    and the new moment is recorded: one small write per visit, like ``last_login`` at signing in.
    Within a visit the session is touched at most every ``TOUCH_EVERY``.
    """

    VISIT_GAP = timedelta(minutes=30)
    TOUCH_EVERY = timedelta(minutes=5)
    SINCE_KEY, SEEN_KEY, RETURNING_KEY = "visit_since", "visit_seen", "visit_returning"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        request.visit_since, request.visit_is_return = None, False
        if user is not None and user.is_authenticated and self._is_a_page(request):
            self._track(request, user)
        return self.get_response(request)

    @staticmethod
    def _is_a_page(request) -> bool:
        """A person visits the site's pages: photos, files and API calls (often many per page) neither start nor
        extend a visit, and neither does work in the admin."""
        path = request.path
        return request.method == "GET" and not path.startswith(
            (settings.MEDIA_URL, settings.STATIC_URL, "/api/", "/documents/", "/admin/", "/django-admin/"))

    def _track(self, request, user) -> None:
        from community.models import User

        now = timezone.now()
        session = request.session
        seen = _parse(session.get(self.SEEN_KEY))
        if seen is None or now - seen > self.VISIT_GAP:
            previous = user.last_visit_at
            session[self.SINCE_KEY] = (previous or user.date_joined).isoformat()
            session[self.RETURNING_KEY] = previous is not None
            session[self.SEEN_KEY] = now.isoformat()
            User.objects.filter(pk=user.pk).update(last_visit_at=now)
            user.last_visit_at = now
        elif now - seen > self.TOUCH_EVERY:
            session[self.SEEN_KEY] = now.isoformat()
        request.visit_since = _parse(session.get(self.SINCE_KEY))
        request.visit_is_return = bool(session.get(self.RETURNING_KEY))


def _parse(value):
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else None
