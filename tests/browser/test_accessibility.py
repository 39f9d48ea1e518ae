"""axe-core finds no WCAG 2.1 A/AA violation on the foundation's pages, at 360 px and at desktop width.

Every page is checked and all violations are reported together, so one run shows everything to fix.
Screenshots of each page land in .run/screenshots/ for a human look at the layout.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

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
RESIDENT_PAGES = ["/mijn/", "/mijn/kern/", "/mijn/gegevens/", "/mijn/meldingen/", "/mijn/meldingen/instellingen/",
                  "/initiatieven/", "/initiatieven/mijn/"]


def resident_pages() -> list[str]:
    """RESIDENT_PAGES and a demo initiative raising money: its page has the kept story and the kept fields of
    the pledge and comment forms."""
    from community.models import Kern
    from initiatives.models import Status
    from tests.factories_initiatives import InitiativeFactory

    funding = InitiativeFactory(kern=Kern.objects.order_by("pk").first(), status=Status.FUNDING, goal="1500.00",
                                story="<p>Een nieuw bankje bij de kerk, voor wie even wil uitrusten.</p>")
    return [*RESIDENT_PAGES, funding.get_absolute_url()]


def walk_pages() -> list[str]:
    """The walk list, a walk under way with its live map and observations, and the report of a finished walk
    with every decision (the demo walks of ``maps.demo``, which needs the demo people of ``initiatives.demo``)."""
    from initiatives import demo as initiatives_demo
    from maps import demo as maps_demo
    from maps.models import Walk

    initiatives_demo.seed()
    maps_demo.seed()
    under_way = Walk.objects.get(title=maps_demo.IN_PROGRESS)
    finished = Walk.objects.get(title=maps_demo.FINISHED)
    return ["/wijkschouw/", under_way.get_absolute_url(), f"{finished.get_absolute_url()}verslag/"]


PHONE_320 = {"width": 320, "height": 568}
STAFF_PAGES = ["/bureau/"]


def screenshot_name(width: int, path: str) -> str:
    slug = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"
    return f"{width}-{slug}.png"


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["360px", "desktop"])
def test_no_wcag_violations_on_the_foundation_pages(viewport, demo_site, new_context, axe_violations, login,
                                                    live_server_url):
    """Every page in Dutch and in English (one server and one set of demo data for both languages)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    reports = []

    def check(page, path, language):
        response = page.goto(path)
        assert response is not None and response.ok, f"{path} answered {response and response.status}"
        assert page.locator("html").get_attribute("lang") == language, f"{path} is not in {language}"
        for walk_map in page.locator("[data-walk-map]").all():  # axe checks the map with its markers drawn
            expect(walk_map).to_have_attribute("data-ready", "true")
        page.screenshot(path=str(SCREENSHOTS / screenshot_name(viewport["width"], f"{language}{path}")),
                        full_page=True)
        violations = axe_violations(page)
        if violations:
            reports.append(format_violations(f"{path} ({language})", violations))

    for language in ("nl", "en"):
        def context(language=language):
            made = new_context(viewport=viewport, locale="en-GB" if language == "en" else "nl-NL")
            # The language cookie, as the switch sets it: it outranks a signed-in person's profile language.
            made.add_cookies([{"name": "django_language", "value": language, "url": live_server_url}])
            return made

        anonymous = context().new_page()
        for path in ANONYMOUS_PAGES:
            check(anonymous, path, language)

        resident = context().new_page()
        login(resident, demo_site["resident"], DEMO_PASSWORD)
        for path in resident_pages() + walk_pages():
            check(resident, path, language)

        staff = context().new_page()
        login(staff, demo_site["staff"], DEMO_PASSWORD)
        for path in STAFF_PAGES:
            check(staff, path, language)

    assert not reports, "\n\n".join(reports)


