"""The error pages (400, 403, 404, 500) in the site's design, with a way on and a person to talk to.

Every handler falls back to a small static page in the same design when rendering fails (the database is
down, a context processor breaks): an error page must never become a second error. The 500 page does not
run the request's context processors at all, so it needs no database.
"""

from __future__ import annotations

import logging
from html import escape

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.permissions import Refused

logger = logging.getLogger(__name__)


def _static(path: str) -> str:
    try:
        from django.templatetags.static import static

        return static(path)
    except Exception:  # noqa: BLE001 - a missing manifest must not break the error page
        return settings.STATIC_URL + path


def fallback_page(status: int, heading: str = "", explanation: str = "") -> HttpResponse:
    """A page that needs nothing but settings: the site's style sheets, the help link, a way home."""
    try:
        heading = heading or _("Er ging bij ons iets mis")
        explanation = explanation or _("Dit ligt niet aan u. Probeer het over een paar minuten opnieuw.")
        help_label = _("Hulp nodig? Praat met een medewerker")
        home_label = _("Naar de startpagina")
        code_label = _("Foutcode %(code)s") % {"code": status}
        language = get_language() or settings.LANGUAGE_CODE
    except Exception:  # noqa: BLE001 - translations unavailable: Dutch, as written
        help_label, home_label, code_label, language = (
            "Hulp nodig? Praat met een medewerker", "Naar de startpagina", f"Foutcode {status}", "nl")
        heading = heading or "Er ging bij ons iets mis"
        explanation = explanation or "Dit ligt niet aan u. Probeer het over een paar minuten opnieuw."
    site = escape(f"{getattr(settings, 'WAGTAIL_SITE_NAME', 'Samenlab')}")
    place = escape(getattr(settings, "SAMENLAB_MUNICIPALITY", ""))
    sheets = "".join(
        f'<link rel="stylesheet" href="{escape(_static(path))}">'
        for path in ("vendor/utrecht-tokens/theme.css", "vendor/utrecht/index.css", "vendor/utrecht/html.css",
                     "css/samenlab.css")
    )
    html = f"""<!DOCTYPE html>
<html lang="{escape(language)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(heading)} · {site}</title>{sheets}</head>
<body class="utrecht-theme utrecht-document samenlab">
<header class="site-header"><div class="site-header__top">
<a class="site-logo" href="/"><span class="site-logo__mark" aria-hidden="true">SL</span>
<span class="site-logo__text">Samenlab <span class="site-logo__place">{place}</span></span></a>
<div class="site-header__tools"><a class="help-link" href="/contact/">{escape(help_label)}</a></div>
</div></header>
<main id="main" class="page-content utrecht-html"><div class="error-page">
<p class="error-page__code">{escape(code_label)}</p>
<h1>{escape(heading)}</h1>
<p class="lead">{escape(explanation)}</p>
<ul class="error-page__ways"><li><a href="/">{escape(home_label)}</a></li>
<li><a href="/contact/">{escape(help_label)}</a></li></ul>
</div></main>
</body>
</html>"""
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


def _render(request, template: str, status: int, context: dict | None = None) -> HttpResponse:
    try:
        return render(request, template, context or {}, status=status)
    except Exception:
        logger.exception("The %s page could not be rendered; answering with the static page", status)
        return fallback_page(status)


def bad_request(request, exception=None):
    return _render(request, "400.html", 400)


def permission_denied(request, exception=None):
    """403. A ``Refused`` says why, and may offer a way back (e.g. to the initiative that is under review)."""
    context = {"show_login": not getattr(getattr(request, "user", None), "is_authenticated", False)}
    if isinstance(exception, Refused):
        context["reason"] = exception.message
        back_url = exception.back_url
        if back_url and url_has_allowed_host_and_scheme(back_url, allowed_hosts={request.get_host()},
                                                        require_https=request.is_secure()):
            context["back_url"] = back_url
            context["back_label"] = exception.back_label
    return _render(request, "403.html", 403, context)


def page_not_found(request, exception=None):
    return _render(request, "404.html", 404)


def server_error(request):
    """500: the template alone, without the request's context processors (they may need the database)."""
    try:
        html = loader.get_template("500.html").render({
            "SITE_NAME": settings.WAGTAIL_SITE_NAME, "MUNICIPALITY": settings.SAMENLAB_MUNICIPALITY,
            "csrf_token": get_token(request),
        })
        return HttpResponse(html, status=500)
    except Exception:
        logger.exception("The 500 page could not be rendered; answering with the static page")
        return fallback_page(500)
