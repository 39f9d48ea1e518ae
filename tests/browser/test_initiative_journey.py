"""An initiative's journey in a real browser: start with a place and a photo, council approval, a €25 pledge.

No map tiles load in tests (no internet): the place is chosen with the text/keyboard alternative
("Gebruik het midden van de kern"), which is what a keyboard or screen-reader user does too.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD
from initiatives.models import Initiative, InitiativePhoto, Status
from tests.factories import CouncilMembershipFactory, KernFactory
from tests.photos import gps_tagged_jpeg

pytestmark = pytest.mark.browser
TEST_PASSWORD = "wachtwoord-voor-tests"  # tests.factories.UserFactory


def photo_with_gps(path):
    path.write_bytes(gps_tagged_jpeg((1000, 700)))
    return path


def test_start_approve_and_pledge(new_context, login, assert_accessible, demo_site, tmp_path):
    groot_ammers_council = "anna@example.org"
    other_kern = KernFactory(name="Kinderdijk", slug="kinderdijk")
    other_council = CouncilMembershipFactory(kern=other_kern).user

    # A resident of Groot-Ammers starts an initiative.
    page = new_context().new_page()
    login(page, "kees@example.org", DEMO_PASSWORD)
    page.goto("/initiatieven/")
    assert_accessible(page)
    page.get_by_role("link", name="Start een initiatief").first.click()
    expect(page.get_by_label("Kern")).to_have_value(str(Initiative._meta.get_field("kern").related_model.objects
                                                        .get(slug="groot-ammers").pk))
    assert_accessible(page)
    page.get_by_label("Titel").fill("Bloemenlint langs de Lek")
    page.get_by_label("Korte samenvatting").fill("Wilde bloemen in de berm, samen gezaaid.")
    page.get_by_label("Thema").select_option("groen")
    page.get_by_role("button", name="Opslaan en verder").click()

    expect(page.get_by_label("Uw verhaal")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Uw verhaal").fill("Met de buurt zaaien we een lint van wilde bloemen voor bijen.")
    page.get_by_role("button", name="Opslaan en verder").click()

    # The place: the text/keyboard alternative, since no tiles load here.
    expect(page.get_by_label("Waar is het?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Waar is het?").fill("Berm langs de Lekdijk")
    page.get_by_role("button", name="Gebruik het midden van de kern").click()
    expect(page.get_by_label("Breedtegraad")).not_to_have_value("")
    page.get_by_role("button", name="Opslaan en verder").click()

    expect(page.get_by_label("Hoeveel geld is er nodig? (euro)")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Hoeveel geld is er nodig? (euro)").fill("100")
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    page.get_by_label("Tot wanneer zamelt u geld in?").fill(deadline.isoformat())
    page.get_by_role("button", name="Opslaan en verder").click()

    # A photo with GPS in it: stored without.
    page.locator("input[name=photo]").set_input_files(str(photo_with_gps(tmp_path / "IMG_1234.JPG")))
    page.get_by_label(re.compile("Wat staat er op de foto")).fill("De kale berm langs de dijk")
    assert_accessible(page)
    page.get_by_role("button", name="Foto toevoegen of verder").click()
    expect(page.get_by_role("img", name="De kale berm langs de dijk")).to_be_visible()
    page.get_by_role("button", name="Foto toevoegen of verder").click()

    assert_accessible(page)
    page.get_by_role("button", name="Indienen bij de dorpsraad").click()
    expect(page.get_by_text("Uw initiatief is ingediend")).to_be_visible()

    initiative = Initiative.objects.get(title="Bloemenlint langs de Lek")
    assert initiative.status == Status.SUBMITTED
    assert initiative.latitude is not None and initiative.location_label == "Berm langs de Lekdijk"
    assert InitiativePhoto.objects.filter(initiative=initiative).count() == 1

    # A council member of another kern neither sees it nor can open it.
    other = new_context().new_page()
    login(other, other_council.email, TEST_PASSWORD)
    other.goto("/initiatieven/dorpsraad/")
    expect(other.get_by_text("Bloemenlint langs de Lek")).to_have_count(0)
    assert other.goto(f"/initiatieven/{initiative.pk}/").status == 404

    # The council of Groot-Ammers approves it.
    council = new_context().new_page()
    login(council, groot_ammers_council, DEMO_PASSWORD)
    council.goto("/initiatieven/dorpsraad/")
    assert_accessible(council)
    card = council.locator("section.card", has_text="Bloemenlint langs de Lek")
    card.get_by_label("Goedkeuren en publiceren").check()
    card.get_by_label("Toelichting").fill("Mooi plan, veel succes.")
    card.get_by_role("button", name="Besluit opslaan").click()
    expect(council.get_by_text("is goedgekeurd en gepubliceerd")).to_be_visible()
    initiative.refresh_from_db()
    assert initiative.status == Status.FUNDING

    # Another resident pledges €25 and sees the progress bar move.
    neighbour = new_context().new_page()
    login(neighbour, "jan@example.org", DEMO_PASSWORD)
    neighbour.goto(f"/initiatieven/{initiative.pk}/")
    expect(neighbour.get_by_text(re.compile(r"€\s0,00 van €\s100,00"))).to_be_visible()
    expect(neighbour.locator("progress")).to_have_attribute("value", "0")
    assert_accessible(neighbour)
    neighbour.get_by_label("Bedrag in euro").fill("25")
    neighbour.get_by_role("button", name="Toezeggen").click()
    expect(neighbour.get_by_text(re.compile(r"€\s25,00 van €\s100,00 opgehaald \(25%\)"))).to_be_visible()
    expect(neighbour.locator("progress")).to_have_attribute("value", "25")
    assert_accessible(neighbour)
