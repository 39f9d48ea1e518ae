"""Doing it together, in a real browser: an initiator sends the invitation link, a neighbour joins the team."""

import pytest
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD
from community.models import User
from initiatives.models import Status
from tests.factories_initiatives import InitiativeFactory

pytestmark = pytest.mark.browser


def test_a_neighbour_joins_the_team_with_the_invitation_link(new_context, login, assert_accessible, demo_site):
    kees = User.objects.get(email="kees@example.org")
    garden = InitiativeFactory(title="Buurtmoestuin achter de kerk", kern=kees.kern, initiator=kees,
                               status=Status.CHANGES_REQUESTED)

    kees_page = new_context().new_page()
    login(kees_page, "kees@example.org", DEMO_PASSWORD)
    kees_page.goto(garden.get_absolute_url())
    link = kees_page.get_by_label("Samen doen? Stuur deze link naar wie mee wil doen als initiatiefnemer.")
    expect(link).to_be_visible()
    assert_accessible(kees_page)
    invitation = link.input_value()
    # One tap copies it, ready to paste into a message.
    kees_page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    kees_page.get_by_role("button", name="Kopieer de link").click()
    expect(kees_page.get_by_role("status").filter(has_text="De link is gekopieerd")).to_be_visible()
    assert kees_page.evaluate("navigator.clipboard.readText()") == invitation

    jan = new_context().new_page()
    login(jan, "jan@example.org", DEMO_PASSWORD)
    jan.goto(invitation)
    expect(jan.get_by_role("heading", name="Buurtmoestuin achter de kerk")).to_be_visible()
    assert_accessible(jan)
    jan.get_by_role("button", name="Ja, ik doe mee").click()
    expect(jan.get_by_text("U bent nu mede-initiatiefnemer. Welkom in het team!")).to_be_visible()
    team = jan.locator("section", has=jan.get_by_role("heading", name="Het team"))
    expect(team.get_by_role("button", name="Stoppen als initiatiefnemer")).to_be_visible()
    assert_accessible(jan)

    kees_page.reload()
    expect(kees_page.get_by_role("button", name="Jan de Vries van het team halen")).to_be_visible()
    assert garden.co_initiators.filter(email="jan@example.org").exists()
