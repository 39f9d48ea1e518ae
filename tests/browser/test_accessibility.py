"""axe-core finds no WCAG 2.1 A/AA violation on the foundation's pages, at 360 px and at desktop width.

Every page is checked and all violations are reported together, so one run shows everything to fix.
Screenshots of each page land in .run/screenshots/ for a human look at the layout.
"""

from pathlib import Path

import pytest

from community.demo import DEMO_PASSWORD
from tests.browser.conftest import DESKTOP, MOBILE, format_violations

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / ".run" / "screenshots"

ANONYMOUS_PAGES = [
    "/",
    "/kernen/",
    "/kernen/arkel/",
    "/nieuws/",
    "/zoeken/?q=arkel",
    "/medewerkers/",
    "/contact/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]
RESIDENT_PAGES = ["/mijn/", "/mijn/kern/", "/mijn/gegevens/", "/mijn/meldingen/"]
STAFF_PAGES = ["/bureau/"]


def screenshot_name(width: int, path: str) -> str:
    slug = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"
    return f"{width}-{slug}.png"


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["360px", "desktop"])
def test_no_wcag_violations_on_the_foundation_pages(viewport, demo_site, new_context, axe_violations, login):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    reports = []

    def check(page, path):
        response = page.goto(path)
        assert response is not None and response.ok, f"{path} answered {response and response.status}"
        page.screenshot(path=str(SCREENSHOTS / screenshot_name(viewport["width"], path)), full_page=True)
        violations = axe_violations(page)
        if violations:
            reports.append(format_violations(path, violations))

    anonymous = new_context(viewport=viewport).new_page()
    for path in ANONYMOUS_PAGES:
        check(anonymous, path)

    resident = new_context(viewport=viewport).new_page()
    login(resident, demo_site["resident"], DEMO_PASSWORD)
    for path in RESIDENT_PAGES:
        check(resident, path)

    staff = new_context(viewport=viewport).new_page()
    login(staff, demo_site["staff"], DEMO_PASSWORD)
    for path in STAFF_PAGES:
        check(staff, path)

    assert not reports, "\n\n".join(reports)


def test_the_english_pages_are_accessible_too(page, assert_accessible):
    page.goto("/kernen/arkel/")
    page.locator(".language-switch button[lang=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    page.goto("/contact/")
    assert_accessible(page)