def test_the_english_pages_are_accessible_too(page, assert_accessible):
    page.goto("/kernen/arkel/")
    page.locator(".language-switch button[lang=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    page.goto("/contact/")
    assert_accessible(page)


def test_at_320_px_no_page_scrolls_sideways_and_the_header_leaves_the_screen_to_the_page(demo_site, new_context,
                                                                                          login):
    """Every page of every journey, on the narrowest phone: nothing wider than the screen, and the header
    (name, menu button, the way to a person) at most a quarter of the first screen."""
    problems = []

    def check(page, path):
        response = page.goto(path)
        assert response is not None and response.ok, f"{path} answered {response and response.status}"
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > PHONE_320["width"]:
            problems.append(f"{path}: {scroll_width} px wide")
        header = page.locator("header.site-header").bounding_box()
        if header["height"] > PHONE_320["height"] / 4:
            problems.append(f"{path}: header {header['height']:.0f} px of {PHONE_320['height']}")

    anonymous = new_context(viewport=PHONE_320).new_page()
    for path in ANONYMOUS_PAGES + ["/initiatieven/"]:
        check(anonymous, path)
    resident = new_context(viewport=PHONE_320).new_page()
    login(resident, demo_site["resident"], DEMO_PASSWORD)
    for path in resident_pages():
        check(resident, path)
    staff = new_context(viewport=PHONE_320).new_page()
    login(staff, demo_site["staff"], DEMO_PASSWORD)
    for path in STAFF_PAGES:
        check(staff, path)
    assert not problems, "\n".join(problems)


def test_the_folded_menu_opens_with_the_keyboard_and_closes_with_escape(page):
    page.goto("/")
    menu = page.locator("#site-menu")
    toggle = page.get_by_role("button", name="Menu")
    expect(menu).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Initiatieven")).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_be_focused()


def test_read_aloud_says_so_when_the_browser_has_no_voice(page):
    page.goto("/kernen/arkel/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Lees voor").click()
    voices = page.evaluate("window.speechSynthesis.getVoices().length")
    if voices:  # a browser that can speak Dutch starts reading and offers to stop
        expect(page.get_by_role("button", name="Stop voorlezen")).to_be_visible()
    else:
        expect(page.locator("[data-read-aloud-status]")).to_contain_text("Voorlezen kan niet in deze browser")


# A speech engine that only records what it is asked to say: which text, in which language.
RECORDING_SPEECH = """
window.__spoken = [];
const voices = [{lang: "nl-NL", name: "Dutch"}, {lang: "en-GB", name: "English"}];
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } addEventListener() {} };
Object.defineProperty(window, "speechSynthesis", {value: {
  speaking: false, getVoices: () => voices, cancel() { this.speaking = false; },
  speak(utterance) { this.speaking = true; window.__spoken.push([utterance.lang, utterance.text]); },
}});
"""


def test_the_language_switch_keeps_the_page_and_read_aloud_reads_each_part_in_its_language(page, assert_accessible):
    page.add_init_script(RECORDING_SPEECH)
    page.goto("/kernen/arkel/")
    page.get_by_role("button", name="English").first.click()
    expect(page).to_have_url(re.compile(r"/kernen/arkel/$"))  # the same page, now in English
    expect(page.get_by_text("Between the river Linge and the railway")).to_be_visible()
    assert_accessible(page)
    page.goto("/kernen/giessenburg/")  # not translated yet: its text is Dutch, and marked so
    expect(page.locator("h1[lang=nl]")).to_have_text("Giessenburg")
    assert_accessible(page)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Read aloud").click()
    spoken = page.evaluate("window.__spoken")
    languages = [language for language, _text in spoken]
    assert "nl-NL" in languages and "en-GB" in languages
    dutch = " ".join(text for language, text in spoken if language == "nl-NL")
    assert "Wat er speelt in Giessenburg." in dutch
    assert "Wat er speelt" not in " ".join(text for language, text in spoken if language == "en-GB")
