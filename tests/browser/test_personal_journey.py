"""The personal approach in a real browser: a resident addressed as he chose hears of a pledge on his home
page, in Mijn Samenlab, in the live badge and by e-mail; a council member's question goes away when a
colleague decides. Every page visited is checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD
from community.models import Kern, User
from initiatives import services
from initiatives.models import Status
from tests import factories
from tests.browser.test_foundation_journey import wait_for_mail
from tests.factories_initiatives import InitiativeFactory

pytestmark = pytest.mark.browser

TEST_PASSWORD = "wachtwoord-voor-tests"  # tests.factories.UserFactory
PLEDGE_TEXT = "Kees van Dam doet een toezegging voor Bankjes bij de molen"


def unread_number(page) -> str:
    return page.locator("header [data-unread-badge] [data-unread-number]")


def test_heer_de_vries_hears_of_a_pledge_on_every_channel(new_context, login, assert_accessible, read_mail,
                                                           demo_site):
    jan = User.objects.get(email="jan@example.org")
    initiative = InitiativeFactory(kern=jan.kern, initiator=jan, status=Status.FUNDING, title="Bankjes bij de molen")

    page = new_context().new_page()
    login(page, jan.email, DEMO_PASSWORD)
    page.goto("/mijn/gegevens/")
    page.get_by_label("als heer, met mijn achternaam (heer De Vries)").check()
    page.get_by_role("button", name="Opslaan").click()
    page.goto("/mijn/")
    expect(page.locator("main h1")).to_contain_text("heer De Vries")
    assert_accessible(page)
    before = int(unread_number(page).text_content())

    # A neighbour pledges €30 in another browser.
    kees = new_context().new_page()
    login(kees, "kees@example.org", DEMO_PASSWORD)
    kees.goto(f"/initiatieven/{initiative.pk}/")
    kees.get_by_label("Bedrag in euro").fill("30")
    kees.get_by_role("button", name="Toezeggen").click()
    expect(kees.get_by_text("Uw toezegging is genoteerd")).to_be_visible()

    # Jan's open page counts it at once, in the menu and on the folded menu's button, without a reload.
    expect(unread_number(page)).to_have_text(str(before + 1))
    expect(page.locator("[data-menu-toggle] [data-unread-number]")).to_have_text(str(before + 1))

    # By e-mail, in Dutch, HTML and text, with a one-click unsubscribe.
    message = wait_for_mail(read_mail, to=jan.email)
    assert PLEDGE_TEXT in str(message["Subject"])
    assert str(message["List-Unsubscribe"]).strip().startswith("<http") and message["List-Unsubscribe-Post"]
    assert message.get_body(("html",)) is not None
    assert "Beste heer De Vries" in message.get_body(("plain",)).get_content()

    # On his home page and in Mijn Samenlab.
    page.goto("/")
    expect(page.locator("main")).to_contain_text(PLEDGE_TEXT)
    assert_accessible(page)
    page.goto("/mijn/")
    expect(page.locator("main section", has_text="Mijn initiatieven")).to_contain_text("Bankjes bij de molen")
    expect(page.locator("main")).to_contain_text(PLEDGE_TEXT)

    # The notification centre: opening it marks it read and the count goes down.
    page.goto("/mijn/meldingen/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(f"^Bekijken.*{PLEDGE_TEXT}")).click()
    expect(page).to_have_url(re.compile(rf"/initiatieven/{initiative.pk}/$"))
    expect(unread_number(page)).to_have_text(str(before))


def test_the_councils_question_goes_away_when_a_colleague_decides(new_context, login, assert_accessible, demo_site):
    kern = Kern.objects.get(slug="groot-ammers")
    colleague = factories.CouncilMembershipFactory(kern=kern, user__first_name="Bram", user__kern=kern).user
    draft = InitiativeFactory(kern=kern, initiator=User.objects.get(email="kees@example.org"), status=Status.DRAFT,
                              title="Fietsenrek bij de school")
    services.submit_initiative(actor=draft.initiator, initiative=draft)

    anna = new_context().new_page()
    login(anna, "anna@example.org", DEMO_PASSWORD)
    anna.goto("/mijn/")
    waiting = anna.locator("main section", has_text="Wat op u wacht")
    expect(waiting).to_contain_text("initiatieven om te beoordelen")
    assert_accessible(anna)
    before = int(unread_number(anna).text_content())
    assert before >= 1

    council = new_context().new_page()
    login(council, colleague.email, TEST_PASSWORD)
    council.goto("/initiatieven/dorpsraad/")
    card = council.locator("section.card", has_text="Fietsenrek bij de school")
    card.get_by_label("Goedkeuren en publiceren").check()
    card.get_by_label("Toelichting").fill("Prima plan.")
    card.get_by_role("button", name="Besluit opslaan").click()
    expect(council.get_by_text("is goedgekeurd en gepubliceerd")).to_be_visible()

    expect(unread_number(anna)).to_have_text(str(before - 1))  # live, on the page Anna still has open
    anna.goto("/mijn/")
    expect(anna.locator("main")).not_to_contain_text("initiatieven om te beoordelen")
    anna.goto("/mijn/meldingen/")
    item = anna.locator("li.notification", has_text="Nieuw initiatief om te beoordelen: Fietsenrek bij de school")
    expect(item).to_contain_text("Al afgehandeld")
    assert_accessible(anna)
