"""The error pages pass axe-core (WCAG 2.1 A/AA) at 360 px and at desktop width, the static fallback too.

404 and 403 come from the running server; the 400, 500, refusal and fallback pages are rendered in this
process (with the site's error handlers and DEBUG off) and served at a URL of the running server, so that
the style sheets load exactly as on the site.
"""

import pytest
from django.test import Client

from community.demo import DEMO_PASSWORD
from core.views import errors as views
from tests.browser.conftest import DESKTOP, MOBILE, format_violations

pytestmark = pytest.mark.browser


def rendered(settings, path: str) -> tuple[int, str]:
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.core.error_urls"
    response = Client(raise_request_exception=False).get(path)
    return response.status_code, response.content.decode()


def serve(status: int, html: str):
    def handler(route):
        route.fulfill(status=status, body=html, content_type="text/html; charset=utf-8")

    return handler


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["360px", "desktop"])
def test_error_pages_have_no_wcag_violations(viewport, settings, demo_site, new_context, axe_violations, login):
    served = {
        "/test-fout/400/": rendered(settings, "/test-fout/400/"),
        "/test-fout/500/": rendered(settings, "/test-fout/500/"),
        "/test-fout/geweigerd/": rendered(settings, "/test-fout/geweigerd/"),
        "/test-fout/noodpagina/": (500, views.fallback_page(500).content.decode()),
    }
    reports = []

    def check(page, path, status):
        response = page.goto(path)
        assert response is not None and response.status == status, f"{path} answered {response and response.status}"
        assert page.get_by_role("link", name="Hulp nodig? Praat met een medewerker").first.is_visible()
        violations = axe_violations(page)
        if violations:
            reports.append(format_violations(path, violations))

    anonymous = new_context(viewport=viewport).new_page()
    for path, (status, html) in served.items():
        anonymous.route(f"**{path}", serve(status, html))
    for path, (status, _html) in served.items():
        check(anonymous, path, status)
    check(anonymous, "/bestaat-niet/", 404)

    resident = new_context(viewport=viewport).new_page()
    login(resident, demo_site["resident"], DEMO_PASSWORD)
    check(resident, "/bureau/", 403)  # the staff desk is not for residents
    check(resident, "/bestaat-niet/", 404)
    english = new_context(viewport=viewport, locale="en-GB").new_page()
    response = english.goto("/bestaat-niet/")
    assert response.status == 404 and english.locator("html").get_attribute("lang") == "en"
    violations = axe_violations(english)
    if violations:
        reports.append(format_violations("/bestaat-niet/ (en)", violations))
    assert not reports, "\n\n".join(reports)
