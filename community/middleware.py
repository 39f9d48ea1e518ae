"""A signed-in resident sees the site in the language they chose, on every device."""

from django.conf import settings
from django.utils import translation


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
