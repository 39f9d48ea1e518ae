"""A second submission is never an accident, in a real browser: Back and submit again, and throwing a draft away.

Pledge € 17, press Back, submit the same form again: no second pledge is made until the resident says they
mean one ("U heeft zojuist € 17 toegezegd. Nog een keer € 17?"). A draft can be thrown away after a
confirmation page. Every page visited is checked with axe.
"""

import re

import pytest
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD
from community.models import Kern
from initiatives.models import Initiative, Pledge, Status
from tests.factories_initiatives import InitiativeFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def funding_initiative(demo_site):
    kern = Kern.objects.get(slug="groot-ammers")
    return InitiativeFactory(kern=kern, status=Status.FUNDING, title="Bankjes langs de dijk")


def test_back_and_resubmit_asks_before_a_second_pledge(new_context, login, assert_accessible, funding_initiative):
    page = new_context().new_page()
    login(page, "jan@example.org", DEMO_PASSWORD)
    page.goto(f"/initiatieven/{funding_initiative.pk}/")
    page.get_by_label("Bedrag in euro").fill("17")
    page.get_by_role("button", name="Toezeggen").click()
    expect(page.get_by_text("Uw toezegging is genoteerd")).to_be_visible()
    assert Pledge.objects.filter(initiative=funding_initiative).count() == 1

    # Back to the page with the filled-in form, and the same button again.
    page.go_back()
    page.reload()  # what a browser does when it does not keep the page: a fresh form, a fresh key
    page.get_by_label("Bedrag in euro").fill("17")
    page.get_by_role("button", name="Toezeggen").click()
    question = page.locator("#repeat-question")
    expect(question).to_contain_text(re.compile(r"U heeft zojuist €\s17,00 toegezegd\. Nog een keer €\s17,00\?"))
    assert_accessible(page)
    assert Pledge.objects.filter(initiative=funding_initiative).count() == 1, "nothing made before they say so"

    # Saying yes makes the second one.
    page.get_by_role("button", name="Ja, nog een keer toezeggen").click()
    expect(page.get_by_text("Uw toezegging is genoteerd")).to_be_visible()
    assert list(Pledge.objects.filter(initiative=funding_initiative).values_list("amount", flat=True)) == [17, 17]


def test_an_owner_throws_a_draft_away_after_a_confirmation(new_context, login, assert_accessible, demo_site):
    page = new_context().new_page()
    login(page, "kees@example.org", DEMO_PASSWORD)
    page.goto("/initiatieven/nieuw/")
    page.get_by_label("Titel").fill("Een plan dat ik toch niet wil")
    page.get_by_label("Thema").select_option("groen")
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.get_by_label("Uw verhaal")).to_be_visible()
    draft = Initiative.objects.get(title="Een plan dat ik toch niet wil")

    page.get_by_role("link", name="Dit concept weggooien").click()
    expect(page.get_by_role("heading", name="Concept weggooien")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, concept weggooien").click()
    expect(page.get_by_text("is weggegooid")).to_be_visible()
    assert_accessible(page)
    assert not Initiative.objects.filter(pk=draft.pk).exists()
