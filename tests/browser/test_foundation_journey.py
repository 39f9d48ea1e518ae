"""The foundation's journey in a real browser: sign up, verify the e-mail, pick a kern, be greeted.

Also: the language switch, the "Hulp nodig?" link on every page, and a call-back request that a
staff member sees on the desk while another resident may not open it.
"""

import re
import time

import pytest
from django.utils import translation
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD
from community.models import CallbackRequest, User
from community.selectors import greeting_for

pytestmark = pytest.mark.browser

HELP_LINK_NL = "Hulp nodig? Praat met een medewerker"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def help_link_text(language: str) -> str:
    with translation.override(language):
        return translation.gettext(HELP_LINK_NL)


def assert_help_link(page, language: str = "nl") -> None:
    link = page.locator("header").get_by_role("link", name=help_link_text(language), exact=True)
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", "/contact/")


def open_menu(page) -> None:
    """On a phone the menu is folded behind its button: open it as a resident would."""
    toggle = page.locator("header").get_by_role("button", name=re.compile(r"^Menu"))
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def wait_for_mail(read_mail, *, to: str, timeout: float = 15):
    """The server sends mail from another process: wait (bounded) until a message to ``to`` is there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in read_mail():
            if to in str(message["To"]):
                return message
        time.sleep(0.2)
    raise AssertionError(f"No e-mail to {to} arrived; the server sent: {[m['Subject'] for m in read_mail()]}")


def dutch_greetings_now() -> set[str]:
    with translation.override("nl"):
        return {greeting_for()}


def test_a_resident_signs_up_verifies_picks_a_kern_and_is_greeted(page, read_mail, assert_accessible):
    page.goto("/")
    assert_help_link(page)
    open_menu(page)
    page.locator("header").get_by_role("link", name="Meedoen").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    assert_help_link(page)

    page.get_by_label("Voornaam").fill("Jan")
    page.get_by_label("E-mail", exact=True).fill("jan.nieuw@example.org")
    page.locator("input[name=password1]").fill("een-lang-wachtwoord-42")
    page.locator("input[name=password2]").fill("een-lang-wachtwoord-42")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    assert_help_link(page)
    assert_accessible(page)

    user = User.objects.get(email="jan.nieuw@example.org")
    assert user.first_name == "Jan" and user.kern_id is None

    mail = wait_for_mail(read_mail, to="jan.nieuw@example.org")
    link = CONFIRM_LINK.search(mail.get_body(preferencelist=("plain",)).get_content()).group(0)
    page.goto(link)
    assert_help_link(page)
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()

    # Verified and signed in; a resident without a kern is asked for one first.
    expect(page).to_have_url(re.compile(r"/mijn/kern/$"))
    assert_help_link(page)
    page.get_by_label("Arkel", exact=True).check()
    before = dutch_greetings_now()
    page.get_by_role("button", name="Opslaan en verder").click()

    expect(page).to_have_url(re.compile(r"/mijn/$"))
    assert_help_link(page)
    heading = page.get_by_role("heading", level=1).inner_text()
    possible = before | dutch_greetings_now()  # the hour may turn while the page loads
    assert heading in {f"{greeting} Jan" for greeting in possible}, heading
    kern_link = page.locator("main").get_by_role("link", name="Arkel", exact=True)
    expect(kern_link).to_have_attribute("href", "/kernen/arkel/")
    expect(page.locator("main")).to_contain_text("Hier ziet u wat er voor u speelt in Arkel")

    user.refresh_from_db()
    assert user.kern.slug == "arkel"
    assert user.emailaddress_set.get().verified

    kern_link.click()
    expect(page).to_have_url(re.compile(r"/kernen/arkel/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Arkel")
    assert_help_link(page)


def test_the_language_switch_turns_the_site_english_and_back(page):
    page.goto("/kernen/")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.locator(".language-switch").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/kernen/$"))  # it stays on the same page
    assert_help_link(page, "en")
    english_help = help_link_text("en")
    if english_help != HELP_LINK_NL:  # only when locale/en has translated it
        expect(page.locator("header")).to_contain_text(english_help)
        expect(page.locator("header")).not_to_contain_text(HELP_LINK_NL)

    page.goto("/contact/")  # the choice is remembered on the next page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_help_link(page, "en")

    page.locator(".language-switch").get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert_help_link(page, "nl")


def test_a_call_back_request_reaches_the_staff_desk_and_no_other_resident(demo_site, new_context, login):
    resident = User.objects.get(email="kees@example.org")
    page = new_context().new_page()
    login(page, resident.email, DEMO_PASSWORD)
    page.goto("/mijn/")
    page.locator("main").get_by_role("link", name="Vraag een medewerker om contact").click()
    expect(page).to_have_url(re.compile(r"/contact/$"))
    assert_help_link(page)
    form = page.locator("main form")
    expect(form.get_by_label("Naam")).to_have_value("Kees van Dam")  # what we know is filled in
    form.get_by_label("Telefoonnummer").fill("0184 654321")
    form.get_by_label("Waar gaat het over?").fill("Ik wil graag meedenken over de bankjes bij de kerk.")
    form.get_by_label("Een bezoek bij u thuis").check()
    form.get_by_role("button", name="Vraag om contact").click()
    expect(page.locator(".messages")).to_contain_text("U hoort uiterlijk")

    stored = CallbackRequest.objects.get(requester=resident, phone="0184 654321")
    assert stored.message == "Ik wil graag meedenken over de bankjes bij de kerk."
    assert stored.channel == CallbackRequest.Channel.HOME and stored.answer_by is not None

    staff_page = new_context().new_page()
    login(staff_page, demo_site["staff"], DEMO_PASSWORD)
    open_menu(staff_page)
    staff_page.locator("header").get_by_role("link", name="Bureau").click()
    expect(staff_page).to_have_url(re.compile(r"/bureau/$"))
    row = staff_page.locator("tbody tr", has_text="bankjes bij de kerk")
    expect(row).to_contain_text("Kees van Dam")
    expect(row).to_contain_text("0184 654321")
    expect(row).to_contain_text("Een bezoek bij u thuis")
    assert_help_link(staff_page)

    # The staff member was told, and the status they set reaches the resident.
    staff_page.goto("/mijn/meldingen/")
    expect(staff_page.locator("main")).to_contain_text("Nieuw verzoek om contact van Kees van Dam")
    staff_page.goto("/bureau/")
    row = staff_page.locator("tbody tr", has_text="bankjes bij de kerk")
    row.get_by_label("Status").select_option("in_progress")
    row.get_by_role("button", name="Bijwerken").click()
    expect(staff_page.locator(".messages")).to_contain_text("bijgewerkt")
    page.goto("/mijn/")
    callbacks = page.locator("main section", has_text="Iemand spreken?")
    expect(callbacks).to_contain_text("in behandeling")
    expect(callbacks).to_contain_text("Een bezoek bij u thuis")
    page.goto("/mijn/meldingen/")
    expect(page.locator("main")).to_contain_text("Uw verzoek om contact: in behandeling")

    other_resident = new_context().new_page()
    login(other_resident, demo_site["resident"], DEMO_PASSWORD)
    response = other_resident.goto("/bureau/")
    assert response.status == 403
    expect(other_resident.locator("body")).not_to_contain_text("bankjes bij de kerk")


@pytest.mark.parametrize("server_env", [{"ANONYMOUS_PAGE_CACHE_SECONDS": "300"}])
def test_with_the_page_cache_on_the_forms_of_a_cached_page_still_work(page, demo_site, login):
    page.goto("/kernen/arkel/")
    cached = page.goto("/kernen/arkel/")
    assert cached.headers.get("x-page-cache") == "hit"
    # The language switch posts this visitor's own CSRF token, taken into the cached page for them.
    page.locator(".language-switch").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/kernen/arkel/$"))

    login(page, demo_site["resident"], DEMO_PASSWORD)
    personal = page.goto("/kernen/arkel/")
    assert "x-page-cache" not in personal.headers  # a signed-in visitor never gets the anonymous copy
    open_menu(page)
    expect(page.locator("header form[action='/accounts/logout/'] button")).to_be_visible()
