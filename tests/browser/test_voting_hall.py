"""The village hall in a real browser, with axe on every page and state visited.

1. Two staff members enter the same paper ballot differently; the second sees the difference, the first is refused
   a second entry of their own, and a third colleague settles it with both entries side by side.
2. A resident without an account votes with the code from their letter: the code page (a wrong code first, then
   the code a scanned QR code fills in), the budget's ballot, the check, the receipt.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD
from community.models import Kern
from tests.factories import StaffFactory, UserFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, PollFactory, ProjectFactory
from voting.models import Ballot, Channel, PaperSheet, Turnout, WhoMayVote
from voting.services.codes import Addressee, issue_codes
from voting.services.paper import hand_out_paper_ballot

pytestmark = pytest.mark.browser

THIRD_PASSWORD = "wachtwoord-voor-tests"


@pytest.fixture
def server_env(tmp_path):
    """The server keeps its letters in this test's own folder, not in the project's media."""
    return {"MEDIA_ROOT": str(tmp_path / "media")}


@pytest.fixture
def paper_poll(demo_site):
    kern = Kern.objects.get(slug="arkel")
    poll = PollFactory(box=BallotBoxFactory(kern=kern), question="Wat komt er op het dorpsplein?",
                       options=["Bankjes", "Bomen", "Speeltoestel"])
    staff = StaffFactory()
    for _ in range(2):
        hand_out_paper_ballot(actor=staff, box=poll.box, voter=UserFactory(kern=kern))
    return poll


def test_two_colleagues_enter_a_paper_ballot_and_a_third_settles_the_difference(new_context, login,
                                                                               assert_accessible, paper_poll):
    box = paper_poll.box
    fatima = new_context().new_page()
    login(fatima, "fatima@example.org", DEMO_PASSWORD)
    fatima.goto(f"/stemmen/{box.pk}/gemeentehuis/")
    expect(fatima.get_by_role("heading", level=1)).to_contain_text("Gemeentehuis")
    assert_accessible(fatima)
    fatima.get_by_role("link", name="Papieren stembiljetten").click()
    expect(fatima.get_by_role("heading", name="Stembiljet invoeren")).to_be_visible()
    assert_accessible(fatima)
    fatima.get_by_label("Nummer op het stembiljet").fill("1")
    fatima.get_by_label("1. Bankjes").check()
    fatima.get_by_role("button", name="Voer in").click()
    expect(fatima.get_by_text("Stembiljet 1 is ingevoerd. Een collega voert het nog een keer in.")).to_be_visible()
    assert_accessible(fatima)
    # The same person again: refused, with the reason.
    fatima.get_by_label("Nummer op het stembiljet").fill("1")
    fatima.get_by_label("1. Bankjes").check()
    fatima.get_by_role("button", name="Voer in").click()
    expect(fatima.get_by_role("alert")).to_contain_text("Een collega voert het een tweede keer in")
    assert_accessible(fatima)

    pieter = new_context().new_page()
    login(pieter, "pieter@example.org", DEMO_PASSWORD)
    pieter.goto(f"/stemmen/{box.pk}/gemeentehuis/papier/")
    pieter.get_by_label("Nummer op het stembiljet").fill("1")
    pieter.get_by_label("2. Bomen").check()
    pieter.get_by_role("button", name="Voer in").click()
    expect(pieter.get_by_text("Een derde collega bekijkt het")).to_be_visible()
    flagged = pieter.get_by_role("table")
    expect(flagged).to_contain_text("1. Bankjes")
    expect(flagged).to_contain_text("2. Bomen")
    assert_accessible(pieter)
    assert PaperSheet.objects.get().state == PaperSheet.State.MISMATCH and Ballot.objects.count() == 0
    pieter.get_by_role("link", name="Bekijk stembiljet 1").click()
    expect(pieter.get_by_text("U voerde dit stembiljet zelf in.")).to_be_visible()
    assert_accessible(pieter)

    third = StaffFactory(first_name="Derk", email="derk@example.org")
    derk = new_context().new_page()
    login(derk, third.email, THIRD_PASSWORD)
    derk.goto(f"/stemmen/{box.pk}/gemeentehuis/papier/")
    derk.get_by_role("link", name="Bekijk stembiljet 1").click()
    side_by_side = derk.get_by_role("table", name="De twee invoeren naast elkaar")
    expect(side_by_side).to_contain_text("Eerste invoer (Fatima El Amrani)")
    expect(side_by_side).to_contain_text("Tweede invoer (Pieter Verhoef)")
    assert_accessible(derk)
    derk.get_by_label("2. Bomen").check()
    derk.get_by_role("button", name="Tel zo mee").click()
    expect(derk.get_by_text("Stembiljet 1 is afgehandeld en telt nu mee.")).to_be_visible()
    assert_accessible(derk)
    option = paper_poll.options.get(label="Bomen")
    assert Ballot.objects.get().choices == {str(option.pk): 1}
    assert PaperSheet.objects.get().settled_by == third


@pytest.fixture
def letter_budget(demo_site):
    kern = Kern.objects.get(slug="arkel")
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern, who_may_vote=WhoMayVote.LETTER),
                           title="Kernbudget Arkel", slug="kernbudget-arkel", amount=10_000)
    ProjectFactory(budget=budget, title="Bankjes bij de Linge", cost=4_000)
    ProjectFactory(budget=budget, title="Een pluktuin", cost=5_000)
    staff = StaffFactory()
    [letter] = issue_codes(actor=staff, box=budget.box,
                           addressees=[Addressee("Mevrouw De Wit", "Dorpsstraat 3", "4241 AB", "Arkel")])
    budget.letter = letter
    return budget


def test_a_resident_without_an_account_votes_with_the_code_from_the_letter(page, assert_accessible, letter_budget):
    page.goto("/stemcode/")
    expect(page.get_by_role("heading", name="Stemmen met uw stemcode")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Uw stemcode").fill("ABCD-EFGH")
    page.get_by_role("button", name="Naar het stembiljet").click()
    expect(page.get_by_text("Deze stemcode kennen we niet")).to_be_visible()
    assert_accessible(page)

    # The QR code on the letter opens the page with the code after "#": it is filled in, and gone from the address.
    plain = letter_budget.letter.plain_code.replace("-", "")
    page.goto("/")
    page.goto(f"/stemcode/#{plain}")
    expect(page.get_by_label("Uw stemcode")).to_have_value(plain)
    assert "#" not in page.url
    page.get_by_role("button", name="Naar het stembiljet").click()
    expect(page).to_have_url(re.compile(r"/kernbudget/kernbudget-arkel/stemmen/$"))
    assert_accessible(page)
    page.get_by_label("Bankjes bij de Linge").check()
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page).to_have_url(re.compile(r"/controleren/$"))
    assert_accessible(page)
    page.get_by_role("button", name="Stem uitbrengen").click()
    expect(page).to_have_url(re.compile(r"/geteld/$"))
    assert_accessible(page)
    turnout = Turnout.objects.get()
    assert (turnout.code, turnout.channel, turnout.voter) == (letter_budget.letter.code, Channel.CODE, None)
    assert Ballot.objects.count() == 1

    # The same code again: used.
    page.goto("/stemcode/")
    page.get_by_label("Uw stemcode").fill(letter_budget.letter.plain_code)
    page.get_by_role("button", name="Naar het stembiljet").click()
    expect(page.get_by_text("Met deze stemcode is al gestemd.")).to_be_visible()
    assert_accessible(page)


def test_staff_issue_letters_download_them_once_help_at_the_counter_and_reconcile(new_context, login,
                                                                                 assert_accessible, demo_site):
    from tests.voting.app.hallkit import pdf_pages

    kern = Kern.objects.get(slug="arkel")
    poll = PollFactory(box=BallotBoxFactory(kern=kern, who_may_vote=WhoMayVote.LETTER),
                       question="Waar komt de nieuwe bank?", options=["Bij de kerk", "Aan de Linge"])
    box = poll.box
    page = new_context().new_page()
    login(page, "fatima@example.org", DEMO_PASSWORD)
    page.goto(f"/stemmen/{box.pk}/gemeentehuis/")
    page.get_by_role("link", name="Stemcodes en brieven").click()
    expect(page.get_by_role("heading", name="Codes uitgeven")).to_be_visible()
    assert_accessible(page)
    # A list with a bad postcode first: the reason, and nothing issued.
    page.get_by_label("Adressenlijst (CSV)").set_input_files(files=[{
        "name": "adressen.csv", "mimeType": "text/csv",
        "buffer": b"naam;straat;postcode;woonplaats\nAnna Smit;Kerkweg 1;12345;Arkel\n"}])
    page.get_by_role("button", name="Maak codes en brieven").click()
    expect(page.get_by_text("Regel 2 is niet compleet of heeft geen goede postcode.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Adressenlijst (CSV)").set_input_files(files=[{
        "name": "adressen.csv", "mimeType": "text/csv",
        "buffer": b"naam;straat;postcode;woonplaats\nAnna Smit;Kerkweg 1;4241AB;Arkel\n"
                  b"Bram Bos;Kerkweg 2;4241AB;Arkel\n"}])
    page.get_by_role("button", name="Maak codes en brieven").click()
    expect(page.get_by_text("De brieven zijn klaar.")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download de brieven (PDF)").click()
    pages = pdf_pages(Path(download.value.path()).read_bytes())
    assert len(pages) == 2 and "Anna Smit" in pages[0] and "Bram Bos" in pages[1]
    codes = [line for text in pages for line in text.splitlines() if line.count("-") == 6]
    page.reload()
    expect(page.get_by_text("heeft de brieven gedownload")).to_be_visible()
    assert_accessible(page)

    # Anna comes to the counter with her letter; she is helped to vote on this computer.
    page.goto(f"/stemmen/{box.pk}/gemeentehuis/balie/")
    assert_accessible(page)
    page.get_by_label("Stemcode uit de brief").fill(codes[0])
    page.get_by_role("button", name="Help bij stemmen op deze computer").click()
    expect(page.get_by_text("U helpt Anna Smit met stemmen.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Stem", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Maak eerst een keuze")
    assert_accessible(page)
    page.get_by_label("2. Aan de Linge").check()
    page.get_by_role("button", name="Stem", exact=True).click()
    expect(page.get_by_text("De stem van Anna Smit is geteld.")).to_be_visible()
    assert_accessible(page)
    # Bram takes a paper ballot.
    page.get_by_label("Stemcode uit de brief").fill(codes[1])
    page.get_by_role("button", name="Geef papieren stembiljet").click()
    expect(page.get_by_text("Bram Bos staat nu in het register.")).to_be_visible()

    page.goto(f"/stemmen/{box.pk}/gemeentehuis/register/")
    expect(page.get_by_text("De aantallen kloppen.")).to_be_visible()
    expect(page.get_by_role("table", name="Het register")).to_contain_text("Anna Smit")
    assert_accessible(page)
    page.goto(f"/stemmen/{box.pk}/gemeentehuis/codes/?postcode=4241ab")
    expect(page.get_by_text("2 codes gevonden.")).to_be_visible()
    assert_accessible(page)
    assert Turnout.objects.filter(box=box, channel=Channel.COUNTER).count() == 1
    assert Turnout.objects.filter(box=box, channel=Channel.PAPER).count() == 1
